"""Live mode (``contract_tests.live``) run against the simulator over a real loopback socket.

The simulator in its documented shape stands for a server that follows Criteo's documentation: the
run must pass and its report must list how such a server deviates from the published spec. In its
broken modes it stands for a server that breaks the spec: the run must fail and name the violation.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from contract_tests import live
from contract_tests.conftest import SIMULATED_GENERATIONS, LoopbackSimulator
from contract_tests.specs import DEFAULT_GENERATION, GENERATIONS, generation

ALL_CHECKS = {
    "token",
    "no-token",
    "report-malformed-token",
    "report-unknown-token",
    "stats",
    "batch-empty",
    "batch-required-fields",
    "batch-submit",
    "batch-report",
}


def env_for(sim: LoopbackSimulator, out: Path, *, writes: bool = True, **extra: str) -> dict[str, str]:
    env = {
        "CRITEO_API_URL": sim.base_url,
        "CRITEO_CLIENT_ID": sim.client_id,
        "CRITEO_CLIENT_SECRET": sim.client_secret,
        "CRITEO_TEST_MERCHANT_ID": str(sim.merchant_id),
        "CRITEO_CONTRACT_REPORTS": str(out),
        "CRITEO_CONTRACT_POLL_INTERVAL": "0.05",
        "CRITEO_CONTRACT_REPORT_DEADLINE": "20",
    }
    if writes:
        env["CRITEO_CONTRACT_ALLOW_WRITES"] = "1"
    env.update(extra)
    return env


def conformance(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "conformance.json").read_text(encoding="utf-8"))
    return data


def deviations(report: dict[str, Any]) -> list[str]:
    return [entry["deviation"] for entry in report["deviations"]]


def test_the_generation_comes_from_the_command_line_then_the_environment() -> None:
    env = {"CRITEO_CLIENT_ID": "a", "CRITEO_CLIENT_SECRET": "b"}
    settings = live.Settings.from_env(env)
    assert settings is not None and settings.api_version is None  # the SDK's default generation
    other = next((name for name in GENERATIONS if name != DEFAULT_GENERATION), DEFAULT_GENERATION)
    settings = live.Settings.from_env({**env, "CRITEO_API_VERSION": other})
    assert settings is not None and settings.api_version == other
    settings = live.Settings.from_env({**env, "CRITEO_API_VERSION": other}, api_version=DEFAULT_GENERATION)
    assert settings is not None and settings.api_version == DEFAULT_GENERATION
    assert f"api_version={DEFAULT_GENERATION!r}" in repr(settings)


def test_an_unknown_generation_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    env = {"CRITEO_CLIENT_ID": "a", "CRITEO_CLIENT_SECRET": "b", "CRITEO_CONTRACT_REPORTS": str(tmp_path)}
    assert live.main(env, argv=["--api-version", "2019-01"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown API version '2019-01'" in err
    assert not (tmp_path / "conformance.json").exists()
    assert live.main({**env, "CRITEO_API_VERSION": "nope"}) == 2


def test_skips_without_credentials(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert live.main({"CRITEO_CONTRACT_REPORTS": str(tmp_path)}) == 0
    assert live.main({"CRITEO_CLIENT_ID": "only-the-id", "CRITEO_CONTRACT_REPORTS": str(tmp_path)}) == 0
    out = capsys.readouterr().out
    assert "live contract tests skipped" in out and "CRITEO_CLIENT_SECRET" in out
    assert not (tmp_path / "conformance.json").exists()


@pytest.mark.parametrize("name", SIMULATED_GENERATIONS)
def test_documented_server_conforms(
    name: str, loopback: LoopbackSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = generation(name)
    assert live.main(env_for(loopback, tmp_path), argv=["--api-version", name]) == 0, capsys.readouterr().out
    report = conformance(tmp_path)
    assert report["api_version"] == name
    assert report["conforms_to_effective_spec"] is True and report["violations"] == []
    if where.stats_template is not None:
        assert {o["check"] for o in report["observations"]} == ALL_CHECKS
    else:
        assert {o["check"] for o in report["observations"]} == ALL_CHECKS - {"stats"}
        assert f"stats: the {name} generation has no statistics operation" in report["skipped"]
    final = [o for o in report["observations"] if o["check"] == "batch-report"][-1]
    assert final["status"] == 200 and final["body"]["status"] == "VALIDATED"
    assert "## Violations" not in (tmp_path / "conformance.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [name for name in SIMULATED_GENERATIONS if generation(name).documented])
def test_the_deviations_of_a_documented_server_are_listed(
    name: str, loopback: LoopbackSimulator, tmp_path: Path
) -> None:
    # D1, D5, D9 are deviations of preview's published contract (and experimental's, the same one).
    where = generation(name)
    assert live.main(env_for(loopback, tmp_path), argv=["--api-version", name]) == 0
    report = conformance(tmp_path)
    found = deviations(report)
    # D1: the documented report has neither warningDetails nor numberOfProductsWithWarnings.
    assert "body: 'warningDetails' is a required property" in found
    assert "body: 'numberOfProductsWithWarnings' is a required property" in found
    # D5: the documented error answers are not declared by the published spec.
    for status, template in (
        (401, where.report_template),
        (400, where.report_template),
        (404, where.report_template),
        (400, where.batch_path),
    ):
        method = "POST" if template == where.batch_path else "GET"
        assert f"status: status {status} is not declared for {method} {template}" in found
    # D9: stats counters as integers where the published spec says strings.
    assert any(d.startswith("body/data/statisticsRecordList/0/total:") for d in found)
    targets = {entry["overlay_target"] for entry in report["deviations"]}
    assert "$.components.schemas.ReportOkResponse" in targets
    assert "$.components.schemas.StatisticsRecord.properties.total" in targets
    assert f"$.paths['{where.report_template}'].get.responses" in targets
    markdown = (tmp_path / "conformance.md").read_text(encoding="utf-8")
    assert "## Deviations from the published spec (candidate overlay actions)" in markdown
    assert "overlay target: `$.components.schemas.ReportOkResponse`" in markdown


def test_spec_shaped_server_conforms_with_fewer_deviations(loopback: LoopbackSimulator, tmp_path: Path) -> None:
    loopback.control.configure(response_shape="spec")
    assert live.main(env_for(loopback, tmp_path)) == 0
    found = deviations(conformance(tmp_path))
    assert not any("warningDetails" in d or "statisticsRecordList" in d for d in found), found
    assert any(d.startswith("status: status 401 is not declared") for d in found)


def test_read_only_by_default(loopback: LoopbackSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert live.main(env_for(loopback, tmp_path, writes=False)) == 0
    report = conformance(tmp_path)
    assert {o["check"] for o in report["observations"]} == {
        "token",
        "no-token",
        "report-malformed-token",
        "report-unknown-token",
        "stats",
    }
    assert loopback.control.requests("batch") == []
    assert any("CRITEO_CONTRACT_ALLOW_WRITES" in reason for reason in report["skipped"])
    assert "skip writes" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("breach", "check", "named"),
    [
        ("202-without-token", "batch-submit", "body: 'operationToken' is a required property"),
        ("report-status-outside-enum", "batch-report", "body/status: 'COMPLETED' is not one of"),
        ("counter-not-numeric", "stats", "body/data/statisticsRecordList/0/total: 'n/a' is not valid"),
        ("counter-not-numeric", "batch-report", "body/numberOfProductsInTheBatch: 'n/a' is not valid"),
        ("json-as-text-plain", "stats", "Content-Type 'text/plain; charset=utf-8' for a body the spec declares"),
        ("error-without-envelope", "no-token", "body: 'errors' is a required property"),
    ],
)
def test_broken_server_fails_naming_the_violation(
    loopback: LoopbackSimulator,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    breach: str,
    check: str,
    named: str,
) -> None:
    loopback.control.configure(break_contract=[breach])
    assert live.main(env_for(loopback, tmp_path)) == 1
    out = capsys.readouterr().out
    assert any(named in line for line in out.splitlines() if "violation:" in line), out
    report = conformance(tmp_path)
    assert report["conforms_to_effective_spec"] is False
    broken = [o for o in report["violations"] if o["check"] == check]
    assert broken, report["violations"]
    assert any(named in error for o in broken for error in o["effective_errors"]), broken
    assert "## Violations" in (tmp_path / "conformance.md").read_text(encoding="utf-8")


def test_answers_that_are_not_json_are_violations_not_crashes(loopback: LoopbackSimulator, tmp_path: Path) -> None:
    loopback.control.fail_next("invalid-json", count=2, route="report")
    assert live.main(env_for(loopback, tmp_path, writes=False)) == 1
    report = conformance(tmp_path)
    not_json = [o for o in report["violations"] if "body: the body is not JSON" in o["effective_errors"]]
    assert {o["check"] for o in not_json} == {"no-token", "report-malformed-token"}
    assert all("<not JSON>" in o["body"] for o in not_json)


def test_a_dropped_connection_is_a_violation_of_that_check(loopback: LoopbackSimulator, tmp_path: Path) -> None:
    loopback.control.fail_next("drop", route="stats")
    assert live.main(env_for(loopback, tmp_path, writes=False)) == 1
    (stats,) = [o for o in conformance(tmp_path)["violations"]]
    assert stats["check"] == "stats" and stats["status"] is None
    assert stats["expectation_errors"][0].startswith("no answer: ")


def test_refused_credentials_fail_the_run(
    loopback: LoopbackSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loopback.control.configure(credentials={"someone-else": "their-secret"})
    assert live.main(env_for(loopback, tmp_path)) == 1
    assert "token endpoint answered 401" in capsys.readouterr().out


def test_unreachable_server_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {"CRITEO_API_URL": f"http://127.0.0.1:{port}", "CRITEO_CLIENT_ID": "a", "CRITEO_CLIENT_SECRET": "b"}
    env["CRITEO_CONTRACT_REPORTS"] = str(tmp_path)
    assert live.main(env) == 2
    assert "cannot talk to" in capsys.readouterr().err


def test_no_secret_and_no_token_in_the_reports(loopback: LoopbackSimulator, tmp_path: Path) -> None:
    env = env_for(loopback, tmp_path, CRITEO_CLIENT_SECRET="very-secret-value-42")
    assert live.main(env) == 0
    issued = loopback.control.requests("token")
    assert issued
    text = (tmp_path / "conformance.json").read_text() + (tmp_path / "conformance.md").read_text()
    assert "very-secret-value-42" not in text
    token_observation = next(o for o in conformance(tmp_path)["observations"] if o["check"] == "token")
    assert token_observation["body"]["access_token"] == "<redacted>"
    assert token_observation["body"]["token_type"] == "Bearer"


def test_optional_fuzz_of_the_get_operations(loopback: LoopbackSimulator, tmp_path: Path) -> None:
    env = env_for(loopback, tmp_path, writes=False, CRITEO_CONTRACT_FUZZ_EXAMPLES="3")
    assert live.main(env) == 0
    assert len(loopback.control.requests("stats")) > 3 and loopback.control.requests("batch") == []
    loopback.control.reset()
    loopback.control.configure(break_contract=["counter-not-numeric"])
    assert live.main(env) == 1
    fuzz = [o for o in conformance(tmp_path)["violations"] if o["check"].startswith("fuzz:")]
    assert fuzz and fuzz[0]["check"] == "fuzz:response_schema_conformance"
