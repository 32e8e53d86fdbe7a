"""The clients the commands build: every one gets the global options, the application budget included."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

from .conftest import FAST, invoke, one_json, one_line, products, write_feed

BAD = "Error: --app-budget: unknown application budget 'nope': use memory, off, sqlite:///PATH or redis://HOST:PORT/DB"


def budget_rows(path: Path) -> int:
    """Calls recorded in an ``sqlite:///`` application budget (pyrate-limiter's table)."""
    if not path.exists():
        return 0
    db = sqlite3.connect(path)
    try:
        return int(db.execute("SELECT COUNT(*) FROM rate_bucket").fetchone()[0])
    finally:
        db.close()


def api_calls(sim: CriteoSimulator) -> int:
    return len([r for r in sim.control.requests() if r["route"] in ("batch", "report", "stats")])


def commands(sim: CriteoSimulator, tmp_path: Path) -> dict[str, list[str]]:
    """A call of each command that talks to the API (report: of a batch pushed before)."""
    feed = write_feed(tmp_path / "f.jsonl", products(3))
    merchant = str(sim.merchant_id)
    pushed = invoke(sim, "push", feed, "--merchant-id", merchant, "--no-wait", "--json")
    (token,) = json.loads(pushed.stdout)["operations"]
    manifest = tmp_path / "m.toml"
    manifest.write_text(f'[[merchant]]\nid = {merchant}\nfeed = "f.jsonl"\n', encoding="utf-8")
    return {
        "push": ["push", feed, "--merchant-id", merchant, *FAST],
        "push-many": ["push-many", str(manifest), *FAST],
        "delete": ["delete", "--merchant-id", merchant, "P0", *FAST],
        "report": ["report", token, "--wait", *FAST],
        "stats": ["stats", merchant],
    }


@pytest.fixture(params=["push", "push-many", "delete", "report", "stats"])
def args(request: pytest.FixtureRequest, sim: CriteoSimulator, tmp_path: Path) -> list[str]:
    """The call of each command that talks to the API in turn, the simulator's request log cleared."""
    call = commands(sim, tmp_path)[request.param]
    sim.control.clear_requests()
    return call


def test_every_command_spends_the_application_budget_it_is_given(
    sim: CriteoSimulator, tmp_path: Path, args: list[str]
) -> None:
    budget = tmp_path / "budget.db"
    result = invoke(sim, "--app-budget", f"sqlite:///{budget}", *args)
    assert result.exit_code == 0, result.output
    assert budget_rows(budget) == api_calls(sim) >= 1  # every call it made waited for that budget
    env = invoke(sim, *args, env={"CRITEO_APP_BUDGET": f"sqlite:///{budget}"})
    assert env.exit_code == 0 and budget_rows(budget) == api_calls(sim)  # the environment names it as well


def test_a_bad_app_budget_is_one_line_and_exit_2_before_any_request(
    sim: CriteoSimulator, tmp_path: Path, args: list[str]
) -> None:
    result = invoke(sim, "--app-budget", "nope", *args, "--json")
    assert result.exit_code == 2
    assert one_line(result.stderr) == BAD
    assert one_json(result, "failure")["error"]["type"] == "ConfigurationError"
    missing = f"sqlite:///{tmp_path}/no/budget.db"
    from_env = invoke(sim, *args, env={"CRITEO_APP_BUDGET": missing})
    assert from_env.exit_code == 2
    assert one_line(from_env.stderr) == (
        f"Error: --app-budget: application budget {missing}: {missing.removeprefix('sqlite://')} is not a file in an"
        " existing directory"
    )
    assert sim.control.requests() == []


def test_a_dry_run_refuses_a_bad_app_budget_too(tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "f.jsonl", products(2))
    result = invoke(None, "--app-budget", "nope", "push", feed, "--merchant-id", "5", "--dry-run")
    assert result.exit_code == 2 and one_line(result.stderr) == BAD


def test_the_option_is_documented_with_its_environment_variable() -> None:
    shown = " ".join(invoke(None, "--help").stdout.split())
    assert "--app-budget SPEC" in shown and "[env CRITEO_APP_BUDGET; default memory]" in shown
    assert "sqlite:///PATH (shared by the processes of a host)" in shown
