"""The senders honour the wait a 429 states, in the running pipeline (not only in the pure decision)."""

from __future__ import annotations

import pytest

from criteo_catalog_sdk.errors import RateLimitError
from criteo_catalog_sdk.push.pipeline import state as state_module
from tests.fakes.push_api import FakeApi, catalog, run


def test_the_wait_a_429_states_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []

    async def seen(seconds: float) -> None:  # record the waits without spending them
        waits.append(seconds)

    monkeypatch.setattr(state_module, "pause", seen)
    api = FakeApi()
    api.submit_faults.append(RateLimitError(429, retry_after=7.0))
    with run(api, catalog(5), batch_size=5, concurrency=1) as result:
        assert result.summary.upserted == 5
    assert api.attempts == 2
    assert any(wait > 6.9 for wait in waits), waits  # the stated 7 s, less the moments already gone by


def test_a_retry_after_a_5xx_waits_the_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    from criteo_catalog_sdk.errors import ServerError
    from criteo_catalog_sdk.retry import RetryPolicy

    waits: list[float] = []

    async def seen(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(state_module, "pause", seen)
    api = FakeApi(retry=RetryPolicy(attempts=5, initial_wait=3.0, max_wait=10.0, jitter=0.0))
    api.submit_faults.append(ServerError(503))
    with run(api, catalog(2), batch_size=2, concurrency=1) as result:
        assert result.summary.upserted == 2
    assert 3.0 in waits
