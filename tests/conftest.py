from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.mock_criteo import CLIENT_ID, SECRET
from tests.fakes.scripted_criteo import ScriptedCriteo, ServerThread


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def _criteo_server() -> Iterator[tuple[ScriptedCriteo, ServerThread]]:
    api = ScriptedCriteo(CLIENT_ID, SECRET)
    with ServerThread(api.app) as thread:
        yield api, thread


@pytest.fixture
def criteo(_criteo_server: tuple[ScriptedCriteo, ServerThread]) -> ScriptedCriteo:
    """The scripted server, reset for this test; its URL is ``criteo.url``."""
    api, thread = _criteo_server
    api.reset()
    api.url = thread.url
    return api
