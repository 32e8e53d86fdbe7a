"""The ``criteo-catalog`` group: help, one-line failures through the real entry point, light imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator
from tests.fresh_imports import loaded_by

from .conftest import (
    ENTRY_POINT,
    MERCHANT_CENTER,
    assert_schema,
    credentials,
    invoke,
    one_line,
    products,
    run_cli,
    write_feed,
)


def test_help_and_version() -> None:
    done = run_cli("--help")
    assert done.code == 0 and "Exit codes:" in done.stdout
    for command in ("push", "delete", "validate", "report", "stats", "simulator"):
        assert f"  {command} " in done.stdout
        assert invoke(None, command, "--help").exit_code == 0
    version = invoke(None, "--version")
    assert version.exit_code == 0 and "version" in version.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["push", "/no/such/feed.jsonl", "--merchant-id", "1"], "File '/no/such/feed.jsonl' does not exist."),
        (["push", "{tmp}", "--merchant-id", "1"], "is a directory"),
        (["push", MERCHANT_CENTER], "Missing option '--merchant-id'"),
        (["push", MERCHANT_CENTER, "--merchant-id", "0"], "0 is not in the range 1<=x<=2147483647"),
        (["push", MERCHANT_CENTER, "--merchant-id", "1", "--nope"], "No such option '--nope'"),
        (["--api-version", "nope", "validate", MERCHANT_CENTER], "'nope' is not one of 'experimental', 'preview'"),
        (["frobnicate"], "No such command 'frobnicate'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(tmp_path: Path, args: list[str], fragment: str) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    env = {"CRITEO_CLIENT_ID": "x", "CRITEO_CLIENT_SECRET": "y"}
    done = invoke(None, *args, env=env)
    assert done.exit_code == 2
    line = one_line(done.stderr)
    assert line.startswith("Error: ") and fragment in line and "--help" in line
    assert done.stdout == ""
    as_json = invoke(None, *args, "--json", env=env)
    assert as_json.exit_code == 2 and one_line(as_json.stderr) == line
    data = json.loads(as_json.stdout)
    assert_schema(data, "failure")
    assert data["exitCode"] == 2 and data["error"]["message"] in line


def test_usage_errors_through_the_real_entry_point(tmp_path: Path) -> None:
    missing = run_cli("push", str(tmp_path / "missing.jsonl"), "--merchant-id", "1")
    assert missing.code == 2 and "does not exist" in one_line(missing.stderr) and missing.stdout == ""
    unknown = run_cli("--api-version", "nope", "validate", MERCHANT_CENTER, "--json")
    assert unknown.code == 2 and "'nope' is not one of 'experimental', 'preview'" in one_line(unknown.stderr)
    assert_schema(json.loads(unknown.stdout), "failure")


def test_the_group_imports_no_command_dependency() -> None:
    commands = (
        "criteo_catalog_sdk.push.pipeline",
        "criteo_catalog_sdk.push.journal",
        "criteo_catalog_sdk.simulator.service",
    )
    heavy = ("sqlite3", "uvicorn", "jsonschema", *commands)
    assert loaded_by("from criteo_catalog_sdk.cli import main", heavy) == []


def test_python_m_runs_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "criteo_catalog_sdk.cli", "validate", MERCHANT_CENTER],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "12 products: 11 valid, 1 invalid" in done.stdout


def test_library_warnings_are_not_printed_twice_by_a_real_process(sim: CriteoSimulator, tmp_path: Path) -> None:
    """The SDK logs a deprecation and a refused deletion as warnings; with no logging configured Python
    would print them raw beside the command's own line."""
    sim.control.deprecate("preview", "2027-06-30")
    stats = run_cli(*credentials(sim), "stats", "5")
    assert stats.code == 0
    assert one_line(stats.stderr).startswith("warning: Criteo has deprecated the preview API generation")
    sim.control.activate("preview")
    state = str(tmp_path / "state.db")
    full = write_feed(tmp_path / "full.jsonl", products(4))
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    push = [*credentials(sim), "push", "--merchant-id", "5", "--state", state, "--first-poll", "0.3"]
    assert run_cli(*push, full).code == 0
    refused = run_cli(*push, str(empty), "--delete-missing")
    assert refused.code == 2 and one_line(refused.stderr).startswith("Error: delete_missing: nothing deleted")


def test_a_reader_that_goes_away_is_one_line_and_exit_2(tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "bad.jsonl", [{"id": f"X{i}", "title": "no link, no image"} for i in range(3000)])
    proc = subprocess.Popen([ENTRY_POINT, "validate", feed, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head` done reading
    stderr = proc.stderr.read().decode()
    assert proc.wait(30) == 2, stderr
    assert one_line(stderr) == "Error: stdout was closed before the output ended"


def test_ctrl_c_anywhere_else_is_exit_130_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("criteo_catalog_sdk.push.validate.validate_feed", interrupted)
    result = invoke(None, "validate", MERCHANT_CENTER, "--json")
    assert result.exit_code == 130
    assert one_line(result.stderr) == "interrupted: the command stopped before its end"
    data = json.loads(result.stdout)
    assert_schema(data, "failure")
    assert (data["command"], data["error"]["type"]) == ("validate", "Interrupted")
