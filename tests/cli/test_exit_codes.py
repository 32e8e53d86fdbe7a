"""The exit-code table: defined once, shown by --help and the README, and every code produced for real."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import pytest

from criteo_catalog_sdk.cli.exit_codes import (
    MEANINGS,
    PRECEDENCE,
    CommandError,
    ExitCode,
    exit_code_of,
    help_epilog,
    markdown_table,
    most_severe,
)
from criteo_catalog_sdk.errors import (
    ApiVersionGoneError,
    AuthenticationError,
    ConfigurationError,
    InvalidRequestError,
    StateFileError,
    TimeoutError,
    TransportError,
)
from criteo_catalog_sdk.polling import ReportTimeoutError
from criteo_catalog_sdk.push.pipeline import PushAborted
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

from .conftest import ROOT, credentials, interrupt_report_wait, invoke, one_line, product, products, run_cli, write_feed


def test_the_table_has_every_code_once() -> None:
    assert list(MEANINGS) == list(ExitCode) == [0, 1, 2, 3, 130]


def test_help_and_readme_show_the_table() -> None:
    shown = invoke(None, "--help").stdout
    for code in ExitCode:
        assert f"{int(code):>5}  " in shown
    assert "the most severe wins: 130, then 3, then 2, then 1" in " ".join(shown.split())
    assert "Exit codes:" in help_epilog()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme and PRECEDENCE in readme


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ((), 0),
        ((0, 0), 0),
        ((1, 0), 1),
        ((1, 2), 2),  # rejected products and a refused deletion
        ((2, 1), 2),
        ((3, 2, 1), 3),
        ((130, 3), 130),
        ((1, 130), 130),
    ],
)
def test_most_severe(codes: tuple[int, ...], expected: int) -> None:
    assert most_severe(*codes) == expected


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (KeyboardInterrupt(), ExitCode.INTERRUPTED),
        (StateFileError("state file x: is a directory"), ExitCode.USAGE),
        (ConfigurationError("base_url is not a valid URL"), ExitCode.USAGE),
        (InvalidRequestError("push setting batch_size must be an integer >= 1"), ExitCode.USAGE),
        (OSError("cannot read"), ExitCode.USAGE),
        (ValueError("unknown feed format"), ExitCode.USAGE),
        (click.UsageError("no such option"), ExitCode.USAGE),
        (click.ClickException("anything"), ExitCode.USAGE),
        (CommandError("refused", ExitCode.API), ExitCode.API),
        (PushAborted("push stopped"), ExitCode.API),
        (AuthenticationError(401), ExitCode.API),
        (ApiVersionGoneError(410), ExitCode.API),
        (TransportError("POST http://127.0.0.1:1/x: ConnectError", retryable=True), ExitCode.API),
        (TimeoutError("read timeout", retryable=True), ExitCode.API),  # also an OSError: still the API's
        (ReportTimeoutError("tok", 3.0), ExitCode.API),
    ],
)
def test_exit_code_of(error: BaseException, expected: ExitCode) -> None:
    assert exit_code_of(error) == expected


def test_a_command_error_is_one_line() -> None:
    error = CommandError("first line\nsecond   line", ExitCode.USAGE)
    assert error.message == "first line second line" and error.exit_code == 2


def interrupted_report(sim: CriteoSimulator, push: list[str]) -> int:
    """``report --wait`` on a report that never becomes final, interrupted with Ctrl-C (SIGINT)."""
    sim.control.freeze()  # before the push: its report stays ACCEPTED
    token = json.loads(run_cli(*push, "--json").stdout)["operations"][0]
    returncode, _, stderr = interrupt_report_wait(sim, token)
    assert one_line(stderr.decode()).startswith("interrupted: "), (returncode, stderr)
    return returncode


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_every_exit_code_is_produced_for_real_by_the_entry_point(sim: CriteoSimulator, tmp_path: Path) -> None:
    good = write_feed(tmp_path / "good.jsonl", products(2))
    mixed = write_feed(tmp_path / "mixed.jsonl", [*products(2), product(id="X", title="t" * 501)])
    base = [*credentials(sim), "push", "--merchant-id", str(sim.merchant_id), "--first-poll", "0.3", "--no-wait"]
    produced = {
        run_cli(*base, good).code: "a clean push",
        run_cli(*base, mixed).code: "a push with a rejected product",
        run_cli(*base, str(tmp_path / "missing.jsonl")).code: "a missing feed",
    }
    sim.control.decommission("preview")
    produced[run_cli(*base, good).code] = "a decommissioned generation"
    sim.control.activate("preview")
    produced[interrupted_report(sim, [*base, good])] = "Ctrl-C while waiting for a report"
    assert set(produced) == set(ExitCode), produced
