"""``criteo-catalog report TOKEN`` against the simulator: the report, waiting for it, and its failures."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import pytest

from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

from .conftest import FAST, interrupt_report_wait, invoke, one_json, one_line, product, products, write_feed


def pushed_token(sim: CriteoSimulator, tmp_path: Path, *args: str) -> str:
    """The operation token of a batch pushed without waiting: 3 good products, one Criteo refuses (an
    additional image link too long), one it warns about (a badge link too long)."""
    long_link = "https://x/" + "i" * 2100
    feed = write_feed(
        tmp_path / "f.jsonl",
        [*products(3), product(id="BIG", additionalImageLinks=[long_link]), product(id="WARN", badge=long_link)],
    )
    result = invoke(sim, *args, "push", feed, "--merchant-id", str(sim.merchant_id), "--no-wait", "--json")
    (token,) = json.loads(result.stdout)["operations"]
    return str(token)


def test_report_json_and_human(sim: CriteoSimulator, tmp_path: Path) -> None:
    sim.control.configure(response_shape="spec")  # with warningDetails (Criteo's examples have none)
    token = pushed_token(sim, tmp_path)
    result = invoke(sim, "report", token, "--wait", *FAST, "--json")
    assert result.exit_code == 1, result.output  # Criteo rejected one product
    data = one_json(result, "report")
    assert (data["status"], data["final"], data["operationToken"]) == ("VALIDATED_WITH_ERRORS", True, token)
    assert data["counts"]["inBatch"] == 5 and data["counts"]["withErrors"] == 1
    (error,) = data["errors"]
    assert (error["productId"], error["stage"], error["line"]) == ("big", "api", None)
    assert error["type"] == "OverlargeSmallImage"
    (warning,) = data["warnings"]
    assert (warning["productId"], warning["type"]) == ("warn", "OverlargeBadgeUrl")
    human = invoke(sim, "report", token)
    assert human.exit_code == 1 and "VALIDATED_WITH_ERRORS" in human.stdout
    assert "error big: OverlargeSmallImage" in human.stdout and "warning warn: OverlargeBadgeUrl" in human.stdout


def test_a_clean_report_exits_0_and_a_pending_one_is_no_failure(sim: CriteoSimulator, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "f.jsonl", products(2))
    data = json.loads(invoke(sim, "push", feed, "--merchant-id", "5", "--no-wait", "--json").stdout)
    (token,) = data["operations"]
    pending = invoke(sim, "report", token, "--json")
    assert pending.exit_code == 0 and one_json(pending, "report")["final"] is False
    done = invoke(sim, "report", token, "--wait", *FAST, "--json")
    assert done.exit_code == 0 and one_json(done, "report")["status"] == "VALIDATED"


def test_an_unknown_token_exits_3_in_one_line(sim: CriteoSimulator) -> None:
    result = invoke(sim, "report", "not-a-token", "--json")
    assert result.exit_code == 3
    data = one_json(result, "failure")
    assert data["command"] == "report" and data["error"]["type"] == "MalformedOperationTokenError"
    assert "HTTP 400" in one_line(result.stderr)


def test_a_report_not_final_in_time_exits_3(sim: CriteoSimulator, tmp_path: Path) -> None:
    sim.control.freeze()
    token = pushed_token(sim, tmp_path)
    result = invoke(sim, "report", token, "--wait", "--timeout", "0.3", "--first-poll", "0.1")
    assert result.exit_code == 3
    assert "was not final after 0.3 s" in one_line(result.stderr)


def test_report_uses_the_api_version(sim: CriteoSimulator, tmp_path: Path) -> None:
    token = pushed_token(sim, tmp_path, "--api-version", "experimental")
    sim.control.clear_requests()
    result = invoke(sim, "--api-version", "experimental", "report", token, "--wait", *FAST, "--json")
    assert one_json(result, "report")["apiVersion"] == "experimental"
    reports = sim.control.requests("report")
    assert reports and all(r["path"].startswith("/experimental/") for r in reports)


def test_deprecated_and_decommissioned_generations(sim: CriteoSimulator, tmp_path: Path) -> None:
    token = pushed_token(sim, tmp_path)
    sim.control.deprecate("preview", "2027-06-30")
    result = invoke(sim, "report", token, "--json")
    (note,) = [n for n in one_json(result, "report")["notes"] if n["kind"] == "deprecation"]
    assert one_line(result.stderr) == f"warning: {note['message']}"
    sim.control.decommission("preview")
    gone = invoke(sim, "report", token)
    assert gone.exit_code == 3
    line = one_line(gone.stderr)
    assert "decommissioned the preview API generation" in line and "--api-version" in line


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32", reason="needs SIGINT")
@pytest.mark.parametrize("as_json", [False, True])
def test_ctrl_c_while_waiting_for_a_report_exits_130_in_one_line(
    sim: CriteoSimulator, tmp_path: Path, as_json: bool
) -> None:
    sim.control.freeze()  # before the push: its report is never final
    token = pushed_token(sim, tmp_path)
    returncode, stdout, stderr = interrupt_report_wait(sim, token, *(["--json"] if as_json else []))
    assert returncode == 130
    line = one_line(stderr.decode())
    assert line.startswith(f"interrupted: the report of operation {token} was not awaited to its end")
    if as_json:
        data = json.loads(stdout)
        assert data["exitCode"] == 130 and data["error"]["type"] == "Interrupted" and data["command"] == "report"
    else:
        assert stdout == b""
