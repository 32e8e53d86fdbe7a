from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from criteo_catalog_sdk.push.result import CSV_COLUMNS, Issue, ProductOutcome, PushResult, Summary

OUTCOMES = [
    ProductOutcome(1, "A", "upserted"),
    ProductOutcome(2, "B", "upserted", warnings=(Issue("InvalidBadgeUrl", "bad badge", is_server_related=False),)),
    ProductOutcome(
        3,
        "C",
        "rejected",
        "client",
        (Issue("TooLong", "title is 501 characters long", "title", 501, 500), Issue("MissingField", "link", "link")),
    ),
    ProductOutcome(
        4, "D", "rejected", "api", (Issue("OverlargeBigImage", '{"Length":1042}', is_server_related=False),)
    ),
    ProductOutcome(5, None, "rejected", "client", (Issue("ParseError", "line 5: invalid JSON"),)),
    ProductOutcome(6, "E", "deleted"),
    ProductOutcome(7, "F", "unchanged"),
    ProductOutcome(8, "G", "superseded", "client", (Issue("DuplicateId", "again later", "id"),)),
    ProductOutcome(9, "H", "pending"),
]


def test_summary() -> None:
    s = Summary.of(OUTCOMES)
    assert s == Summary(
        total=9,
        upserted=2,
        deleted=1,
        rejected_client=2,
        rejected_api=1,
        warned=1,
        superseded=1,
        unchanged=1,
        pending=1,
    )
    assert s.rejected == 3 and not s.ok
    assert Summary(total=1, upserted=1).ok


def test_json_export_round_trips(tmp_path: Path) -> None:
    r = PushResult.from_outcomes(OUTCOMES, merchant_id=42)
    r.to_json(tmp_path / "r.json")
    d = json.loads((tmp_path / "r.json").read_text())
    assert d["merchantId"] == 42
    assert d["summary"]["rejected"] == 3
    assert len(d["outcomes"]) == 9
    c = d["outcomes"][2]
    assert c["errors"][0] == {
        "type": "TooLong",
        "message": "title is 501 characters long",
        "field": "title",
        "length": 501,
        "limit": 500,
    }
    assert [Issue.from_dict(x) for x in c["errors"]] == list(OUTCOMES[2].errors)


def test_json_export_of_nothing() -> None:
    buf = io.StringIO()
    PushResult.from_outcomes([]).to_json(buf)
    assert json.loads(buf.getvalue())["outcomes"] == []


def test_csv_export() -> None:
    buf = io.StringIO()
    PushResult.from_outcomes(OUTCOMES).to_csv(buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == 9
    c = rows[2]
    assert (c["status"], c["stage"], c["error_type"], c["field"], c["length"], c["limit"]) == (
        "rejected",
        "client",
        "TooLong; MissingField",
        "title; link",
        "501; ",
        "500; ",
    )
    assert rows[1]["warning_type"] == "InvalidBadgeUrl"
    assert rows[4]["product_id"] == ""


def test_iteration_and_rejected() -> None:
    r = PushResult.from_outcomes(OUTCOMES)
    assert [o.position for o in r.rejected()] == [3, 4, 5]
    assert len(list(r)) == len(list(r)) == 9
    assert "rejected_client=2" in repr(r)
