"""``criteo-catalog push`` against the simulator over loopback: outcomes, JSON, local outputs, failures."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator
from tests.push.conftest import cut_xml_feed

from .conftest import (
    EXAMPLE,
    FAST,
    invoke,
    one_json,
    one_line,
    product,
    products,
    write_feed,
)


def push(sim: CriteoSimulator, feed: str, *args: str, input: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return invoke(sim, "push", feed, "--merchant-id", str(sim.merchant_id), *FAST, *args, input=input)


def test_json_accounts_for_every_product(sim: CriteoSimulator, tmp_path: Path) -> None:
    out = tmp_path / "result.csv"
    result = push(sim, EXAMPLE, "--json", "--report-out", str(out))
    assert result.exit_code == 1, result.output  # 9 products rejected
    data = one_json(result, "push")
    counts = data["counts"]
    assert (counts["total"], counts["upserted"], counts["rejected"], counts["superseded"]) == (2000, 1990, 9, 1)
    assert (data["apiVersion"], data["merchantId"], data["error"]) == ("preview", 123, None)
    assert data["reportOut"] == str(out)
    assert data["batches"] == len(data["operations"]) == len(sim.control.operations())
    assert len(data["errors"]) == 9
    too_long = next(e for e in data["errors"] if e["productId"] == "AO-PAC-00250")
    where = (too_long["line"], too_long["field"], too_long["stage"], too_long["type"])
    assert where == (250, "title", "client", "TooLong")
    assert too_long["issues"][0]["limit"] == 500 and "1140" in too_long["message"]
    unreadable = next(e for e in data["errors"] if e["type"] == "ParseError")
    assert unreadable["productId"] is None and unreadable["line"] == 1900
    assert data["notes"] == [
        {"kind": "feed", "message": "attribute 'imageLnk' (1 row) maps to no Criteo Product field; ignored"}
    ]
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 2000 and rows[16]["status"] == "rejected" and rows[16]["field"] == "imageLink"
    assert result.stderr == ""  # rejected products are no failure line


def test_a_clean_push_exits_0_with_a_human_summary_and_a_json_report(sim: CriteoSimulator, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "f.jsonl", products(30))
    out = tmp_path / "result.json"
    result = push(sim, feed, "--report-out", str(out))
    assert result.exit_code == 0, result.output
    assert "upserted" in result.stdout and "30" in result.stdout and f"written to {out}" in result.stdout
    report = json.loads(out.read_text())
    assert report["summary"]["upserted"] == 30 and len(report["outcomes"]) == 30
    assert len(sim.control.catalog(sim.merchant_id)) == 30
    ok = one_json(push(sim, feed, "--json"), "push")
    assert ok["ok"] and ok["counts"]["upserted"] == 30 and ok["errors"] == []


def test_a_dry_run_sends_nothing_and_checks_against_the_chosen_generation(sim: CriteoSimulator) -> None:
    result = invoke(None, "--api-version", "experimental", "push", EXAMPLE, "--merchant-id", "5", "--dry-run", "--json")
    assert result.exit_code == 1
    data = one_json(result, "push")
    assert (data["dryRun"], data["apiVersion"], data["batches"], data["operations"]) == (True, "experimental", 1, [])
    assert (data["counts"]["rejected"], data["counts"]["pending"]) == (9, 1990)
    assert sim.control.requests() == []
    human = invoke(None, "push", EXAMPLE, "--merchant-id", "5", "--dry-run")
    assert "Dry run (nothing sent)" in human.stdout and "would be sent" in human.stdout


def test_api_version_experimental_pushes_to_its_own_paths(sim: CriteoSimulator, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "f.jsonl", products(3))
    result = invoke(
        sim, "--api-version", "experimental", "push", feed, "--merchant-id", str(sim.merchant_id), *FAST, "--json"
    )
    assert result.exit_code == 0, result.output
    assert one_json(result, "push")["apiVersion"] == "experimental"
    batches = sim.control.requests("batch")
    assert batches and all(r["apiVersion"] == "experimental" for r in batches)
    assert all(r["path"].startswith("/experimental/") for r in sim.control.requests("report"))
    env = {"CRITEO_API_VERSION": "experimental"}
    assert (
        one_json(invoke(sim, "push", feed, "--merchant-id", "7", *FAST, "--json", env=env), "push")["apiVersion"]
        == "experimental"
    )


def test_stdin_and_unreadable_lines(sim: CriteoSimulator, tmp_path: Path) -> None:
    lines = "".join(json.dumps(p) + "\n" for p in products(3)) + "{not json\n"
    result = push(sim, "-", "--json", input=lines)
    assert result.exit_code == 1
    data = one_json(result, "push")
    assert (data["counts"]["upserted"], data["counts"]["rejected"]) == (3, 1)
    assert data["errors"][0]["line"] == 4 and data["errors"][0]["type"] == "ParseError"


def test_a_feed_with_nothing_readable_exits_2(sim: CriteoSimulator, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "junk.jsonl", ["not json", "[1, 2]"])
    result = push(sim, feed, "--json")
    assert result.exit_code == 2
    data = one_json(result, "push")
    assert data["error"]["type"] == "FeedUnreadable" and len(data["errors"]) == 2
    assert "no product of the feed could be read (line 1: invalid JSON" in one_line(result.stderr)
    assert sim.control.requests("batch") == []


def synced_state(sim: CriteoSimulator, tmp_path: Path, n: int = 10) -> str:
    """A state file that knows ``n`` products the merchant's catalog holds."""
    state = str(tmp_path / "state.db")
    feed = write_feed(tmp_path / "full.jsonl", products(n, "D"))
    assert push(sim, feed, "--state", state, "--json").exit_code == 0
    return state


def test_an_empty_feed_with_delete_missing_deletes_nothing_and_exits_2(sim: CriteoSimulator, tmp_path: Path) -> None:
    state = synced_state(sim, tmp_path)
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    sim.control.clear_requests()
    result = push(sim, str(empty), "--state", state, "--delete-missing", "--max-delete-fraction", "1", "--json")
    assert result.exit_code == 2
    data = one_json(result, "push")
    (refusal,) = [n for n in data["notes"] if n["kind"] == "refusal"]
    assert "nothing deleted: 10 of the 10 products" in refusal["message"] and "no valid product" in refusal["message"]
    assert data["error"] == {"type": "DeletionRefused", "message": refusal["message"]}
    assert data["counts"]["deleted"] == 0 and sim.control.requests("batch") == []
    assert one_line(result.stderr) == f"Error: {refusal['message']}"
    assert len(sim.control.catalog(sim.merchant_id)) == 10
    human = push(sim, str(empty), "--state", state, "--delete-missing")
    assert human.exit_code == 2 and "DELETION REFUSED" in human.stdout and "nothing deleted" in human.stdout


def test_a_truncated_feed_with_delete_missing_deletes_nothing_and_exits_2(sim: CriteoSimulator, tmp_path: Path) -> None:
    state = synced_state(sim, tmp_path)
    cut = cut_xml_feed(tmp_path / "cut.xml", "D")
    result = push(sim, str(cut), "--state", state, "--delete-missing", "--max-delete-fraction", "1", "--json")
    assert result.exit_code == 2
    data = one_json(result, "push")
    assert data["counts"]["deleted"] == 0 and data["counts"]["upserted"] == 5 and data["counts"]["rejected"] == 1
    (refusal,) = [n for n in data["notes"] if n["kind"] == "refusal"]
    assert "not read to its end" in refusal["message"]
    assert data["error"]["type"] == "FeedIncomplete"
    stderr = result.stderr.splitlines()
    assert stderr[0].startswith("Error: the feed could not be read to its end (item 6 (line 7): malformed XML")
    assert stderr[1] == f"Error: {refusal['message']}" and len(stderr) == 2
    assert len(sim.control.catalog(sim.merchant_id)) == 10


def test_a_deletion_over_the_fraction_is_refused_and_rejections_do_not_hide_it(
    sim: CriteoSimulator, tmp_path: Path
) -> None:
    state = synced_state(sim, tmp_path)
    smaller = write_feed(tmp_path / "small.jsonl", [*products(5, "D"), product(id="BAD", title="t" * 501)])
    result = push(sim, smaller, "--state", state, "--delta", "--delete-missing", "--json")
    assert result.exit_code == 2  # a rejected product (1) and a refused deletion (2): the refusal wins
    data = one_json(result, "push")
    assert data["counts"]["rejected"] == 1 and data["counts"]["deleted"] == 0
    assert "--max-delete-fraction / max_delete_fraction 0.1" in data["error"]["message"]
    assert "5 of the 10 products" in data["error"]["message"] and "(50%)" in data["error"]["message"]


def test_delta_and_delete_missing_within_the_fraction(sim: CriteoSimulator, tmp_path: Path) -> None:
    state = synced_state(sim, tmp_path)
    smaller = write_feed(tmp_path / "small.jsonl", [product(id="D0", title="changed"), *products(8, "D")[1:]])
    sim.control.clear_requests()
    args = ["--state", state, "--delta", "--delete-missing", "--max-delete-fraction", "0.2", "--json"]
    result = push(sim, smaller, *args)
    assert result.exit_code == 0, result.output
    counts = one_json(result, "push")["counts"]
    assert (counts["total"], counts["upserted"], counts["unchanged"], counts["deleted"]) == (10, 1, 7, 2)
    assert sum(r["products"] for r in sim.control.requests("batch")) == 3
    assert set(sim.control.catalog(sim.merchant_id)) == {f"d{i}" for i in range(8)}


def test_refresh_after_sends_unchanged_products_again(sim: CriteoSimulator, tmp_path: Path) -> None:
    state = synced_state(sim, tmp_path, 3)
    feed = str(tmp_path / "full.jsonl")
    again = one_json(push(sim, feed, "--state", state, "--delta", "--json"), "push")["counts"]
    assert (again["unchanged"], again["refreshed"]) == (3, 0)  # the default spread: 20 to 25 days away
    sim.control.clear_requests()
    result = push(sim, feed, "--state", state, "--delta", "--refresh-after", "1e-9", "--json")
    counts = one_json(result, "push")["counts"]
    assert (counts["refreshed"], counts["unchanged"], counts["upserted"]) == (3, 0, 0)
    assert sum(r["products"] for r in sim.control.requests("batch")) == 3
    human = push(sim, feed, "--state", state, "--delta", "--refresh-after", "1e-9")
    assert "refreshed (unchanged, sent again before expiry)" in human.stdout
    bad = push(sim, feed, "--refresh-after", "0")
    assert bad.exit_code == 2 and one_line(bad.stderr).startswith("Error: --refresh-after: push setting refresh_after")


def test_report_out_into_a_missing_directory_exits_2_before_any_request(sim: CriteoSimulator, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "f.jsonl", products(3))
    missing = tmp_path / "nowhere" / "out.csv"
    result = push(sim, feed, "--report-out", str(missing), "--json")
    assert result.exit_code == 2
    data = one_json(result, "failure")
    assert data["error"]["type"] == "ReportOutError" and data["command"] == "push"
    assert one_line(result.stderr) == f"Error: --report-out {missing}: the directory {missing.parent} does not exist"
    assert sim.control.requests() == []  # not even a token
    directory = push(sim, feed, "--report-out", str(tmp_path))
    assert directory.exit_code == 2 and one_line(directory.stderr).endswith(": is a directory")


def test_an_earlier_report_is_left_alone_until_the_push_is_over(sim: CriteoSimulator, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("earlier")
    feed = write_feed(tmp_path / "f.jsonl", products(2))
    assert push(sim, feed, "--report-out", str(out), "--state", str(tmp_path)).exit_code == 2  # a directory
    assert out.read_text() == "earlier"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_report_that_cannot_be_written_at_the_end_still_prints_the_summary(
    sim: CriteoSimulator, tmp_path: Path
) -> None:
    feed = write_feed(tmp_path / "f.jsonl", products(3))
    state = str(tmp_path / "state.db")
    result = push(sim, feed, "--report-out", "/dev/full", "--state", state, "--json")
    assert result.exit_code == 2
    data = one_json(result, "push")  # the summary, whole
    assert data["counts"]["upserted"] == 3 and data["error"]["type"] == "ReportOutError"
    line = one_line(result.stderr)
    assert line.startswith("Error: cannot write --report-out /dev/full: No space left on device")
    assert line.endswith(f"the outcomes remain readable from the state file {state}")
    human = push(sim, feed, "--report-out", "/dev/full")
    assert human.exit_code == 2 and "upserted" in human.stdout and "written to" not in human.stdout
    assert "state file" not in human.stderr  # none to point to


def test_a_state_file_that_is_text_exits_2_and_sends_nothing(sim: CriteoSimulator, tmp_path: Path) -> None:
    state = tmp_path / "state.txt"
    state.write_text("these are my notes, not a journal\n" * 10)
    feed = write_feed(tmp_path / "f.jsonl", products(3))
    result = push(sim, feed, "--state", str(state), "--json")
    assert result.exit_code == 2
    data = one_json(result, "failure")
    assert data["error"]["type"] == "StateFileError"
    assert one_line(result.stderr).startswith(f"Error: state file {state}: not an SQLite file")
    assert sim.control.requests() == []
    assert state.read_text().startswith("these are my notes")


def test_refused_credentials_exit_3_and_the_state_resumes(sim: CriteoSimulator, tmp_path: Path) -> None:
    sim.control.configure(credentials={"someone": "else"})
    feed = write_feed(tmp_path / "f.jsonl", [product()])
    state = str(tmp_path / "s.db")
    result = push(sim, feed, "--json", "--state", state)
    assert result.exit_code == 3
    data = one_json(result, "push")
    assert data["error"]["type"] == "AuthenticationError" and data["counts"]["pending"] == 1
    assert "push again with the same state" in one_line(result.stderr)
    sim.control.configure(credentials=None)
    resumed = one_json(push(sim, feed, "--json", "--state", state), "push")
    assert resumed["resumed"] and resumed["counts"]["upserted"] == 1


def test_a_merchant_the_credentials_may_not_manage_exits_3(sim: CriteoSimulator, tmp_path: Path) -> None:
    sim.control.configure(merchants=[999])
    feed = write_feed(tmp_path / "f.jsonl", [product()])
    result = push(sim, feed, "--json")
    assert result.exit_code == 3
    assert one_json(result, "push")["error"]["type"] == "PermissionDeniedError"
    assert "HTTP 403" in one_line(result.stderr)


def test_a_decommissioned_generation_exits_3_naming_it_and_the_option(sim: CriteoSimulator, tmp_path: Path) -> None:
    sim.control.decommission("preview")
    feed = write_feed(tmp_path / "f.jsonl", [product()])
    result = push(sim, feed, "--json")
    assert result.exit_code == 3
    assert one_json(result, "push")["error"]["type"] == "ApiVersionGoneError"
    line = one_line(result.stderr)
    assert "decommissioned the preview API generation (410 Gone)" in line and "--api-version" in line
    assert "experimental" in line  # the way out
    other = invoke(sim, "--api-version", "experimental", "push", feed, "--merchant-id", "5", *FAST)
    assert other.exit_code == 0, other.output


def test_a_deprecated_generation_is_one_line_on_stderr(sim: CriteoSimulator, tmp_path: Path) -> None:
    sim.control.deprecate("preview", "2027-06-30")
    feed = write_feed(tmp_path / "f.jsonl", products(2))
    result = push(sim, feed, "--json")
    assert result.exit_code == 0
    (note,) = [n for n in one_json(result, "push")["notes"] if n["kind"] == "deprecation"]
    assert "2027-06-30" in note["message"]
    assert one_line(result.stderr) == f"warning: {note['message']}"
    human = push(sim, feed)
    assert one_line(human.stderr) == f"warning: {note['message']}" and "deprecated" not in human.stdout


def test_reports_not_final_in_time_exit_3(sim: CriteoSimulator, tmp_path: Path) -> None:
    sim.control.freeze()  # no report ever becomes final
    feed = write_feed(tmp_path / "f.jsonl", products(2))
    result = push(sim, feed, "--report-timeout", "0.5", "--json")
    assert result.exit_code == 3
    data = one_json(result, "push")
    assert data["counts"]["pending"] == 2 and data["error"]["type"] == "ReportsNotFinal"
    assert "2 products pending: their reports were not final after 0.5 s" in result.stderr
    no_wait = one_json(push(sim, feed, "--no-wait", "--json"), "push")
    assert no_wait["exitCode"] == 0 and no_wait["counts"]["pending"] == 2 and not no_wait["wait"]


def test_options_out_of_range_name_the_option(sim: CriteoSimulator, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "f.jsonl", [product()])
    for option, value in (("--batch-size", "0"), ("--max-delete-fraction", "1.5"), ("--rate-limit", "0")):
        result = push(sim, feed, option, value, "--json")
        assert result.exit_code == 2, option
        assert one_line(result.stderr).startswith(f"Error: {option}: push setting"), result.stderr
        assert one_json(result, "failure")["error"]["type"] == "UsageError"
    assert sim.control.requests() == []


def test_bad_csv_lines_are_reported_with_their_line_numbers(sim: CriteoSimulator, tmp_path: Path) -> None:
    csv_feed = tmp_path / "feed.csv"
    csv_feed.write_text(
        "id,title,link,imageLink,price\n"
        "C1,One,https://e.example/1,https://e.example/1.jpg,9.99 EUR\n"
        "C2,Two,https://e.example/2,https://e.example/2.jpg,not-a-price\n"
        'C3,"unterminated\n'
    )
    result = push(sim, str(csv_feed), "--json")
    assert result.exit_code == 1, result.output
    data = one_json(result, "push")
    assert (data["counts"]["total"], data["counts"]["upserted"], data["counts"]["rejected"]) == (3, 1, 2)
    assert [(e["line"], e["productId"]) for e in data["errors"]] == [(3, "C2"), (4, None)]  # unreadable
    assert "line 3" in data["errors"][0]["message"]
