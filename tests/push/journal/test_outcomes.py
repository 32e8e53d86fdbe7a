from __future__ import annotations

import json
from pathlib import Path

from criteo_catalog_sdk.push.journal import Journal
from criteo_catalog_sdk.push.result import PushResult

from .conftest import M, apply, ins, ok_report, sent


def test_refreshes_are_counted_apart_from_upserts(path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        bid = j.batches.record(run, batch=[ins(1, "A"), ins(2, "B"), ins(3, "C")], refreshes={2, 3}).batch_id
        assert bid is not None
        sent(j, bid)
        warning = {"type": "InvalidBadgeUrl", "message": "w", "isServerRelated": False}
        apply(j, bid, ok_report(3, warningDetails=[{"productId": "c", "warnings": [warning]}]))
        assert [o.status for o in j.outcomes.iterate(run)] == ["upserted", "refreshed", "refreshed"]
        s = j.outcomes.summary(run)
        assert (s.upserted, s.refreshed, s.warned, s.total) == (1, 2, 1, 3)
        assert set(j.synced.lookup(M, ["a", "b", "c"])) == {"a", "b", "c"}  # a refresh is a confirmed upsert


def test_result_export_streams_from_the_journal(path: Path, tmp_path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        bid = j.batches.record(run, batch=[ins(i, f"P{i}") for i in range(1, 2501)]).batch_id
        assert bid is not None
        sent(j, bid)
        apply(j, bid, ok_report(2500))
        r = PushResult(j.outcomes.summary(run), lambda: j.outcomes.iterate(run), merchant_id=M, run_id=run)
        assert r.summary.upserted == 2500 and r.ok
        r.to_json(tmp_path / "r.json")
        r.to_csv(tmp_path / "r.csv")
        d = json.loads((tmp_path / "r.json").read_text())
        assert [o["position"] for o in d["outcomes"]] == list(range(1, 2501))
        assert (tmp_path / "r.csv").read_text().count("\n") == 2501
