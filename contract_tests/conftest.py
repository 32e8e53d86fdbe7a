"""Fixtures of the contract suite: one simulator on a loopback socket for the session, fresh ASGI apps.

Nothing here reaches the internet: servers listen on 127.0.0.1 and the SDK-side tests use in-memory
transports.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from contract_tests.specs import GENERATIONS, ROOT
from criteo_catalog_sdk.simulator.app import SimulatorApp, create_app
from criteo_catalog_sdk.simulator.config import Settings, SimulatorConfig
from criteo_catalog_sdk.simulator.handle import SimulatorControl
from criteo_catalog_sdk.simulator.runner import SimulatorServer

STATIC_TOKEN = "contract-suite-token"
CLIENT_ID = "contract-client"
CLIENT_SECRET = "contract-secret"
MERCHANT_ID = 123
REPORTS = ROOT / "reports"
#: The API generations the simulator serves, each at its own paths: every one. The server-side tests
#: (schemathesis, live mode, the simulator's side of the documented examples, broken modes) run for each.
SIMULATED_GENERATIONS: tuple[str, ...] = GENERATIONS


def simulator_settings(*breaks: str, shape: str = "documented") -> Settings:
    """Settings for contract runs: a static token, no rate limits (schemathesis sends bursts: neither the
    products/s budget nor the 250 calls/min one), operations that finish in a fraction of a second;
    ``breaks`` are test-only spec breaches."""
    return Settings(
        static_tokens=frozenset({STATIC_TOKEN}),
        rate_limit=0,
        calls_per_minute=0,
        accepted_seconds=0.05,
        processing_seconds=0.1,
        response_shape="spec" if shape == "spec" else "documented",
        break_contract=frozenset(breaks),
    )


def make_app(*breaks: str, shape: str = "documented") -> SimulatorApp:
    """A fresh in-process simulator (ASGI app)."""
    return create_app(SimulatorConfig(port=0, settings=simulator_settings(*breaks, shape=shape), control=False))


@dataclass(frozen=True)
class LoopbackSimulator:
    """The session's simulator on 127.0.0.1: URL, credentials, and the control handle."""

    base_url: str
    control: SimulatorControl
    token: str = STATIC_TOKEN
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    merchant_id: int = MERCHANT_ID


@pytest.fixture(scope="session")
def _loopback_server() -> Iterator[SimulatorServer]:
    # log_level error: the coverage phase sends deliberately malformed HTTP that uvicorn would warn about.
    config = SimulatorConfig(host="127.0.0.1", port=0, settings=simulator_settings(), log_level="error")
    with SimulatorServer(config) as server:
        yield server


@pytest.fixture
def loopback(_loopback_server: SimulatorServer) -> Iterator[LoopbackSimulator]:
    """The session's loopback simulator, reset (state, settings, faults, clock) for this test."""
    control = SimulatorControl(_loopback_server.base_url)
    control.reset()
    try:
        yield LoopbackSimulator(base_url=_loopback_server.base_url, control=control)
    finally:
        control.reset()
        control.close()


@pytest.fixture(scope="session")
def reports_dir() -> Path:
    """``reports/`` at the repository root (JUnit XML of the schemathesis runs goes there)."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    return REPORTS
