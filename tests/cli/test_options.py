"""Global options: every command gets --base-url, --client-id, --client-secret and --api-version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from criteo_catalog_sdk import API_VERSIONS, DEFAULT_API_VERSION
from criteo_catalog_sdk.cli.options import RETRY_HELP, GlobalOptions
from criteo_catalog_sdk.push.decisions import MIN_SEND_ATTEMPTS
from criteo_catalog_sdk.retry import RetryPolicy
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

from .conftest import FAST, ROOT, invoke, one_json, one_line, product


def test_api_version_choices_are_the_sdks_and_the_default_is_its_default() -> None:
    shown = invoke(None, "--help").stdout
    assert f"[{'|'.join(API_VERSIONS)}]" in shown and f"[default: {DEFAULT_API_VERSION}]" in shown
    assert GlobalOptions().api_version == DEFAULT_API_VERSION


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "-"],
        ["push", "-", "--merchant-id", "1"],
        ["stats", "1"],
        ["report", "t"],
        ["delete", "--merchant-id", "1", "x"],
    ],
)
def test_an_unknown_api_version_is_one_line_naming_the_known_ones(command: list[str]) -> None:
    result = invoke(None, "--api-version", "2099-01", *command, "--json")
    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert "'2099-01' is not one of 'experimental', 'preview'" in line
    assert one_json(result, "failure")["command"] == command[0]
    from_env = invoke(None, *command, env={"CRITEO_API_VERSION": "nope"})
    assert from_env.exit_code == 2 and "'nope' is not one of" in one_line(from_env.stderr)


def test_credentials_from_the_options_or_the_environment() -> None:
    glob = GlobalOptions(base_url="http://127.0.0.1:9", client_id="id", client_secret="s")
    assert glob.credentials() == ("http://127.0.0.1:9", "id", "s")
    env = {"CRITEO_CLIENT_ID": "x", "CRITEO_CLIENT_SECRET": "y", "CRITEO_API_URL": "http://example.com"}
    result = invoke(None, "stats", "1", env=env)
    assert result.exit_code == 2 and "refusing to send credentials over plain http" in one_line(result.stderr)


def test_the_retry_deadline_is_documented_from_the_policy() -> None:
    policy = RetryPolicy()
    assert f"up to {policy.attempts} attempts within {policy.deadline:g} s" in RETRY_HELP
    assert f"at least {MIN_SEND_ATTEMPTS} times" in RETRY_HELP
    for command in ([], ["push"], ["delete"], ["report"], ["stats"]):
        assert RETRY_HELP in " ".join(invoke(None, *command, "--help").stdout.split())
    assert RETRY_HELP in " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert GlobalOptions().retry_policy() == policy
    assert GlobalOptions(retry_deadline=1.0).retry_policy().deadline == 1.0


def test_the_environment_stands_in_for_the_options(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    feed = tmp_path / "f.jsonl"
    feed.write_text(json.dumps(product()) + "\n")
    env = {"CRITEO_CLIENT_ID": sim.client_id, "CRITEO_CLIENT_SECRET": sim.client_secret, "CRITEO_API_URL": sim.base_url}
    result = invoke(None, "push", str(feed), "--merchant-id", str(sim.merchant_id), "--json", *FAST, env=env)
    assert result.exit_code == 0 and one_json(result, "push")["counts"]["upserted"] == 1
