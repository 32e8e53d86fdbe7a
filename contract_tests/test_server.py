"""Server side: schemathesis against the simulator, in-process (ASGI) and over a loopback socket.

Every phase (examples, coverage, fuzzing, stateful), every check (the narrow ``duplicate-product``
exemption of ``contract_tests/hooks.py`` aside), positive and negative data, seeded and bounded. The
stateful phase must actually follow the overlay's link from the 202's ``operationToken`` to a report.
Each run leaves JUnit XML under ``reports/``. Per API generation the simulator serves
(``SIMULATED_GENERATIONS``), each judged by its own effective spec at its own paths.
"""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from contract_tests import harness, server, strategies
from contract_tests.conftest import SIMULATED_GENERATIONS, LoopbackSimulator, make_app
from contract_tests.specs import Generation, generation
from criteo_catalog_sdk.api_versions import OP_BATCH, OP_REPORT

SEED = harness.DEFAULT_SEED
EXAMPLES = 8


def full(where: Generation) -> harness.HarnessSettings:
    """Every phase and mode; the default generation with the full example budget, the others with less."""
    return harness.HarnessSettings(seed=SEED, max_examples=strategies.budget(where, EXAMPLES), mode="all")


def labels(where: Generation) -> tuple[str, str, list[str]]:
    """The batch and report operations of ``where`` as schemathesis names them, and all of its operations."""
    every = [f"{method.upper()} {template}" for method, template in where.operations]
    return where.label(OP_BATCH), where.label(OP_REPORT), every


def assert_thorough(result: harness.HarnessResult, where: Generation) -> None:
    """The run found nothing, and really exercised every operation, every phase and the link."""
    assert result.ok, result.summary()
    batch, report, every = labels(where)
    for phase in ("coverage", "fuzzing"):
        for operation in every:
            assert result.cases[(phase, operation)] > 0, (phase, operation, result.summary())
    # Positive and negative data both reached the batch endpoint: some accepted, some rejected.
    assert result.answered("fuzzing", batch, 202) + result.answered("coverage", batch, 202) > 0
    assert result.answered("coverage", batch, 400) > 0
    # Stateful: the 202's operationToken led to reports (the overlay's GetReport link).
    assert result.answered("stateful", batch, 202) > 0, result.responses
    assert result.answered("stateful", report, 200) > 0, result.responses


@pytest.mark.parametrize("name", SIMULATED_GENERATIONS)
def test_in_process_asgi(name: str, reports_dir: Path) -> None:
    where = generation(name)
    result = harness.run(app=make_app(), token="contract-suite-token", settings=full(where), api_version=name)
    junit = reports_dir / f"contract-server-asgi-{name}-junit.xml"
    harness.write_junit(result, junit, suite=f"contract-server-asgi-{name}")
    assert_thorough(result, where)


@pytest.mark.slow
@pytest.mark.parametrize("name", SIMULATED_GENERATIONS)
def test_loopback_socket_with_the_runner(
    name: str, loopback: LoopbackSimulator, reports_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The user-facing runner, as users run it against any base URL (here the simulator on 127.0.0.1).
    junit = reports_dir / f"contract-server-loopback-{name}-junit.xml"
    code = server.main(
        [
            "--api-version",
            name,
            "--base-url",
            loopback.base_url,
            "--token",
            loopback.token,
            "--seed",
            str(SEED),
            "--max-examples",
            str(strategies.budget(generation(name), EXAMPLES)),
            "--junit",
            str(junit),
        ],
        env={},
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "0 failure(s), 0 error(s)" in out and "read-only" not in out
    suite = ET.parse(junit).getroot().find("testsuite")
    every = labels(generation(name))[2]
    # At least the examples, coverage and fuzzing phases of each operation.
    assert suite is not None and suite.get("failures") == "0" and int(suite.get("tests", "0")) >= 3 * len(every)
    names = {case.get("name", "").split(" (")[0] for case in suite.iter("testcase")}
    assert set(every) <= names
    # The stateful phase followed the link over the socket too.
    reports = [r for r in loopback.control.requests("report") if r["status"] == 200]
    assert reports, "no report was fetched with a token from a 202"


def test_the_runner_fetches_a_token_and_stays_read_only_off_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    assert server.is_loopback("http://127.0.0.1:8787") and server.is_loopback("http://localhost")
    assert server.is_loopback("http://[::1]:80")
    assert not server.is_loopback("https://api.criteo.com") and not server.is_loopback("http://10.0.0.1")
    seen: dict[str, object] = {}

    def fake_run(**kwargs: object) -> harness.HarnessResult:
        seen.update(kwargs)
        settings = kwargs["settings"]
        assert isinstance(settings, harness.HarnessSettings)
        return harness.HarnessResult(target=str(kwargs["base_url"]), spec="catalog.yaml", settings=settings)

    monkeypatch.setattr(server, "run", fake_run)
    monkeypatch.setattr(server, "write_junit", lambda result, path: Path(path))
    monkeypatch.setattr(server, "fetch_token", lambda base_url, client_id, secret: f"token-for-{client_id}")
    env = {"CRITEO_API_URL": "https://criteo.example", "CRITEO_CLIENT_ID": "me", "CRITEO_CLIENT_SECRET": "s"}
    assert server.main([], env=env) == 0
    assert seen["token"] == "token-for-me"
    settings = seen["settings"]
    assert isinstance(settings, harness.HarnessSettings) and settings.read_only
    assert server.main(["--allow-writes"], env=env) == 0
    settings = seen["settings"]
    assert isinstance(settings, harness.HarnessSettings) and not settings.read_only


def test_the_runner_refuses_to_run_blind() -> None:
    assert server.main([], env={}) == 2  # no base URL
    assert server.main(["--base-url", "http://127.0.0.1:9"], env={}) == 2  # no token, no credentials
    assert (
        server.main(["--base-url", "http://127.0.0.1:9", "--mode", "all", "--phases", "nope", "--token", "t"], env={})
        == 2
    )


def test_the_runner_exits_2_when_nothing_answers(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    argv = ["--base-url", url, "--token", "t", "--phases", "fuzzing", "--max-examples", "1"]
    assert server.main([*argv, "--junit", str(tmp_path / "j.xml")], env={}) == 2


def test_read_only_runs_send_no_batch() -> None:
    app = make_app()
    settings = harness.HarnessSettings(seed=SEED, max_examples=3, phases=("coverage", "fuzzing"), read_only=True)
    result = harness.run(app=app, token="contract-suite-token", settings=settings)
    assert result.ok, result.summary()
    _, _, every = labels(generation())
    assert {operation for _, operation in result.cases} == {op for op in every if op.startswith("GET ")}
    assert not [r for r in app.service.requests if r.route == "batch"]
