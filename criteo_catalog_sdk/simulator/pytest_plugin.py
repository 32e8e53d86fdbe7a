"""pytest plugin (``pytest11`` entry point): a ``criteo_simulator`` fixture for users' own tests.

Loaded by every pytest run wherever the SDK is installed, with or without the ``[simulator]`` extra, so
it imports nothing heavy at module level: the server is imported and started only when a test asks
for the fixture.

    def test_push(criteo_simulator):
        client = MyClient(base_url=criteo_simulator.base_url,
                          client_id=criteo_simulator.client_id,
                          client_secret=criteo_simulator.client_secret)
        ...
        criteo_simulator.control.fail_next("503", route="batch")
        criteo_simulator.control.advance(3)           # operations finish without sleeping
        assert criteo_simulator.control.catalog(criteo_simulator.merchant_id)

One simulator serves the whole session (``criteo_simulator_server``); ``criteo_simulator`` resets its
state, faults, clock and settings before each test. Override ``criteo_simulator_config`` (session
scope) to start it differently.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from criteo_catalog_sdk.simulator.config import SimulatorConfig
    from criteo_catalog_sdk.simulator.handle import SimulatorControl
    from criteo_catalog_sdk.simulator.runner import SimulatorServer

DEFAULT_CLIENT_ID = "simulator-client"
DEFAULT_CLIENT_SECRET = "simulator-secret"  # noqa: S105 - a fake credential for a local simulator
DEFAULT_MERCHANT_ID = 123


@dataclass(frozen=True)
class CriteoSimulator:
    """What a test needs to talk to the simulator."""

    base_url: str
    client_id: str
    client_secret: str
    merchant_id: int
    control: SimulatorControl

    @property
    def token_url(self) -> str:
        """The OAuth2 token endpoint."""
        return f"{self.base_url}/oauth2/token"

    def access_token(self) -> str:
        """A fresh access token for the fixture's credentials."""
        import httpx

        response = httpx.post(
            self.token_url,
            data={"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self.client_secret},
        )
        response.raise_for_status()
        return str(response.json()["access_token"])

    def headers(self) -> dict[str, str]:
        """``Authorization`` header with a fresh access token."""
        return {"Authorization": f"Bearer {self.access_token()}"}


@pytest.fixture(scope="session")
def criteo_simulator_config() -> SimulatorConfig:
    """How the session's simulator starts: loopback, a free port, short operation delays, Criteo's
    defaults otherwise (3000 products/s...). Override this fixture to change it."""
    try:
        from criteo_catalog_sdk.simulator.config import Settings, SimulatorConfig
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the installed extras
        pytest.skip(f"criteo_simulator needs the [simulator] extra ({exc.name} is missing)")
    return SimulatorConfig(
        host="127.0.0.1",
        port=0,
        # Operations finish in 0.3 s instead of ~3 s, so that tests that poll stay fast.
        settings=Settings(accepted_seconds=0.1, processing_seconds=0.2),
    )


@pytest.fixture(scope="session")
def criteo_simulator_server(criteo_simulator_config: SimulatorConfig) -> Iterator[SimulatorServer]:
    """One simulator on a background thread for the whole session."""
    try:
        from criteo_catalog_sdk.simulator.runner import SimulatorServer
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the installed extras
        pytest.skip(f"criteo_simulator needs the [simulator] extra ({exc.name} is missing)")
    server = SimulatorServer(criteo_simulator_config)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def criteo_simulator(criteo_simulator_server: SimulatorServer) -> Iterator[CriteoSimulator]:
    """The session's simulator, reset for this test: base URL, credentials, default merchant, control."""
    from criteo_catalog_sdk.simulator.handle import SimulatorControl

    control = SimulatorControl(criteo_simulator_server.base_url)
    control.reset()
    try:
        yield CriteoSimulator(
            base_url=criteo_simulator_server.base_url,
            client_id=DEFAULT_CLIENT_ID,
            client_secret=DEFAULT_CLIENT_SECRET,
            merchant_id=DEFAULT_MERCHANT_ID,
            control=control,
        )
    finally:
        control.close()
