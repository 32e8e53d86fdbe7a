"""The senders in the running pipeline: they honour the wait a 429 states (not only in the pure decision), and
the request bytes they have in flight stay within ``max_bytes_in_flight``."""

from __future__ import annotations

import asyncio

import pytest

from criteo_catalog_sdk.body import EncodedBody
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


class SlowApi(FakeApi):
    """Answers each batch a moment later, counting the request bytes sent and not answered yet."""

    def __init__(self) -> None:
        super().__init__()
        self.in_flight = 0
        self.most_in_flight = 0
        self.largest = 0

    async def submit(self, body: EncodedBody) -> str:
        self.in_flight += len(body)
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        self.largest = max(self.largest, len(body))
        try:
            await asyncio.sleep(0.02)  # long enough for every sender to have a batch out
            return await super().submit(body)
        finally:
            self.in_flight -= len(body)


def test_the_bytes_in_flight_stay_within_the_bound() -> None:
    unbounded = SlowApi()
    with run(unbounded, catalog(60), batch_size=5, concurrency=8) as result:
        assert result.summary.upserted == 60
    bound = 3 * unbounded.largest
    assert unbounded.most_in_flight > bound  # eight batches at once: the bound below must hold them back
    bounded = SlowApi()
    with run(bounded, catalog(60), batch_size=5, concurrency=8, max_bytes_in_flight=bound) as result:
        assert result.summary.upserted == 60
    assert 2 * bounded.largest <= bounded.most_in_flight <= bound  # several at once, never beyond the bound


def test_a_batch_larger_than_the_bound_is_sent_alone() -> None:
    api = SlowApi()
    with run(api, catalog(20), batch_size=5, concurrency=4, max_bytes_in_flight=1) as result:
        assert result.summary.upserted == 20
    assert api.most_in_flight == api.largest
