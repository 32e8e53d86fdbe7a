"""The watchers' first poll: scaled to the batch while the push sends, cut short once nothing is left to send.

A push's last reports are all it waits for at its end: polling them at the scaled delay (3 s per 1,000
products with the default policy) would add seconds to every push for nothing to save.
"""

from __future__ import annotations

import anyio
import pytest

from criteo_catalog_sdk.polling import PollPolicy, first_poll_delay
from criteo_catalog_sdk.push.pipeline import state as state_module
from criteo_catalog_sdk.push.pipeline.state import PushState
from criteo_catalog_sdk.push.scheduling import SendQueue
from tests.fakes.push_api import FakeApi, catalog, run

POLICY = PollPolicy(initial_delay=1.0, multiplier=1.5, max_delay=100.0)


def test_the_last_batch_is_polled_after_the_initial_delay_not_the_scaled_one(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []

    async def seen(seconds: float) -> None:  # record the waits without spending them
        waits.append(seconds)

    monkeypatch.setattr(state_module, "pause", seen)
    api = FakeApi(poll=POLICY)
    api.in_progress_polls = 0
    with run(api, catalog(5000), batch_size=5000, concurrency=1) as result:
        assert result.summary.upserted == 5000
    assert first_poll_delay(POLICY, 5000) == 5.0  # what it would have waited
    assert 1.0 in waits and 5.0 not in waits and 4.0 not in waits, waits


def _state() -> PushState:
    """The part of a push's state the wait reads: its send queue, its condition, whether reading is done."""
    state = PushState.__new__(PushState)
    state.queue = SendQueue()
    state.changed = anyio.Condition()
    state.reading_done = False
    return state


async def _until(state: PushState, timeout: float) -> float:
    started = anyio.current_time()
    await state.until_sending_done(timeout)
    return anyio.current_time() - started


def test_until_sending_done_waits_its_timeout_while_batches_are_still_to_send() -> None:
    async def main() -> float:
        state = _state()
        state.queue.add(1)  # read, not yet taken by a sender
        await state.done_reading()
        return await _until(state, 0.05)

    assert anyio.run(main) >= 0.05


def test_until_sending_done_returns_as_soon_as_the_last_batch_is_taken() -> None:
    async def main() -> float:
        state = _state()
        state.queue.add(1)
        await state.done_reading()

        async def sender() -> None:
            await anyio.sleep(0.01)
            async with state.changed:
                assert state.queue.take() == 1
                state.changed.notify_all()

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(sender)
            waited = await _until(state, 30.0)
        return waited

    assert anyio.run(main) < 10  # not the 30 s timeout


def test_until_sending_done_waits_while_the_feed_is_still_being_read() -> None:
    async def main() -> float:
        return await _until(_state(), 0.05)  # nothing queued, but the reader may still add batches

    assert anyio.run(main) >= 0.05
