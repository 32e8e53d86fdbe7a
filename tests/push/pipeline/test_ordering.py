"""Versions keep their order: a product is never in two unfinished batches, and a newer version
waits for the report of an older one at Criteo (live, and across an interruption). ``FakeApi.submit``
asserts the first on every request."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from criteo_catalog_sdk.body import EncodedBody
from criteo_catalog_sdk.errors import PayloadTooLargeError, RateLimitError, ServerError
from criteo_catalog_sdk.polling import PollPolicy
from criteo_catalog_sdk.push.journal import Journal
from criteo_catalog_sdk.push.pipeline.reader import READ_CHUNK
from criteo_catalog_sdk.push.result import PushResult
from criteo_catalog_sdk.push.states import BatchState
from tests.fakes.push_api import FakeApi, catalog, pushing
from tests.push.conftest import product

#: A guard that holds a batch back wrongly fails these tests within this many seconds, not hangs them.
LIMIT = 30.0


async def until(condition: Callable[[], bool]) -> None:
    """Wait until ``condition()`` holds (at most :data:`LIMIT` seconds)."""
    async with asyncio.timeout(LIMIT):
        while not condition():
            await asyncio.sleep(0.001)


def run_bounded(api: FakeApi, products: Any, **kwargs: Any) -> PushResult:
    """``run``, failing after :data:`LIMIT` seconds."""
    result: PushResult = asyncio.run(asyncio.wait_for(pushing(api, products, **kwargs), LIMIT))
    return result


def test_a_product_is_never_in_two_unfinished_batches_and_the_newest_wins() -> None:
    api = FakeApi()
    api.in_progress_polls = 2
    items = []
    for version in range(4):  # every batch repeats the same products with a newer title
        items += [product(id=f"K{i}", title=f"v{version}") for i in range(5)]
        items += catalog(5, start=10 * version + 100)
    api.submit_faults.extend([None, ServerError(503), RateLimitError(429, retry_after=0.001)])
    with run_bounded(api, items, batch_size=10, concurrency=4) as result:  # FakeApi.submit asserts the invariant
        assert result.summary.upserted == 4 * 5 + 5 and result.summary.superseded == 15
    assert {api.catalog[f"k{i}"]["title"] for i in range(5)} == {"v3"}


def test_a_newer_version_waits_for_the_report_of_the_older_one_in_flight() -> None:
    # The newer version is read only once the older one is at Criteo, its report IN_PROGRESS (until the
    # input ends): the journal can no longer supersede it, and the guard must hold the newer batch back.
    api = FakeApi()
    api.in_progress_polls = 10**9

    async def items() -> AsyncIterator[dict[str, Any]]:
        for version in range(2):
            for i in range(5):
                yield product(id=f"K{i}", title=f"v{version}")
            for i in range(READ_CHUNK - 5):  # the rest of the reader's chunk
                yield product(id=f"F{version}-{i}")
            await until(lambda: any("k0" in keys for keys in api.unfinished.values()))
        api.in_progress_polls = 0  # now the reports may end

    with run_bounded(api, items(), batch_size=5, concurrency=4) as result:  # FakeApi.submit asserts the invariant
        assert result.summary.upserted == 2 * READ_CHUNK - 5 and result.summary.superseded == 5  # v0 lost to v1
    assert api.accepted["k0"] == 2 and {api.catalog[f"k{i}"]["title"] for i in range(5)} == {"v1"}


def test_a_resumed_run_keeps_a_newer_version_behind_the_older_one_at_criteo(tmp_path: Path) -> None:
    state = tmp_path / "s.db"
    api = FakeApi()
    api.in_progress_polls = 10**9  # the first batch's report stays IN_PROGRESS across the interruption
    older = [product(id=f"K{i}", title="v0") for i in range(4)]  # one batch of 4, then a reader's chunk
    fillers = [product(id=f"F{i}") for i in range(READ_CHUNK - 4)]
    newer = [product(id=f"K{i}", title="v1") for i in range(4)]
    more = [product(id=f"G{i}") for i in range(READ_CHUNK - 4)]

    async def interrupted() -> None:
        async def items() -> AsyncIterator[dict[str, Any]]:
            for item in [*older, *fillers]:
                yield item
            await until(lambda: bool(api.unfinished))  # v0 is at Criteo
            for item in [*newer, *more]:
                yield item
            await asyncio.sleep(3600)  # interrupted before the input ends

        task = asyncio.create_task(pushing(api, items(), batch_size=4, state=state))

        def newer_recorded() -> bool:  # and held back
            with Journal(state) as j:
                pending = j.batches.in_states(1, BatchState.PENDING)
                return any(e.key == "k0" and e.position > 4 for b in pending for e in j.batches.entries(b.batch_id))

        await until(newer_recorded)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(interrupted())
    assert api.accepted["k0"] == 1
    with Journal(state) as j:
        journaled = set(j.batches.tokens(1))
    api.forget_unjournaled(journaled)
    api.in_progress_polls = 10  # now it ends, ten polls after the resume (0.3 s)
    api.restart_polls()
    api.poll_policy = PollPolicy(initial_delay=0.03, multiplier=1.0, max_delay=0.03)
    with run_bounded(api, [*older, *fillers, *newer, *more], batch_size=4, state=state) as result:  # FakeApi asserts
        assert result.resumed and result.summary.pending == 0
    assert api.accepted["k0"] == 2 and api.catalog["k0"]["title"] == "v1"


class TooLargeOnceSuperseded(FakeApi):
    """Holds the first request until later records have superseded all but ``left`` lines of its batch
    (batch 1), then answers 413."""

    def __init__(self, state: Path, left: int) -> None:
        super().__init__()
        self.state = state
        self.left = left
        self.first = True

    def superseded(self) -> bool:
        with Journal(self.state) as j:
            return len(j.batches.entries(1)) == self.left

    async def submit(self, body: EncodedBody) -> str:
        if self.first:
            self.first = False
            self.attempts += 1
            await until(self.superseded)
            raise PayloadTooLargeError(413)
        return await super().submit(body)


@pytest.mark.parametrize("left", [0, 1])
def test_a_batch_superseded_while_in_flight_is_not_split_but_sent_again_with_what_is_left(
    tmp_path: Path, left: int
) -> None:
    state = tmp_path / "s.db"
    api = TooLargeOnceSuperseded(state, left)
    older = [product(id=f"K{i}", title="v0") for i in range(4)]
    refused = [product(id=f"bad-{i}", title="") for i in range(READ_CHUNK - 4)]  # no batch: fills the chunk
    newer = [product(id=f"K{i}", title="v1") for i in range(left, 4)]

    async def items() -> AsyncIterator[dict[str, Any]]:
        for item in [*older, *refused]:
            yield item
        await until(lambda: api.attempts > 0)  # batch 1 is out
        for item in newer:
            yield item

    with run_bounded(api, items(), batch_size=4, state=state) as result:
        s = result.summary
        assert (s.upserted, s.superseded, s.rejected_client, s.rejected_api) == (4, 4 - left, READ_CHUNK - 4, 0)
    assert [api.catalog[f"k{i}"]["title"] for i in range(4)] == ["v0"] * left + ["v1"] * (4 - left)
