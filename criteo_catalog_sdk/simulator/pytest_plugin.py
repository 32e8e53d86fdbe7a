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

The simulator serves every API generation at its own paths. ``criteo_simulator.api_version`` names the
one the test's clients should use, and ``criteo_simulator.paths`` has its paths for raw HTTP
(``paths.batch``, ``paths.report(token)``, ``paths.stats(merchant)``). It comes from the
``criteo_simulator_api_version`` fixture: ``CRITEO_API_VERSION``, else the SDK's default. Override it,
or parametrize it to run a test against several generations:

    @pytest.mark.parametrize("criteo_simulator_api_version", ["preview", "experimental"])
    def test_push_everywhere(criteo_simulator):
        client = MyClient(..., api_version=criteo_simulator.api_version)

The simulator counts Criteo's application budget (250 calls a minute per client id) as Criteo does;
a test that makes more calls turns it off with ``criteo_simulator.control.configure(calls_per_minute=0)``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from criteo_catalog_sdk.api_versions import DEFAULT_API_VERSION, ENV_API_VERSION

if TYPE_CHECKING:
    from criteo_catalog_sdk.api_versions import ApiVersion
    from criteo_catalog_sdk.simulator.config import SimulatorConfig
    from criteo_catalog_sdk.simulator.generations import Generation
    from criteo_catalog_sdk.simulator.handle import SimulatorControl
    from criteo_catalog_sdk.simulator.runner import SimulatorServer

DEFAULT_CLIENT_ID = "simulator-client"
DEFAULT_CLIENT_SECRET = "simulator-secret"  # noqa: S105 - a fake credential for a local simulator
DEFAULT_MERCHANT_ID = 123


@dataclass(frozen=True)
class SimulatorPaths:
    """The paths of one generation's operations, for tests that speak raw HTTP."""

    version: ApiVersion

    @property
    def batch(self) -> str:
        """The batch operation's path."""
        return self.version.batch.path()

    def report(self, operation_token: str) -> str:
        """The report operation's path for ``operation_token`` (escaped into its segment)."""
        return self.version.report.path(operation_token)

    def stats(self, merchant_id: int | str) -> str:
        """The stats operation's path; ``UnsupportedOperationError`` where the generation has none."""
        return self.version.stats_operation().path(str(merchant_id))


@dataclass(frozen=True)
class CriteoSimulator:
    """What a test needs to talk to the simulator."""

    base_url: str
    client_id: str
    client_secret: str
    merchant_id: int
    control: SimulatorControl
    api_version: str = DEFAULT_API_VERSION  # the generation the test's clients should use
    generation: ApiVersion | None = None  # its ApiVersion (None: the installed one named api_version)

    @property
    def paths(self) -> SimulatorPaths:
        """The paths of :attr:`api_version`'s operations."""
        from criteo_catalog_sdk.api_versions import get_api_version

        return SimulatorPaths(self.generation or get_api_version(self.api_version))

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


def pick_generation(served: Mapping[str, Generation], name: str) -> Generation:
    """The served generation called ``name``; LookupError naming the served ones otherwise."""
    found = served.get(name.strip().lower())
    if found is None:
        raise LookupError(
            f"criteo_simulator_api_version is {name!r}, a generation the simulator does not serve"
            f" (it serves {', '.join(served) or 'nothing'})"
        )
    return found


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
    with SimulatorServer(criteo_simulator_config) as server:
        yield server


@pytest.fixture
def criteo_simulator_api_version() -> str:
    """The API generation the test's clients should use: ``CRITEO_API_VERSION``, else the SDK's default.
    Override or parametrize this fixture to choose (any generation the simulator serves)."""
    return os.environ.get(ENV_API_VERSION, "").strip().lower() or DEFAULT_API_VERSION


@pytest.fixture
def criteo_simulator(
    criteo_simulator_server: SimulatorServer, criteo_simulator_api_version: str
) -> Iterator[CriteoSimulator]:
    """The session's simulator, reset for this test: base URL, credentials, default merchant, control,
    and the generation to use (``api_version``, ``paths``)."""
    from criteo_catalog_sdk.simulator.handle import SimulatorControl

    app = criteo_simulator_server.app
    try:
        generation = pick_generation(app.service.generations if app is not None else {}, criteo_simulator_api_version)
    except LookupError as exc:
        pytest.fail(str(exc), pytrace=False)
    control = SimulatorControl(criteo_simulator_server.base_url)
    control.reset()
    try:
        yield CriteoSimulator(
            base_url=criteo_simulator_server.base_url,
            client_id=DEFAULT_CLIENT_ID,
            client_secret=DEFAULT_CLIENT_SECRET,
            merchant_id=DEFAULT_MERCHANT_ID,
            control=control,
            api_version=generation.name,
            generation=generation.version,
        )
    finally:
        control.close()
