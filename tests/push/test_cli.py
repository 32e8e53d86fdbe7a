"""The catalog commands (``criteo_catalog_sdk.cli_commands``) through click, against the simulator.

A throwaway group declares the global options and registers the commands, as ``cli.py`` does.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from criteo_catalog_sdk.cli_commands import ProgressDisplay, count_feed_lines, global_options, register
from criteo_catalog_sdk.push.progress import ProgressEvent
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

from .conftest import ROOT, product

EXAMPLE = str(ROOT / "examples" / "catalog.jsonl")
JSON_KEYS = {"products", "upserted", "deleted", "rejected", "warned", "batches", "operations", "errors", "notes"}
FAST = ["--first-poll", "0.3", "--batch-size", "200"]


@click.group()
@global_options
def cli() -> None:
    """Test group."""


register(cli)


def invoke(
    sim: CriteoSimulator | None, *args: str, input: str | None = None, env: dict[str, str] | None = None
) -> Result:
    head = (
        []
        if sim is None
        else ["--base-url", sim.base_url, "--client-id", sim.client_id, "--client-secret", sim.client_secret]
    )
    return CliRunner(env=env).invoke(cli, [*head, *args], input=input, catch_exceptions=False)


def one_json(result: Result) -> dict[str, Any]:
    value = json.loads(result.stdout)  # exactly one JSON document on stdout
    assert isinstance(value, dict)
    return value


def write_feed(path: Path, products: list[Any]) -> str:
    path.write_text("".join((p if isinstance(p, str) else json.dumps(p)) + "\n" for p in products))
    return str(path)


def test_push_json_reports_every_product(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    out = tmp_path / "result.csv"
    result = invoke(
        sim, "push", EXAMPLE, "--merchant-id", str(sim.merchant_id), "--json", "--report-out", str(out), *FAST
    )
    assert result.exit_code == 1, result.output  # some products rejected
    data = one_json(result)
    assert set(data) == JSON_KEYS
    assert (data["products"], data["upserted"], data["rejected"], data["deleted"]) == (2000, 1990, 9, 0)
    assert data["batches"] == len(data["operations"]) == len(sim.control.operations())
    assert len(data["errors"]) == 9 and all(set(e) == {"productId", "stage", "type", "message"} for e in data["errors"])
    too_long = next(e for e in data["errors"] if e["productId"] == "AO-PAC-00250")
    assert too_long["type"] == "TooLong" and "1140" in too_long["message"] and "500" in too_long["message"]
    unreadable = next(e for e in data["errors"] if e["type"] == "ParseError")
    assert unreadable["productId"] is None and "line 1900" in unreadable["message"]
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 2000 and rows[16]["status"] == "rejected" and rows[16]["field"] == "imageLink"
    assert data["notes"] == ["attribute 'imageLnk' (1 row) maps to no Criteo Product field; ignored"]


def test_push_human_output_and_json_report(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    feed = write_feed(tmp_path / "f.jsonl", [product(id=f"A{i}", title=f"T{i}") for i in range(30)])
    out = tmp_path / "result.json"
    result = invoke(sim, "push", feed, "--merchant-id", str(sim.merchant_id), "--report-out", str(out), *FAST)
    assert result.exit_code == 0, result.output
    assert "upserted" in result.stdout and "30" in result.stdout
    report = json.loads(out.read_text())
    assert report["summary"]["upserted"] == 30 and len(report["outcomes"]) == 30


def test_bad_lines_are_reported_with_their_line_numbers(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    csv_feed = tmp_path / "feed.csv"
    csv_feed.write_text(
        "id,title,link,imageLink,price\n"
        "C1,One,https://e.example/1,https://e.example/1.jpg,9.99 EUR\n"
        "C2,Two,https://e.example/2,https://e.example/2.jpg,not-a-price\n"
        'C3,"unterminated\n'
    )
    result = invoke(sim, "push", str(csv_feed), "--merchant-id", str(sim.merchant_id), "--json", *FAST)
    assert result.exit_code == 1, result.output
    data = one_json(result)
    assert (data["products"], data["upserted"], data["rejected"]) == (3, 1, 2)
    messages = {e["productId"]: e["message"] for e in data["errors"]}
    assert "line 3" in messages["C2"]
    assert any("line 4" in m for m in messages.values())


def test_a_feed_with_nothing_readable_is_a_feed_error(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "junk.jsonl", ["not json", "[1, 2]"])
    result = invoke(criteo_simulator, "push", feed, "--merchant-id", "1", "--json", *FAST)
    assert result.exit_code == 2
    assert criteo_simulator.control.requests("batch") == []


def test_usage_errors(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "f.jsonl", [product()])
    no_env = {"CRITEO_CLIENT_ID": "", "CRITEO_CLIENT_SECRET": "", "CRITEO_API_URL": ""}
    assert invoke(None, "push", feed, "--merchant-id", "1", env=no_env).exit_code == 2  # no credentials
    assert invoke(criteo_simulator, "push", str(tmp_path / "missing.jsonl"), "--merchant-id", "1").exit_code == 2
    assert invoke(criteo_simulator, "push", feed, "--merchant-id", "0").exit_code == 2
    assert invoke(criteo_simulator, "push", feed).exit_code == 2  # --merchant-id is required
    env = {"CRITEO_CLIENT_ID": "x", "CRITEO_CLIENT_SECRET": "y", "CRITEO_API_URL": "http://example.com"}
    assert invoke(None, "push", feed, "--merchant-id", "1", env=env).exit_code == 2  # plain http off loopback


def test_environment_fallback(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    feed = write_feed(tmp_path / "f.jsonl", [product()])
    env = {"CRITEO_CLIENT_ID": sim.client_id, "CRITEO_CLIENT_SECRET": sim.client_secret, "CRITEO_API_URL": sim.base_url}
    result = invoke(None, "push", feed, "--merchant-id", str(sim.merchant_id), "--json", *FAST, env=env)
    assert result.exit_code == 0 and one_json(result)["upserted"] == 1


def test_refused_credentials_exit_3(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    sim.control.configure(credentials={"someone": "else"})
    feed = write_feed(tmp_path / "f.jsonl", [product()])
    result = invoke(sim, "push", feed, "--merchant-id", str(sim.merchant_id), "--json", "--state", str(tmp_path / "s"))
    assert result.exit_code == 3
    data = one_json(result)
    assert set(data) == JSON_KEYS and data["errors"][0]["type"] == "AuthenticationError"
    sim.control.configure(credentials=None)
    result = invoke(
        sim, "push", feed, "--merchant-id", str(sim.merchant_id), "--json", "--state", str(tmp_path / "s"), *FAST
    )
    assert result.exit_code == 0 and one_json(result)["upserted"] == 1  # resumed from the state


def test_dry_run_sends_nothing(criteo_simulator: CriteoSimulator) -> None:
    result = invoke(criteo_simulator, "push", EXAMPLE, "--merchant-id", "5", "--dry-run", "--json")
    assert result.exit_code == 1
    data = one_json(result)
    assert (data["rejected"], data["upserted"], data["batches"], data["operations"]) == (9, 0, 2, [])
    assert criteo_simulator.control.requests() == []


def test_no_wait_then_report(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    feed = write_feed(
        tmp_path / "f.jsonl", [product(id=f"A{i}") for i in range(5)] + [product(id="X", title="t" * 501)]
    )
    result = invoke(sim, "push", feed, "--merchant-id", str(sim.merchant_id), "--no-wait", "--json")
    assert result.exit_code == 1  # the client-side rejection is known without waiting
    (token,) = one_json(result)["operations"]
    report = invoke(sim, "report", token, "--wait", "--json")
    assert report.exit_code == 0 and one_json(report)["status"] == "VALIDATED"
    human = invoke(sim, "report", token)
    assert human.exit_code == 0 and "VALIDATED" in human.stdout
    assert invoke(sim, "report", "not-a-token").exit_code == 3


def test_stats(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    feed = write_feed(tmp_path / "f.jsonl", [product(id=f"A{i}") for i in range(3)])
    assert invoke(sim, "push", feed, "--merchant-id", str(sim.merchant_id), *FAST).exit_code == 0
    result = invoke(sim, "stats", str(sim.merchant_id), "--hours", "2", "--json")
    assert result.exit_code == 0
    assert one_json(result)["data"]["statisticsRecordList"]
    human = invoke(sim, "stats", str(sim.merchant_id))
    assert human.exit_code == 0 and "total" in human.stdout


def test_validate(tmp_path: Path) -> None:
    result = invoke(None, "validate", EXAMPLE, "--json")
    assert result.exit_code == 1
    data = one_json(result)
    assert (data["products"], data["valid"], data["invalid"]) == (2000, 1991, 9)
    assert data["duplicates"] == [{"line": 1500, "productId": "ao-jac-00200", "sameAsLine": 200}]
    clean = write_feed(tmp_path / "ok.jsonl", [product()])
    assert invoke(None, "validate", clean).exit_code == 0
    junk = write_feed(tmp_path / "junk.jsonl", ["{"])
    assert invoke(None, "validate", junk).exit_code == 2


def test_delete(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    feed = write_feed(tmp_path / "f.jsonl", [product(id=f"A{i}") for i in range(4)])
    assert invoke(sim, "push", feed, "--merchant-id", str(sim.merchant_id), *FAST).exit_code == 0
    result = invoke(sim, "delete", "--merchant-id", str(sim.merchant_id), "A1", "A2", "--json", "--first-poll", "0.3")
    assert result.exit_code == 0
    assert one_json(result)["deleted"] == 2
    assert set(sim.control.catalog(sim.merchant_id)) == {"a0", "a3"}


def test_stdin_feed(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator
    lines = "".join(json.dumps(product(id=f"S{i}")) + "\n" for i in range(3))
    result = invoke(sim, "push", "-", "--merchant-id", str(sim.merchant_id), "--json", *FAST, input=lines)
    assert result.exit_code == 0 and one_json(result)["upserted"] == 3


def test_delta_and_delete_missing(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    state = str(tmp_path / "state.db")
    full = write_feed(tmp_path / "full.jsonl", [product(id=f"D{i}", title=f"T{i}") for i in range(10)])
    args = ["--merchant-id", str(sim.merchant_id), "--state", state, "--delta", "--json", *FAST]
    assert invoke(sim, "push", full, *args).exit_code == 0
    smaller = write_feed(
        tmp_path / "small.jsonl", [product(id=f"D{i}", title="changed" if i == 0 else f"T{i}") for i in range(8)]
    )
    sim.control.clear_requests()
    result = invoke(sim, "push", smaller, *args, "--delete-missing", "--max-delete-fraction", "0.2")
    assert result.exit_code == 0
    data = one_json(result)
    assert (data["products"], data["upserted"], data["deleted"]) == (10, 1, 2)  # 7 unchanged, not sent
    assert sum(r["products"] for r in sim.control.requests("batch")) == 3
    assert set(sim.control.catalog(sim.merchant_id)) == {f"d{i}" for i in range(8)}


def test_progress_display_renders_without_a_terminal() -> None:
    out = io.StringIO()
    with ProgressDisplay(100, file=out) as display:
        display(ProgressEvent(read=50, validated=48, rejected=2, sent=40, accepted=40, throughput=100.0))
        display(ProgressEvent(read=100, validated=98, rejected=2, sent=98, accepted=98, done=98, finished=True))
    assert "validated" in out.getvalue()


def test_count_feed_lines(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_bytes(b"a\nb\nc")
    assert count_feed_lines(str(f)) == 3
    assert count_feed_lines("-") is None
    assert count_feed_lines(str(tmp_path / "missing")) is None


@pytest.mark.parametrize("command", ["push", "delete", "report", "stats", "validate"])
def test_help(command: str) -> None:
    assert invoke(None, command, "--help").exit_code == 0
