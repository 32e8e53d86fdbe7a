"""Fixtures of the reliability suite: a simulator in its own process, the secrets audit, the figures.

Every test here is marked ``reliability``. ``CRITEO_RELIABILITY=full`` runs the issue's sizes (``make
reliability``); without it the short variant runs (``make test``, CI). Figures are printed, shown in the
terminal summary and merged into ``reports/reliability.json``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from criteo_catalog_sdk.auth import ClientCredentialsAuth
from criteo_catalog_sdk.simulator.handle import SimulatorControl
from criteo_catalog_sdk.simulator.runner import SimulatorProcess

from ._support import CLIENT_ID, MODE, SECRET, SEED, STATIC_TOKEN
from .figures import FIGURES, Figures
from .secret_audit import SecretAudit


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "reliability: the reliability suite (short by default; CRITEO_RELIABILITY=full for the issue's sizes)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/reliability/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.reliability)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    FIGURES.save()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not FIGURES.data:
        return
    terminalreporter.section(f"reliability figures ({MODE} variant, seed {SEED})")
    for line in FIGURES.lines():
        terminalreporter.write_line(line)


@dataclass
class Simulator:
    """The simulator process of the session, reset for one test."""

    base_url: str
    control: SimulatorControl
    process: SimulatorProcess

    @property
    def token_url(self) -> str:
        """The OAuth2 token endpoint."""
        return self.base_url + "/oauth2/token"

    def fetch_token(self) -> str:
        """An access token for the suite's credentials, fetched by hand."""
        response = httpx.post(
            self.token_url,
            data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": SECRET},
        )
        response.raise_for_status()
        return str(response.json()["access_token"])


@pytest.fixture(scope="session")
def simulator_process() -> Iterator[SimulatorProcess]:
    """One simulator in a child process (loopback, free port, seeded faults), only our credentials."""
    process = SimulatorProcess(
        [
            "--host",
            "127.0.0.1",
            "--client",
            f"{CLIENT_ID}:{SECRET}",
            "--static-token",
            STATIC_TOKEN,
            "--seed",
            str(SEED),
            "--accepted-seconds",
            "0.1",
            "--processing-seconds",
            "0.2",
        ]
    )
    process.start()
    try:
        yield process
    finally:
        process.close()


@pytest.fixture
def simulator(simulator_process: SimulatorProcess) -> Iterator[Simulator]:
    """The session's simulator, reset (state, settings, faults, clock, request log) for this test."""
    control = SimulatorControl(simulator_process.base_url, timeout=60)
    control.reset()
    try:
        yield Simulator(simulator_process.base_url, control, simulator_process)
    finally:
        control.close()


@pytest.fixture
def audit(monkeypatch: pytest.MonkeyPatch) -> Iterator[SecretAudit]:
    """DEBUG logging of every logger captured, and every token the SDK receives collected: call
    ``audit.verify()`` at the end of the test (teardown verifies again)."""
    found = SecretAudit()
    original = ClientCredentialsAuth._parse_token_response

    def spy(self: ClientCredentialsAuth, response: httpx.Response, sent_at: float) -> Any:
        from .secret_audit import tokens_of_token_response

        found.token_bodies.append(response.content)
        found.add_tokens(tokens_of_token_response(response.content))
        return original(self, response, sent_at)

    monkeypatch.setattr(ClientCredentialsAuth, "_parse_token_response", spy)
    found.log.install()
    try:
        yield found
    finally:
        found.log.uninstall()
    found.verify()


@pytest.fixture
def figures() -> Figures:
    """The figures recorder of the session."""
    return FIGURES
