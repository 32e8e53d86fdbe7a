"""The push pipeline end to end against an in-process fake Criteo (tests/fakes/push_api.py, no network).

The fake applies a batch's changes when its report is first read (as Criteo: an operation is applied
when processed), can lose reports, answers scheduled errors, and asserts on every submit that no
product of the batch is in another unfinished batch (the in-flight guarantee).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from criteo_catalog_sdk.errors import (
    AuthenticationError,
    BadRequestError,
    CriteoError,
    PermissionDeniedError,
    RateLimitError,
    ReportExpiredError,
    ResponseValidationError,
    ServerError,
    TransportError,
)
from criteo_catalog_sdk.errors import TimeoutError as SdkTimeoutError
from criteo_catalog_sdk.models import Product
from criteo_catalog_sdk.push import pipeline
from criteo_catalog_sdk.push.decisions import MIN_SEND_ATTEMPTS, ThrottleTracker
from criteo_catalog_sdk.push.feeds import read_jsonl
from criteo_catalog_sdk.push.journal import Journal
from criteo_catalog_sdk.push.options import PushOptions
from criteo_catalog_sdk.push.pipeline import PushAborted
from criteo_catalog_sdk.push.progress import ProgressEvent
from criteo_catalog_sdk.push.ratecontrol import Pacer
from criteo_catalog_sdk.push.states import BatchState
from criteo_catalog_sdk.retry import RetryPolicy
from tests.fakes.push_api import FakeApi, M, catalog, pushing, run
from tests.push.conftest import product


def test_every_product_is_accounted_for() -> None:
    api = FakeApi()
    items = [
        *catalog(25),
        product(id="BAD", title="x" * 600),  # too long: rejected by the SDK, never sent
        product(id="REJ", title="REJECT me"),  # rejected by Criteo
        product(id="p3", title="P3 again"),  # same id as P3 (case differs), later: wins
        Product.from_dict(product(id="MODEL", title="A model")),
    ]
    events: list[ProgressEvent] = []
    with run(api, items, batch_size=10, on_progress=events.append) as result:
        s = result.summary
        assert (s.total, s.upserted, s.rejected_client, s.rejected_api, s.superseded, s.pending) == (29, 26, 1, 1, 1, 0)
        outcomes = {o.position: o for o in result}
        assert outcomes[26].errors[0].type == "TooLong" and outcomes[26].errors[0].limit == 500
        assert outcomes[26].errors[0].field == "title" and outcomes[26].errors[0].length == 600
        assert outcomes[27].stage == "api" and outcomes[27].product_id == "REJ"  # mapped back from "rej"
        assert outcomes[3].status == "superseded" and outcomes[28].status == "upserted"
        assert len(result.operations) == result.batches >= 3
    assert "bad" not in api.accepted and api.catalog["p3"]["title"] == "P3 again"
    assert api.catalog["model"]["title"] == "A model"
    assert events[-1].finished and events[-1].done == events[-1].accepted == 28
    assert events[-1].rejected == 1 and events[-1].read == 29


def test_async_iterable_and_feed_items() -> None:
    async def gen() -> AsyncIterator[dict[str, Any]]:
        for p in catalog(30):
            await asyncio.sleep(0)
            yield p

    api = FakeApi()
    with run(api, gen(), batch_size=7) as result:
        assert result.summary.upserted == 30
    data = b"".join(json.dumps(p).encode() + b"\n" for p in catalog(5)) + b"{broken\n"
    with run(FakeApi(), read_jsonl(_bytes_io(data))) as result:
        bad = next(result.rejected())
        assert (bad.position, bad.product_id, bad.errors[0].type) == (6, None, "ParseError")


def _bytes_io(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


def test_429_is_paced_and_retried_and_sustained_ones_slow_down() -> None:
    api = FakeApi()
    api.submit_faults.extend([RateLimitError(429, retry_after=0.01), RateLimitError(429, retry_after=0.01)])
    events: list[ProgressEvent] = []
    with run(api, catalog(20), batch_size=10, concurrency=1, on_progress=events.append) as result:
        assert result.summary.upserted == 20
    assert events[-1].throttled == 2
    assert events[-1].rate == 1e6  # two 429s of one episode: paused, not slowed

    tracker = ThrottleTracker(window=10.0, grace=2.0)
    assert tracker.on_throttle(100.0) is False  # isolated
    assert tracker.on_throttle(101.0) is False  # same episode
    assert tracker.on_throttle(105.0) is True  # a new episode soon after: sustained
    assert tracker.on_throttle(200.0) is False


def test_sustained_429s_cut_the_pacer_rate() -> None:
    pacer = Pacer(3000.0)
    tracker = ThrottleTracker()
    for t in (0.0, 3.0, 6.0):
        if tracker.on_throttle(t):
            pacer.on_throttle(t, 1.0)
        else:
            pacer.pause(t, 1.0)
    assert pacer.rate < 3000.0
    assert pacer.reserve(1, 6.5) >= 0.5  # the stated wait is honoured


def test_413_splits_recursively_and_rejects_a_lone_product() -> None:
    api = FakeApi()
    huge = product(id="HUGE", description="d" * 5000)
    items = [*catalog(12), huge]
    api.max_bytes = 4000
    with run(api, items, batch_size=50) as result:
        s = result.summary
        assert (s.upserted, s.rejected_api) == (12, 1)
        (bad,) = result.rejected()
        assert bad.product_id == "HUGE" and bad.errors[0].type == "PayloadTooLarge" and bad.stage == "api"


def test_a_lost_report_resubmits_once_then_rejects() -> None:
    api = FakeApi()
    api.lose.add(0)  # the first operation's report is lost: resubmitted as operation 1
    with run(api, catalog(5), batch_size=10) as result:
        assert result.summary.upserted == 5
    assert set(api.accepted.values()) == {2}

    api = FakeApi()
    api.lose.update({0, 1})  # lost twice: the products are rejected
    with run(api, catalog(5), batch_size=10) as result:
        assert result.summary.rejected_api == 5
        assert {o.errors[0].type for o in result.rejected()} == {"ReportLost"}


def test_transient_failures_are_retried() -> None:
    api = FakeApi()
    api.submit_faults.extend(
        [ServerError(503), TransportError("reset", retryable=True), ResponseValidationError("cut"), None]
    )
    api.report_faults.extend([ServerError(500), SdkTimeoutError("slow", retryable=True)])
    with run(api, catalog(10), batch_size=10) as result:
        assert result.summary.upserted == 10


def test_a_refused_batch_fails_alone() -> None:
    api = FakeApi()
    api.submit_faults.append(BadRequestError(400))
    with run(api, catalog(20), batch_size=10, concurrency=1) as result:
        s = result.summary
        assert (s.upserted, s.rejected_api) == (10, 10)
        assert {o.errors[0].type for o in result.rejected()} == {"BatchRejected"}


def test_unreadable_reports_fail_their_batch() -> None:
    api = FakeApi()
    api.report_faults.append(ReportExpiredError(400))
    with run(api, catalog(3), batch_size=10) as result:
        assert {o.errors[0].type for o in result.rejected()} == {"ReportExpired"}


@pytest.mark.parametrize(
    "fault", [PermissionDeniedError(403), AuthenticationError(401), TransportError("bad url", retryable=False)]
)
def test_fatal_errors_abort_and_the_journal_resumes(tmp_path: Path, fault: CriteoError) -> None:
    state = tmp_path / "s.db"
    api = FakeApi()
    api.submit_faults.extend([None, fault])  # the first batch goes through, the second stops the push
    with pytest.raises(PushAborted) as info:
        run(api, catalog(30), batch_size=10, concurrency=1, state=state)
    assert info.value.cause is fault and info.value.state == str(state)
    assert info.value.summary is not None and info.value.summary.total >= 20
    assert len(info.value.operations) == 1
    with run(api, catalog(30), batch_size=10, concurrency=1, state=state) as result:
        assert result.resumed and result.summary.upserted == 30 and result.summary.total == 30
    assert set(api.accepted.values()) == {1}  # nothing accepted was sent twice


def test_retries_exhausted_abort() -> None:
    api = FakeApi(retry=RetryPolicy(attempts=2, initial_wait=0.001, max_wait=0.001, jitter=0.0))
    api.submit_faults.extend([ServerError(503)] * MIN_SEND_ATTEMPTS)
    with pytest.raises(PushAborted) as info:
        run(api, catalog(3))
    assert isinstance(info.value.cause, ServerError)


def test_delta_and_delete_missing(tmp_path: Path) -> None:
    api = FakeApi()
    state = tmp_path / "s.db"
    with run(api, catalog(30), state=state, delta=True) as first:
        assert first.summary.upserted == 30
    api.accepted.clear()
    changed = catalog(25)
    changed[0]["title"] = "Renamed"
    changed.append(product(id="NEW", title="New"))
    # 5 of 30 (17 %) go: over the default 10 % guard, so this push allows more.
    with run(api, changed, state=state, delta=True, delete_missing=True, max_delete_fraction=0.2) as second:
        s = second.summary
        assert (s.upserted, s.unchanged, s.deleted) == (2, 24, 5)
    assert set(api.accepted) == {"p1", "new", "p26", "p27", "p28", "p29", "p30"}
    assert "p30" not in api.catalog and api.catalog["p1"]["title"] == "Renamed"
    api.accepted.clear()
    with run(api, changed, state=state, delta=True, delete_missing=True) as third:
        assert third.summary.unchanged == 26 and third.batches == 0
    assert not api.accepted


def test_delete_missing_refuses_after_unreadable_lines(tmp_path: Path) -> None:
    api = FakeApi()
    state = tmp_path / "s.db"
    run(api, catalog(5), state=state).close()
    data = b"".join(json.dumps(p).encode() + b"\n" for p in catalog(3)) + b"{broken\n"
    with run(api, read_jsonl(_bytes_io(data)), state=state, delete_missing=True) as result:
        assert result.summary.deleted == 0
        assert any("unreadable" in note for note in result.notes)


def test_explicit_deletes() -> None:
    api = FakeApi()
    run(api, catalog(3)).close()
    with run(api, [], deletes=["P1", "P2", "bad id "]) as result:
        s = result.summary
        assert (s.deleted, s.rejected_client) == (2, 1)
    assert set(api.catalog) == {"p3"}


def test_no_wait_leaves_products_pending() -> None:
    api = FakeApi()
    with run(api, catalog(12), batch_size=5, wait=False) as result:
        assert result.summary.pending == 12 and len(result.operations) == 3
    assert all(op["polls"] == 0 for op in api._ops.values())


def test_dry_run_sends_nothing_and_keeps_the_state(tmp_path: Path) -> None:
    api = FakeApi()
    state = tmp_path / "s.db"
    run(api, catalog(10), state=state, delta=True).close()
    before = state.read_bytes()
    items = [*catalog(10), product(id="NEW", title="New"), product(id="BAD", title="")]
    with run(None, items, state=state, delta=True, dry_run=True) as result:
        s = result.summary
        assert (s.unchanged, s.pending, s.rejected_client, result.batches) == (10, 1, 1, 1)
    assert state.read_bytes() == before and api.attempts == 1


def test_interrupted_push_resumes_without_resending(tmp_path: Path) -> None:
    state = tmp_path / "s.db"
    api = FakeApi()
    api.in_progress_polls = 1000  # reports never final: the interrupted batches stay accepted

    async def interrupted() -> None:
        task = asyncio.create_task(pushing(api, catalog(60), batch_size=10, state=state))
        while len(api.unfinished) < 3:
            await asyncio.sleep(0.001)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(interrupted())
    with Journal(state) as j:
        run_info = j.runs.start(M)
        accepted = j.batches.in_states(run_info.run_id, BatchState.ACCEPTED)
        assert run_info.resumed and accepted
        accepted_keys = {e.key for batch in accepted for e in j.batches.entries(batch.batch_id)}
        journaled = {batch.token for batch in accepted}
    api.in_progress_polls = 0
    api.forget_unjournaled(journaled)
    with run(api, catalog(60), batch_size=10, state=state) as result:
        assert result.resumed and result.summary.upserted == 60 and result.summary.total == 60
    assert {api.accepted[k] for k in accepted_keys} == {1}  # accepted batches were not resent
    assert len(api.catalog) == 60


def test_the_reader_stays_a_few_batches_ahead() -> None:
    consumed = 0

    def products() -> Iterator[dict[str, Any]]:
        nonlocal consumed
        for i in range(20_000):
            consumed += 1
            yield product(id=f"P{i}", title="t")

    seen: list[int] = []
    api = FakeApi()
    api.on_submit = lambda a: seen.append(consumed)
    with run(api, products(), batch_size=100, concurrency=2) as result:
        assert result.summary.upserted == 20_000
    # Before the k-th send, the reader can be at most ~(k + 2*concurrency + a few) batches ahead.
    for k, count in enumerate(seen, start=1):
        assert count <= (k + 2 * 2 + 2) * 100 + pipeline.READ_CHUNK


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError, match="merchant"):
        run(FakeApi(), [], merchant_id=-1)
    with pytest.raises(ValueError, match="iterable"):
        run(FakeApi(), product())
    with pytest.raises(ValueError, match="rate_limit"):
        run(FakeApi(), [], rate_limit=0)
    with pytest.raises(ValueError, match="API client"):
        run(None, [])


def test_batches_never_exceed_the_burst() -> None:
    assert pipeline.effective_batch_size(PushOptions(batch_size=1000, rate_limit=3000)) == 1000
    assert pipeline.effective_batch_size(PushOptions(batch_size=1000, rate_limit=100)) == 75


def test_run_sync_under_a_running_loop() -> None:
    async def inner() -> int:
        return pipeline.run_sync(lambda: asyncio.sleep(0, 7))

    assert asyncio.run(inner()) == 7
