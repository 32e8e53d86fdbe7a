"""The command line, the runners (thread and process) and the SQLite state across restarts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from criteo_catalog_sdk.cli import main
from criteo_catalog_sdk.simulator.config import Settings, SimulatorConfig
from criteo_catalog_sdk.simulator.handle import SimulatorControl
from criteo_catalog_sdk.simulator.runner import ServerProcess, SimulatorProcess, SimulatorServer, base_url
from tests.fresh_imports import loaded_by

from .conftest import documented_batch, insert

BATCH = "/preview/catalog/products/batch"


def token(url: str, client_id: str = "a", secret: str = "b") -> str:
    response = httpx.post(
        f"{url}/oauth2/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def test_help_lists_the_options() -> None:
    result = CliRunner().invoke(main, ["simulator", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--rate-limit", "--fault-rate", "--seed", "--response-shape", "--state"):
        assert option in result.output


@pytest.mark.parametrize(
    "args",
    [["--client", "no-secret"], ["--fault-kinds", "nonsense"], ["--fault-routes", "nowhere"], ["--merchants", "x"]],
)
def test_bad_options_are_refused(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["simulator", "--port", "0", *args])
    assert result.exit_code == 2, result.output


def test_base_url() -> None:
    assert base_url("127.0.0.1", 80) == "http://127.0.0.1:80"
    assert base_url("::1", 80) == "http://[::1]:80"


def test_process_prints_its_url_and_honours_flags(tmp_path: Path) -> None:
    args = [
        "--client",
        "me:pw:123",
        "--response-shape",
        "spec",
        "--rate-limit",
        "5",
        "--calls-per-minute",
        "7",
        "--seed",
        "3",
        "--fault-rate",
        "0",
        "--accepted-seconds",
        "0",
        "--processing-seconds",
        "0",
    ]
    with SimulatorProcess(args) as process:
        url = process.base_url
        assert url.startswith("http://127.0.0.1:")
        assert (
            httpx.post(
                f"{url}/oauth2/token", data={"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"}
            ).status_code
            == 401
        )
        headers = {"Authorization": f"Bearer {token(url, 'me', 'pw')}"}
        with httpx.Client(base_url=url, headers=headers) as http:
            accepted = http.post(BATCH, json=documented_batch())
            assert accepted.status_code == 202
            assert accepted.headers["x-ratelimit-limit"] == "7"  # the call budget
            too_many = http.post(BATCH, json={"entries": [insert(str(n)) for n in range(5)]})
            assert (too_many.status_code, too_many.headers["x-ratelimit-limit"]) == (429, "5")  # the product budget
            report = http.get(f"{BATCH}/report/{accepted.json()['operationToken']}").json()
            assert report["status"] == "VALIDATED" and "warningDetails" in report
            assert http.post(BATCH, json={"entries": [insert("a", merchant=456)]}).status_code == 403
        with SimulatorControl(url) as control:
            settings = control.settings()
        assert settings["credentials"] == {"me": "pw"} and settings["client_merchants"] == {"me": [123]}
    assert process.process is not None and process.process.poll() is not None


def test_console_script_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "criteo_catalog_sdk.simulator", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "--rate-limit" in result.stdout


def test_state_file_survives_a_restart(tmp_path: Path) -> None:
    state = str(tmp_path / "simulator.db")
    config = SimulatorConfig(port=0, state_file=state, settings=Settings(accepted_seconds=0, processing_seconds=0))
    with SimulatorServer(config) as first:
        access = token(first.base_url)
        headers = {"Authorization": f"Bearer {access}"}
        operation = httpx.post(f"{first.base_url}{BATCH}", json=documented_batch(), headers=headers).json()
        with SimulatorControl(first.base_url) as control:
            control.catalog(123)  # applies the finished operation
    with SimulatorServer(config) as second:
        # Same access token, same report, same catalog.
        headers = {"Authorization": f"Bearer {access}"}
        report = httpx.get(f"{second.base_url}{BATCH}/report/{operation['operationToken']}", headers=headers)
        assert report.status_code == 200 and report.json()["status"] == "VALIDATED"
        with SimulatorControl(second.base_url) as control:
            assert list(control.catalog(123)) == ["id"]


def test_thread_server_lifecycle() -> None:
    server = SimulatorServer(SimulatorConfig(port=0, control=False))
    with pytest.raises(RuntimeError):
        _ = server.base_url
    url = server.start()
    assert server.start() == url  # idempotent
    # Without the control endpoint, /_simulator/ is just another unknown path.
    assert httpx.get(f"{url}/_simulator/health").status_code == 404
    server.stop()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{url}/_simulator/health", timeout=2)


def test_port_in_use_is_reported() -> None:
    with SimulatorServer(SimulatorConfig(port=0)) as running:
        port = int(running.base_url.rsplit(":", 1)[1])
        result = CliRunner().invoke(main, ["simulator", "--port", str(port)])
        # 2, a local error, in criteo-catalog's exit-code table (1 means rejected products).
        assert result.exit_code == 2 and "cannot listen" in result.output


def test_the_plugin_imports_nothing_heavy() -> None:
    plugin = "import criteo_catalog_sdk.simulator.pytest_plugin, criteo_catalog_sdk.simulator"
    assert loaded_by(plugin, ("uvicorn", "starlette", "yaml", "jsonschema")) == []


def test_a_process_that_never_reports_its_url_is_stopped_and_cleaned_up() -> None:
    script = "import sys; sys.stderr.write('boom'); sys.stderr.flush(); print('not a url', flush=True)"
    server = ServerProcess([sys.executable, "-c", script])
    with pytest.raises(RuntimeError, match="did not report its URL: boom"):
        server.start(timeout=10)
    assert server.process is not None and server.process.poll() is not None
    assert server._stderr is not None and server._stderr.closed
