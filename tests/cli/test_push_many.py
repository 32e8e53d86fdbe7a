"""``criteo-catalog push-many MANIFEST`` against the simulator over loopback: many merchants, one process,
one application budget; everything local checked before the first request; each merchant judged alone."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

from .conftest import (
    ENTRY_POINT,
    EXAMPLE,
    FAST,
    MERCHANT_CENTER,
    assert_schema,
    credentials,
    interrupt_midway,
    invoke,
    one_json,
    one_line,
    products,
    run_cli,
    write_feed,
)
from .test_push_run import accepted_batches


def toml_value(value: Any) -> str:
    return json.dumps(value) if not isinstance(value, bool) else str(value).lower()


def write_manifest(folder: Path, merchants: list[dict[str, Any]], defaults: dict[str, Any] | None = None) -> str:
    """A manifest of ``merchants`` (keys as in the file) with ``[defaults]``."""
    parts = []
    if defaults:
        parts.append("[defaults]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in defaults.items()))
    for merchant in merchants:
        parts.append("[[merchant]]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in merchant.items()))
    path = folder / "manifest.toml"
    path.write_text("\n".join(parts), encoding="utf-8")
    return str(path)


def push_many(sim: CriteoSimulator | None, manifest: str, *args: str, env: Any = None):  # type: ignore[no-untyped-def]
    """push-many with the application budget the CLI has by default (the tests' environment turns it off)."""
    return invoke(sim, "--app-budget", "memory", "push-many", manifest, *FAST, *args, env=env)


def table_rows(text: str) -> list[dict[str, str]]:
    """The human table's rows, as header -> cell."""

    def cells(line: str) -> list[str]:
        return [cell.strip() for cell in line.strip("┃│").split("┃" if line.startswith("┃") else "│")]

    header = next(cells(line) for line in text.splitlines() if line.startswith("┃"))
    return [dict(zip(header, cells(line), strict=True)) for line in text.splitlines() if line.startswith("│")]


def catalog_ids(sim: CriteoSimulator, merchant: int) -> set[str]:
    return set(sim.control.catalog(merchant))


@pytest.fixture
def three(tmp_path: Path) -> Path:
    """Three merchants' feeds in three formats, in ``feeds/``: the XML one has an invalid item and a name
    that says CSV; the CSV one, a legacy export, a delimiter no sniffing would guess."""
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (tmp_path / "state").mkdir()
    (tmp_path / "reports").mkdir()
    write_feed(feeds / "101.jsonl", products(6, "J"))
    rows = [f"C{i}~Chair {i}~https://shop.example/c{i}~https://cdn.example/c{i}.jpg" for i in range(4)]
    (feeds / "102.txt").write_text("id~title~link~image_link\n" + "\n".join(rows) + "\n", encoding="utf-8")
    shutil.copy(MERCHANT_CENTER, feeds / "103.csv")  # misnamed by its shop: the manifest's format wins
    return tmp_path


def fleet(folder: Path, **extra: dict[str, Any]) -> list[dict[str, Any]]:
    merchants = [
        {"id": 101, "feed": "feeds/101.jsonl", "state": "state/101.db", "report-out": "reports/101.json"},
        {"id": 102, "feed": "feeds/102.txt", "format": "csv", "delimiter": "~", "state": "state/102.db"},
        {"id": 103, "feed": "feeds/103.csv", "format": "xml", "state": "state/103.db", "report-out": "reports/103.csv"},
    ]
    for merchant in merchants:
        merchant.update(extra.get(str(merchant["id"]), {}))
    return merchants


def test_three_merchants_three_formats_one_with_a_rejected_item(sim: CriteoSimulator, three: Path) -> None:
    manifest = write_manifest(three, fleet(three), defaults={"delta": True})
    result = push_many(sim, manifest, "--json")
    assert result.exit_code == 1, result.output  # the XML feed's item without an image
    data = one_json(result, "pushMany")
    by_id = {m["merchantId"]: m for m in data["merchants"]}
    assert [m["merchantId"] for m in data["merchants"]] == [101, 102, 103]  # the manifest's order
    assert [by_id[i]["exitCode"] for i in (101, 102, 103)] == [0, 0, 1]
    assert [by_id[i]["counts"]["upserted"] for i in (101, 102, 103)] == [6, 4, 11]
    (rejected,) = by_id[103]["errors"]
    assert (rejected["field"], rejected["type"], rejected["line"]) == ("imageLink", "MissingField", 9)
    assert by_id[102]["state"] == str(three / "state" / "102.db")  # relative to the manifest's folder
    assert data["error"] is None  # rejected products are no failure
    assert catalog_ids(sim, 101) == {f"j{i}" for i in range(6)} and catalog_ids(sim, 102) == {f"c{i}" for i in range(4)}
    assert len(sim.control.catalog(103)) == 11
    assert json.loads((three / "reports" / "101.json").read_text())["summary"]["upserted"] == 6
    assert "rejected" in (three / "reports" / "103.csv").read_text()
    api_calls = [r for r in sim.control.requests() if r["route"] in ("batch", "report")]
    assert data["calls"]["total"] == len(api_calls) >= 6  # a batch and a report poll per merchant at least
    assert data["appBudget"] == {"where": "memory", "callsPerMinute": 250}
    again = push_many(sim, manifest, "--json")  # delta: nothing changed, nothing sent
    assert [m["counts"]["unchanged"] for m in one_json(again, "pushMany")["merchants"]] == [6, 4, 11]


def test_a_refused_deletion_is_on_its_row_and_exits_2_while_the_others_go_on(sim: CriteoSimulator, three: Path) -> None:
    manifest = write_manifest(three, fleet(three))
    assert push_many(sim, manifest).exit_code == 1
    write_feed(three / "feeds" / "101.jsonl", products(3, "J"))  # half the catalog gone: a broken export?
    manifest = write_manifest(three, fleet(three, **{"101": {"delete-missing": True}}))
    result = push_many(sim, manifest)
    assert result.exit_code == 2, result.output
    assert table_rows(result.stdout) == [  # refreshed, deleted, unchanged: none, no column
        {"merchant": "101", "upserted": "3", "rejected": "0", "pending": "0", "exit": "2", "error": "DELETION REFUSED"},
        {"merchant": "102", "upserted": "4", "rejected": "0", "pending": "0", "exit": "0", "error": ""},
        {"merchant": "103", "upserted": "11", "rejected": "1", "pending": "0", "exit": "1", "error": ""},
    ]
    assert "merchant 101: DELETION REFUSED delete_missing: nothing deleted" in result.stdout
    assert one_line(result.stderr).startswith("Error: merchant 101: delete_missing: nothing deleted")
    assert len(catalog_ids(sim, 101)) == 6  # nothing deleted
    assert "API calls:" in result.stdout and "one application budget of 250 calls/min (memory)" in result.stdout
    data = one_json(push_many(sim, manifest, "--json"), "pushMany")
    assert [m["exitCode"] for m in data["merchants"]] == [2, 0, 1]
    assert data["error"]["type"] == "DeletionRefused" and data["error"]["message"].startswith("merchant 101: ")


def test_one_merchants_failure_never_stops_the_others(sim: CriteoSimulator, three: Path) -> None:
    sim.control.configure(merchants=[101, 103])  # these credentials may not manage 102
    data = one_json(push_many(sim, write_manifest(three, fleet(three)), "--json"), "pushMany")
    assert data["exitCode"] == 3 and [m["exitCode"] for m in data["merchants"]] == [0, 3, 1]
    assert data["merchants"][1]["error"]["type"] == "PermissionDeniedError"
    assert data["error"]["message"].startswith("merchant 102: ")
    assert len(sim.control.catalog(101)) == 6 and len(sim.control.catalog(103)) == 11


def test_a_missing_feed_is_exit_2_before_any_request(sim: CriteoSimulator, three: Path) -> None:
    merchants = fleet(three)
    merchants[1]["feed"] = "feeds/gone.csv"
    manifest = write_manifest(three, merchants)
    result = push_many(sim, manifest)
    assert result.exit_code == 2
    assert (
        one_line(result.stderr)
        == f"Error: merchant 102: feed {three / 'feeds' / 'gone.csv'}: No such file or directory"
    )
    assert sim.control.requests() == []
    assert list((three / "state").iterdir()) == []  # no state file made either
    failure = one_json(push_many(sim, manifest, "--json"), "failure")
    assert (failure["command"], failure["error"]["type"]) == ("push-many", "FeedError")
    only = one_json(push_many(sim, manifest, "--only", "101", "--only", "103", "--json"), "pushMany")
    assert [m["merchantId"] for m in only["merchants"]] == [101, 103]  # the missing one not run, not checked


def test_a_dry_run_sends_nothing_and_changes_no_state(sim: CriteoSimulator, three: Path) -> None:
    manifest = write_manifest(three, fleet(three))
    assert push_many(sim, manifest).exit_code == 1
    states = {p: p.read_bytes() for p in (three / "state").glob("*.db")}
    sim.control.clear_requests()
    result = invoke(None, "push-many", manifest, "--dry-run", "--json")  # no credentials needed
    data = one_json(result, "pushMany")
    assert (data["dryRun"], data["calls"]["total"], data["appBudget"]) == (True, 0, None)
    assert [m["counts"]["pending"] for m in data["merchants"]] == [6, 4, 11]  # would be sent
    assert sim.control.requests() == []
    assert {p: p.read_bytes() for p in states} == states
    human = invoke(None, "push-many", manifest, "--dry-run", env={"COLUMNS": "40"})  # a narrow terminal
    assert "Dry run (nothing sent)" in human.stdout
    assert [(r["merchant"], r["would be sent"], r["exit"]) for r in table_rows(human.stdout)] == [
        ("101", "6", "0"),  # nothing cut to fit
        ("102", "4", "0"),
        ("103", "11", "1"),
    ]


def test_a_dry_run_copies_each_state_once_and_still_refuses_a_bad_one_first(
    sim: CriteoSimulator, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from criteo_catalog_sdk.push.pipeline import run as pipeline_run

    manifest = write_manifest(three, fleet(three))
    assert push_many(sim, manifest).exit_code == 1  # three state files
    copies: list[str] = []
    real_copy = pipeline_run._copy_read_only
    monkeypatch.setattr(pipeline_run, "_copy_read_only", lambda src, dst: (copies.append(src), real_copy(src, dst)))
    assert invoke(None, "push-many", manifest, "--dry-run", "--json").exit_code == 1
    assert sorted(copies) == sorted(str(p) for p in (three / "state").glob("*.db"))  # once each
    (three / "state" / "102.db").write_bytes(b"not a database" * 100)
    result = invoke(None, "push-many", manifest, "--dry-run")
    assert result.exit_code == 2 and "merchant 102" in one_line(result.stderr), result.output
    assert "not an SQLite file" in result.stderr and result.stdout == ""


def test_unknown_fields_judges_a_merchants_unmapped_attributes_as_push_does(three: Path) -> None:
    manifest = write_manifest(three, fleet(three, **{"103": {"unknown-fields": "reject"}}))
    data = one_json(invoke(None, "push-many", manifest, "--dry-run", "--only", "103", "--json"), "pushMany")
    (merchant,) = data["merchants"]
    assert merchant["counts"]["rejected"] == 4  # the item without an image, and 3 with g:ships_from_country
    assert {e["type"] for e in merchant["errors"]} == {"MissingField", "UnknownField"}


def bucket_rows(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("SELECT COUNT(*) FROM rate_bucket").fetchone()[0])
    finally:
        db.close()


def test_every_merchants_calls_spend_the_one_application_budget(sim: CriteoSimulator, three: Path) -> None:
    budget = three / "budget.db"  # the budget the processes of a host share
    spec = f"sqlite:///{budget}"
    result = invoke(sim, "--app-budget", spec, "push-many", write_manifest(three, fleet(three)), *FAST, "--json")
    data = one_json(result, "pushMany")
    api_calls = [r for r in sim.control.requests() if r["route"] in ("batch", "report")]
    assert all(catalog_ids(sim, merchant) for merchant in (101, 102, 103))
    assert data["appBudget"] == {"where": spec, "callsPerMinute": 250}
    assert bucket_rows(budget) == data["calls"]["total"] == len(api_calls)  # all three merchants' calls


def test_a_bad_app_budget_is_one_line_and_exit_2_before_any_request(sim: CriteoSimulator, three: Path) -> None:
    manifest = write_manifest(three, fleet(three))
    result = invoke(sim, "--app-budget", "nope", "push-many", manifest)
    assert result.exit_code == 2
    assert one_line(result.stderr) == (
        "Error: --app-budget: unknown application budget 'nope': use memory, off, sqlite:///PATH or redis://HOST:PORT/DB"
    )
    from_env = invoke(sim, "push-many", manifest, "--dry-run", env={"CRITEO_APP_BUDGET": f"sqlite:///{three}/no/b.db"})
    assert from_env.exit_code == 2 and "--app-budget: application budget sqlite:///" in one_line(from_env.stderr)
    assert sim.control.requests() == [] and list((three / "state").iterdir()) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"103": {"state": "state"}}, "merchant 103: state file {d}/state: is a directory"),
        ({"102": {"state": "feeds/101.jsonl"}}, "merchant 102: state file {d}/feeds/101.jsonl: not an SQLite file"),
        ({"101": {"report-out": "nowhere/r.json"}}, "merchant 101: report-out {d}/nowhere/r.json: the directory"
         " {d}/nowhere does not exist"),
        ({"101": {"report-out": "reports"}}, "merchant 101: report-out {d}/reports: is a directory"),
        ({"102": {"feed": "feeds"}}, "merchant 102: feed {d}/feeds: is a directory"),
        ({"103": {"state": "state/101.db"}}, "manifest {d}/manifest.toml: merchant 101 and merchant 103 share the"
         " same state: {d}/state/101.db"),
        ({"102": {"batch-size": 0}}, "manifest {d}/manifest.toml: merchant 102: batch-size: must be an integer >= 1,"
         " got 0"),
    ],
)  # fmt: skip
def test_everything_local_is_checked_before_any_request(
    sim: CriteoSimulator, three: Path, change: dict[str, dict[str, Any]], expected: str
) -> None:
    result = push_many(sim, write_manifest(three, fleet(three, **change)))
    assert result.exit_code == 2, result.output
    line = one_line(result.stderr)
    assert line.startswith("Error: " + expected.format(d=three)), line
    assert sim.control.requests() == []
    assert result.stdout == ""


def test_an_unknown_only_or_a_missing_manifest_is_exit_2(sim: CriteoSimulator, three: Path) -> None:
    only = push_many(sim, write_manifest(three, fleet(three)), "--only", "999")
    assert only.exit_code == 2
    assert one_line(only.stderr).startswith("Error: --only 999: not in the manifest") and "101, 102, 103" in only.stderr
    missing = push_many(sim, str(three / "none.toml"), "--json")
    assert missing.exit_code == 2 and "cannot be read (No such file or directory)" in one_line(missing.stderr)
    assert one_json(missing, "failure")["error"]["type"] == "ManifestError"
    assert sim.control.requests() == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_is_130_every_state_consistent_and_the_same_command_resumes(
    sim: CriteoSimulator, tmp_path: Path
) -> None:
    (tmp_path / "state").mkdir()
    merchants = [{"id": m, "feed": EXAMPLE, "state": f"state/{m}.db"} for m in (301, 302)]
    manifest = write_manifest(tmp_path, merchants, defaults={"batch-size": 100, "rate-limit": 400})
    command = [ENTRY_POINT, *credentials(sim), "push-many", manifest, *FAST]
    states = [tmp_path / "state" / f"{m}.db" for m in (301, 302)]
    code, stdout, stderr = interrupt_midway(command, lambda: min(accepted_batches(s) for s in states) >= 1)
    assert code == 130, stderr.decode()
    line = one_line(stderr.decode())
    assert line == "interrupted: every merchant's state file is consistent; run the same command again to resume"
    assert b"Traceback" not in stdout
    assert all(1 <= accepted_batches(s) < 20 for s in states)  # both were interrupted midway (20 batches each)
    write_manifest(tmp_path, merchants, defaults={"batch-size": 100})  # the rest at full speed
    resumed = run_cli(*command[1:], "--json")
    assert resumed.code == 1, resumed.stderr  # the example feed's 9 broken products, for each merchant
    data = json.loads(resumed.stdout)
    assert_schema(data, "pushMany")
    for merchant in data["merchants"]:
        assert merchant["resumed"] and merchant["counts"]["upserted"] == 1990 and merchant["exitCode"] == 1
    assert all(len(sim.control.catalog(m)) == 1990 for m in (301, 302))
