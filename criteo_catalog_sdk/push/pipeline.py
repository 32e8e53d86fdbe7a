"""The whole-catalog push: one async pipeline of three stages over the building blocks of this package.

::

    products (iterable / async iterable, lazily)
      -> reader: validate + serialize (EntryBuilder), delta check, chunk, journal   (1 task)
      -> SendQueue (recorded batches, in-flight guard)                               (bounded)
      -> senders: pace (Pacer, products/s), POST one attempt, react to the answer   (``concurrency`` tasks)
      -> watchers: poll the report on the PollPolicy schedule, apply it             (1 task per accepted batch)
      -> journal.result(): every product's outcome                                   (streamed from SQLite)

- **Flat memory.** The reader pulls 256 inputs at a time and stops when ``2 x concurrency`` batches are
  recorded but not sent, or when :data:`MAX_OUTSTANDING` batches are not finished. Entries live in the
  journal (SQLite), not in queues; outcomes are streamed from it.
- **Journal first.** A batch is recorded before it can be sent, its token is recorded when the 202
  arrives, its report when terminal (:class:`~criteo_catalog_sdk.push.journal.Journal`). Journal calls
  run on one dedicated thread so that SQLite never stalls the event loop (and the pacer's timing).
- **Pacing and 429s.** Each send is **one** HTTP attempt (the client's retry loop is bypassed) so that
  the pipeline sees every answer. A 429 always pauses the pacer for the wait the server stated; only
  sustained 429s (a new episode within 10 s of the previous one, :class:`ThrottleTracker`) also cut
  its rate (``on_throttle``, AIMD), so one unlucky burst does not cost many seconds of ramp-up. Every
  retry is paced again like a first send. The pacer's burst is
  :data:`BURST_FRACTION` of a second's budget: the cushion absorbs timing jitter between this process
  and the server's bucket, so that 429s stay rare while the rate stays at the limit.
- **Ordering.** A product id is never in two unfinished batches (:class:`SendQueue` over the in-flight
  guard): a newer version waits until the older one's report is in, so neither a retry, a 413 split
  nor a resubmission after a lost report (404) can let an older version overwrite a newer one.
- **Resume.** With the same state file, an interrupted push (crash, SIGKILL, Ctrl-C) resumes: batches
  recorded but not accepted are sent, accepted ones are polled (never resent), inputs past the resume
  point are read again from the feed.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import os
import random
import shutil
import sqlite3
import tempfile
import threading
import time
import weakref
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

from criteo_catalog_sdk._logging import logger
from criteo_catalog_sdk.errors import CriteoError, InvalidRequestError, RateLimitError
from criteo_catalog_sdk.polling import PollPolicy, next_poll_delay
from criteo_catalog_sdk.push.chunking import DEFAULT_BATCH_SIZE, DEFAULT_MAX_BATCH_BYTES, Batch, Chunker
from criteo_catalog_sdk.push.decisions import (
    PollAction,
    SendAction,
    ThrottleTracker,
    on_poll_error,
    on_send_error,
    send_policy,
)
from criteo_catalog_sdk.push.delta import is_changed
from criteo_catalog_sdk.push.feeds import FeedError, FeedRecord
from criteo_catalog_sdk.push.journal import Journal, JournalError, RunInfo
from criteo_catalog_sdk.push.progress import ProgressCallback, ProgressTracker
from criteo_catalog_sdk.push.ratecontrol import Pacer
from criteo_catalog_sdk.push.reconcile import is_terminal
from criteo_catalog_sdk.push.result import Issue, PushResult, Summary
from criteo_catalog_sdk.push.scheduling import SendQueue
from criteo_catalog_sdk.push.validation import UnknownFields
from criteo_catalog_sdk.push.wire import EntryBuilder, PreparedEntry, Rejected
from criteo_catalog_sdk.retry import RetryPolicy

if TYPE_CHECKING:
    from criteo_catalog_sdk.client import AsyncCatalogClient

T = TypeVar("T")

#: Inputs pulled from the iterable at a time (and keys per delta lookup).
READ_CHUNK: Final = 256
#: Batches registered and not finished (waiting, in flight, or awaiting their report) before the
#: reader pauses: bounds the in-flight guard's memory when reports are slow.
MAX_OUTSTANDING: Final = 512
#: The pacer may burst this fraction of a second's budget. The rest is a standing cushion in the
#: server's bucket: requests that reach it a little closer together than they left still pass.
BURST_FRACTION: Final = 0.9
#: Polls of reports in flight at once.
MAX_CONCURRENT_POLLS: Final = 8
DEFAULT_RATE_LIMIT: Final = 3000.0
DEFAULT_CONCURRENCY: Final = 4
#: How long to poll one batch's report (Criteo: processing can take up to an hour).
DEFAULT_REPORT_TIMEOUT: Final = 3600.0

Products = Iterable[Any] | AsyncIterable[Any]
StateArg = str | os.PathLike[str] | Journal | None


class PushAborted(CriteoError):
    """The push stopped before the end: Criteo refused the credentials or the merchant, or failed for
    longer than the retry policy allows. Nothing recorded is lost: push again with the same ``state``
    to resume (without a state file, the journal was temporary and is gone).

    ``cause`` is the error that stopped it; ``state`` the journal's path (``None``: temporary).
    """

    def __init__(self, message: str, *, cause: CriteoError | None = None, state: str | None = None) -> None:
        super().__init__(message)
        self.cause = cause
        self.state = state
        #: Outcome counts when the push stopped (products of batches not settled count as pending).
        self.summary: Summary | None = None
        #: Operation tokens of the batches accepted before it stopped.
        self.operations: tuple[str, ...] = ()


class PushApi(Protocol):
    """What the pipeline needs from the API: one send attempt, one report poll, and the policies."""

    @property
    def retry_policy(self) -> RetryPolicy:
        """How transient send failures are retried."""
        ...

    @property
    def poll_policy(self) -> PollPolicy:
        """When reports are polled."""
        ...

    async def submit(self, body: bytes) -> str:
        """Send an encoded batch once (no retry); return its operation token or raise the typed error."""
        ...

    async def report(self, token: str) -> Mapping[str, Any]:
        """Fetch a report's JSON (the client may retry transient failures)."""
        ...


class _NoApi:
    """The API of a dry run: never called."""

    retry_policy = RetryPolicy()
    poll_policy = PollPolicy()

    async def submit(self, body: bytes) -> str:  # pragma: no cover - a dry run sends nothing
        raise RuntimeError("a dry run sends nothing")

    async def report(self, token: str) -> Mapping[str, Any]:  # pragma: no cover - a dry run polls nothing
        raise RuntimeError("a dry run polls nothing")


class ClientPushApi:
    """:class:`PushApi` over an :class:`~criteo_catalog_sdk.client.AsyncCatalogClient`."""

    def __init__(self, client: AsyncCatalogClient) -> None:
        self.client = client

    @property
    def retry_policy(self) -> RetryPolicy:
        """The client's retry policy."""
        return self.client.retry_policy

    @property
    def poll_policy(self) -> PollPolicy:
        """The client's poll policy."""
        return self.client.poll_policy

    async def submit(self, body: bytes) -> str:
        """One attempt at ``submit_encoded_batch``."""
        return await self.client._submit_encoded_once(body)

    async def report(self, token: str) -> Mapping[str, Any]:
        """``get_report(token).raw``."""
        return (await self.client.get_report(token)).raw


@dataclass(frozen=True, slots=True)
class PushOptions:
    """The settings of one push (see :func:`push`)."""

    merchant_id: int
    batch_size: int = DEFAULT_BATCH_SIZE
    max_batch_bytes: int = DEFAULT_MAX_BATCH_BYTES
    rate_limit: float = DEFAULT_RATE_LIMIT
    concurrency: int = DEFAULT_CONCURRENCY
    delta: bool = False
    delete_missing: bool = False
    wait: bool = True
    dry_run: bool = False
    unknown_fields: UnknownFields = "reject"
    report_timeout: float = DEFAULT_REPORT_TIMEOUT
    max_delete_fraction: float | None = None

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise InvalidRequestError("batch_size must be at least 1")
        if not self.rate_limit > 0:
            raise InvalidRequestError("rate_limit must be positive (products per second)")
        if self.concurrency < 1:
            raise InvalidRequestError("concurrency must be at least 1")
        if not self.report_timeout >= 0:
            raise InvalidRequestError("report_timeout must be >= 0 seconds")
        if self.max_delete_fraction is not None and not 0 <= self.max_delete_fraction <= 1:
            raise InvalidRequestError("max_delete_fraction must be between 0 and 1")

    @property
    def burst(self) -> float:
        """Products the pacer may send at once (see :data:`BURST_FRACTION`)."""
        return max(1.0, self.rate_limit * BURST_FRACTION)

    @property
    def effective_batch_size(self) -> int:
        """Entries per batch: ``batch_size``, but never more than the burst. A batch larger than a
        second's budget can only pass when the server's bucket is full, which leaves no cushion."""
        return max(1, min(self.batch_size, int(self.burst)))


@dataclass(slots=True)
class _Settled:
    """Inputs settled without a batch since the last journal write."""

    rejected: list[Rejected] = field(default_factory=list)
    unchanged: list[PreparedEntry] = field(default_factory=list)
    superseded: list[PreparedEntry] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rejected) + len(self.unchanged) + len(self.superseded)


def _position_and_entry(builder: EntryBuilder, index: int, item: Any) -> tuple[int, PreparedEntry | Rejected]:
    """An input's position (feed line, else 1-based index) and its entry or rejection."""
    kind = type(item)
    if kind is FeedRecord:
        return item.line, builder.insert(item.line, item.product)
    if kind is FeedError:
        return item.line, item.to_rejected()
    return index, builder.insert(index, item)


async def _chunks(products: Products) -> AsyncIterator[list[Any]]:
    """The inputs, :data:`READ_CHUNK` at a time, yielding to the event loop between chunks."""
    if isinstance(products, AsyncIterable):
        chunk: list[Any] = []
        async for item in products:
            chunk.append(item)
            if len(chunk) >= READ_CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk
        return
    iterator = iter(products)
    while True:
        chunk = list(itertools.islice(iterator, READ_CHUNK))
        if not chunk:
            return
        yield chunk
        await asyncio.sleep(0)


class _Pipeline:
    """One push: the three stages, their shared state, and the journal they write to."""

    def __init__(
        self,
        api: PushApi,
        journal: Journal,
        options: PushOptions,
        products: Products,
        deletes: Iterable[str],
        on_progress: ProgressCallback | None,
        state_path: str | None = None,
    ) -> None:
        self.api = api
        self.state_path = state_path
        self.journal = journal
        self.options = options
        self.products = products
        self.deletes = deletes
        self.builder = EntryBuilder(options.merchant_id, unknown_fields=options.unknown_fields)
        self.chunker = Chunker(options.effective_batch_size, options.max_batch_bytes)
        self.queue = SendQueue()
        self.pacer = Pacer(options.rate_limit, burst=options.burst)
        self.throttles = ThrottleTracker()
        self.progress = ProgressTracker(on_progress, lambda: self.pacer.rate)
        self.send_policy = send_policy(api.retry_policy)
        self.poll_policy = api.poll_policy
        self.notes: list[str] = []
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="criteo-push-journal")
        self._cond = asyncio.Condition()
        self._poll_slots = asyncio.Semaphore(MAX_CONCURRENT_POLLS)
        self._reading_done = False
        self._sizes: dict[int, int] = {}  # batch id -> entries sent (for the progress counters)
        self._counted: set[int] = set()  # batches whose products are counted as sent
        self._tasks: asyncio.TaskGroup | None = None
        self.run: RunInfo | None = None

    # -- plumbing ------------------------------------------------------------------------------------

    async def _j(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a journal call on the journal's thread (one at a time, in call order)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def shutdown(self) -> None:
        """Wait for the journal call in progress (if any): the journal stays consistent."""
        self._executor.shutdown(wait=True)

    async def _finish(self, batch_id: int) -> None:
        async with self._cond:
            self.queue.finish(batch_id)
            self._cond.notify_all()

    @property
    def _run_info(self) -> RunInfo:
        if self.run is None:  # pragma: no cover - set first thing in execute()
            raise RuntimeError("the push has not started")
        return self.run

    @property
    def run_id(self) -> int:
        return self._run_info.run_id

    # -- the whole push ------------------------------------------------------------------------------

    async def execute(self) -> None:
        """Run the stages to the end (or raise :class:`PushAborted`, or be cancelled)."""
        opts = self.options
        options = {k: v for k, v in asdict(opts).items() if k != "merchant_id"}
        self.run = await self._j(self.journal.start_run, opts.merchant_id, resume=True, options=options)
        if self.run.resumed:
            logger.info("resuming push run %d of merchant %d", self.run.run_id, opts.merchant_id)
        try:
            async with asyncio.TaskGroup() as tasks:
                self._tasks = tasks
                if self.run.resumed and not opts.dry_run:
                    await self._resume_batches()
                tasks.create_task(self._read())
                if not opts.dry_run:
                    for _ in range(opts.concurrency):
                        tasks.create_task(self._sender())
        except BaseExceptionGroup as group:
            raise _first_error(group) from None
        finally:
            self._tasks = None
        if not opts.dry_run:
            await self._j(self.journal.finish_run, self.run_id)
        self.progress.emit(finished=True)

    async def _resume_batches(self) -> None:
        """Re-register the unfinished batches of an interrupted run, in their original order."""
        for batch_id in await self._j(self.journal.unfinished_batches, self.run_id):
            info = await self._j(self.journal.batch, batch_id)
            keys = await self._j(self.journal.batch_keys, batch_id)
            self._sizes[batch_id] = info.n_entries
            if info.state == "accepted" and info.token is not None:
                self.queue.register(batch_id, keys)
                if self.options.wait:
                    self._watch_later(batch_id, info.token, 0.0)
                else:
                    self.queue.finish(batch_id)
            else:
                self.queue.add(batch_id, keys)

    # -- reader --------------------------------------------------------------------------------------

    async def _read(self) -> None:
        run = self._run_info
        settled = _Settled()
        last = 0  # highest input position seen
        if not run.input_complete:
            index = 0
            for_progress = self.progress
            async for chunk in _chunks(self.products):
                built: list[PreparedEntry | Rejected] = []
                for item in chunk:
                    index += 1
                    pos, entry = _position_and_entry(self.builder, index, item)
                    last = max(last, pos)
                    if pos <= run.input_pos:  # recorded before the interruption
                        for_progress.skipped += 1
                        continue
                    built.append(entry)
                for_progress.read += len(chunk)
                await self._route(built, settled, last)
            self.notes.extend(getattr(self.products, "notes", ()))  # a Feed's unmapped attributes
            base = last
            deletes = ((base + i, pid) for i, pid in enumerate(self.deletes, start=1))
            for part in _batched(deletes, READ_CHUNK):
                built = []
                for pos, pid in part:
                    last = pos
                    if pos <= run.input_pos:
                        self.progress.skipped += 1
                        continue
                    built.append(self.builder.delete(pos, pid))
                self.progress.read += len(part)
                await self._route(built, settled, last)
            await self._flush(settled, last)
            await self._j(self.journal.mark_input_complete, self.run_id)
        if self.options.delete_missing and not getattr(self.products, "complete", True):
            # A feed cut short (malformed XML, a truncated archive) would delete everything after the cut.
            self.notes.append("delete_missing: nothing deleted: the feed could not be read to its end")
        elif self.options.delete_missing:
            await self._delete_missing(settled, last)
        async with self._cond:
            self._reading_done = True
            self._cond.notify_all()
        self.progress.emit()

    async def _delete_missing(self, settled: _Settled, last: int) -> None:
        """Delete the synced products absent from this run's input (streamed from the journal)."""
        info = await self._j(self.journal.run_info, self.run_id)
        pos = max(last, info.input_pos)
        try:
            missing = self.journal.missing_products(self.run_id, max_fraction=self.options.max_delete_fraction)
            while True:
                page = await self._j(lambda: list(itertools.islice(missing, READ_CHUNK)))
                if not page:
                    break
                built: list[PreparedEntry | Rejected] = []
                for _, product_id in page:
                    pos += 1
                    built.append(self.builder.delete(pos, product_id))
                self.progress.read += len(page)
                await self._route(built, settled, pos)
        except JournalError as exc:
            self.notes.append(f"delete_missing: nothing deleted: {exc}")
            logger.warning("delete_missing: nothing deleted: %s", exc)
        await self._flush(settled, pos)

    async def _route(self, built: Sequence[PreparedEntry | Rejected], settled: _Settled, last: int) -> None:
        """Settle or chunk built entries in input order; record every batch they complete."""
        progress = self.progress
        synced: Mapping[str, bytes] = {}
        if self.options.delta:
            keys = [e.key for e in built if type(e) is PreparedEntry and e.method == "insert"]
            if keys:
                synced = await self._j(self.journal.synced_hashes, self.options.merchant_id, keys)
        chunker = self.chunker
        # Keys the lookup cannot know about: in the open batch when it was made (not journaled yet), or
        # given to the chunker since. An earlier line of the product is queued or already sent (its batch
        # may be sealed and sent while this chunk is routed), so a later line must be sent even if it
        # equals the last synced hash.
        routed: set[str] = set(chunker.open_keys) if synced else set()
        for entry in built:
            if isinstance(entry, Rejected):
                settled.rejected.append(entry)
                progress.rejected += 1
                continue
            progress.validated += 1
            key = entry.key
            if synced and key not in routed and not is_changed(entry, synced.get(key)):
                settled.unchanged.append(entry)
                progress.unchanged += 1
                continue
            if synced:
                routed.add(key)
            added = chunker.add(entry)
            if added.replaced is not None:
                settled.superseded.append(added.replaced)
            sealed = added.sealed
            for i, batch in enumerate(sealed):
                # Resume point: below every entry not recorded yet (later sealed batches, the open one).
                pending = [min(e.position for e in b.entries) for b in sealed[i + 1 :]]
                oldest = chunker.oldest_position
                if oldest is not None:
                    pending.append(oldest)
                await self._record(batch, settled, min(pending) - 1 if pending else entry.position)
        if len(settled) >= 1000:  # an all-invalid or unchanged feed must not pile up in memory
            oldest = chunker.oldest_position
            await self._record(None, settled, last if oldest is None else min(last, oldest - 1))
        progress.emit()

    async def _flush(self, settled: _Settled, last: int) -> None:
        batch = self.chunker.flush()
        if batch is not None or settled:
            await self._record(batch, settled, last)

    async def _record(self, batch: Batch | None, settled: _Settled, input_pos: int) -> None:
        """Journal a sealed batch (and what was settled meanwhile) before it may be sent."""
        if batch is not None and not self.options.dry_run:
            async with self._cond:  # backpressure: at most a few batches recorded ahead of the senders
                await self._cond.wait_for(self._has_room)
        batch_id = await self._j(
            self.journal.record,
            self.run_id,
            batch=batch.entries if batch is not None else (),
            rejected=settled.rejected,
            unchanged=settled.unchanged,
            superseded=settled.superseded,
            input_pos=input_pos,
        )
        settled.rejected, settled.unchanged, settled.superseded = [], [], []
        if batch_id is not None and batch is not None and not self.options.dry_run:
            self._sizes[batch_id] = len(batch)
            async with self._cond:
                self.queue.add(batch_id, batch.keys)
                self._cond.notify_all()

    def _has_room(self) -> bool:
        return self.queue.waiting < 2 * self.options.concurrency and self.queue.outstanding < MAX_OUTSTANDING

    # -- senders -------------------------------------------------------------------------------------

    async def _sender(self) -> None:
        while True:
            async with self._cond:
                while True:
                    batch_id = self.queue.take()
                    if batch_id is not None:
                        self._cond.notify_all()  # the reader may be waiting for room in the queue
                        break
                    if self._reading_done and self.queue.outstanding == 0:
                        return
                    await self._cond.wait()
            await self._send(batch_id)

    async def _send(self, batch_id: int) -> None:
        """Send a batch until accepted, split, given up, or the push is aborted."""
        api = self.api
        attempt = 0
        first_sent: float | None = None
        while True:
            prepared = await self._j(self.journal.prepare, batch_id)
            if prepared is None:  # every entry was superseded by a later version meanwhile
                await self._finish(batch_id)
                return
            body, count = prepared
            delay = self.pacer.reserve(count, time.monotonic())
            if delay > 0:
                await asyncio.sleep(delay)
            if first_sent is None:
                first_sent = time.monotonic()
                if batch_id not in self._counted:  # a resubmission is not a new product sent
                    self._counted.add(batch_id)
                    self.progress.sent += count
            try:
                token = await api.submit(body)
            except CriteoError as exc:
                now = time.monotonic()
                if not isinstance(exc, RateLimitError):
                    attempt += 1
                jitter = random.random()  # noqa: S311 - retry jitter, not cryptography
                decision = on_send_error(
                    exc, policy=self.send_policy, attempt=max(attempt, 1), elapsed=now - first_sent, rand=jitter
                )
                action = decision.action
                if action is SendAction.THROTTLE:
                    self.progress.throttled += 1
                    if self.throttles.on_throttle(now):  # sustained: slow down
                        self.pacer.on_throttle(now, decision.wait or None)
                    else:  # isolated: only wait as asked
                        self.pacer.pause(now, decision.wait)
                    logger.info("batch %d throttled (429); pacer at %.0f products/s", batch_id, self.pacer.rate)
                elif action is SendAction.RETRY:
                    logger.info("batch %d: %s; sending again in %.2f s", batch_id, decision.reason, decision.wait)
                    await asyncio.sleep(decision.wait)
                elif action is SendAction.SPLIT:
                    self.progress.sent -= count  # the halves count when they are sent
                    await self._split(batch_id)
                    return
                elif action is SendAction.FAIL_BATCH:
                    logger.warning("batch %d refused: %s", batch_id, decision.reason)
                    issue = decision.issue or Issue("BatchRejected", decision.reason)
                    await self._j(self.journal.mark_failed, batch_id, issue)
                    self.progress.done += count
                    await self._finish(batch_id)
                    return
                else:
                    raise self._aborted(decision.reason, exc) from exc
                continue
            self.pacer.on_success(time.monotonic())
            await self._j(self.journal.mark_accepted, batch_id, token)
            self._sizes[batch_id] = count
            self.progress.accepted += count
            self.progress.batches += 1
            self.progress.emit()
            if self.options.wait:
                self._watch_later(batch_id, token, self.poll_policy.initial_delay)
            else:
                await self._finish(batch_id)
            return

    async def _split(self, batch_id: int) -> None:
        """413: the batch's halves take its place (a single product is rejected instead)."""
        halves = await self._j(self.journal.split, batch_id)
        if halves is None:
            logger.warning("batch %d: a single product is over the request size limit; rejected", batch_id)
            self.progress.done += 1
            await self._finish(batch_id)
            return
        parts = [(half, await self._j(self.journal.batch_keys, half)) for half in halves]
        logger.info("batch %d too large (413): split into %d and %d", batch_id, *halves)
        async with self._cond:
            self.queue.split(batch_id, parts)
            self._cond.notify_all()

    # -- watchers ------------------------------------------------------------------------------------

    def _watch_later(self, batch_id: int, token: str, first_delay: float) -> None:
        if self._tasks is None:  # pragma: no cover - only called while the stages run
            raise RuntimeError("the push is not running")
        self._tasks.create_task(self._watch(batch_id, token, first_delay))

    async def _watch(self, batch_id: int, token: str, first_delay: float) -> None:
        """Poll a batch's report on the PollPolicy schedule until it is terminal, then apply it."""
        api = self.api
        started = time.monotonic()
        delay = first_delay
        polls = 0
        while True:
            await asyncio.sleep(delay)
            error: CriteoError | None = None
            report: Mapping[str, Any] | None = None
            async with self._poll_slots:
                try:
                    report = await api.report(token)
                except CriteoError as exc:
                    error = exc
            polls += 1
            if report is not None and is_terminal(report):
                await self._j(self.journal.apply_report, batch_id, report)
                self.progress.done += self._sizes.get(batch_id, 0)
                await self._finish(batch_id)
                self.progress.emit()
                return
            if error is not None:
                decision = on_poll_error(error)
                if decision.action is PollAction.LOST:
                    await self._lost(batch_id)
                    return
                if decision.action is PollAction.FAIL_BATCH:
                    issue = decision.issue or Issue("ReportUnavailable", decision.reason)
                    await self._j(self.journal.mark_failed, batch_id, issue)
                    self.progress.done += self._sizes.get(batch_id, 0)
                    await self._finish(batch_id)
                    return
                if decision.action is PollAction.ABORT:
                    raise self._aborted(decision.reason, error) from error
                logger.info("polling batch %d failed (%s); polling again", batch_id, decision.reason)
            elapsed = time.monotonic() - started
            next_delay = next_poll_delay(self.poll_policy, polls, elapsed, self.options.report_timeout)
            if next_delay is None:
                note = f"the report of operation {token} was not final after {self.options.report_timeout:g} s"
                self.notes.append(note + "; its products stay pending")
                logger.warning("%s; its products stay pending", note)
                await self._finish(batch_id)
                return
            delay = next_delay

    async def _lost(self, batch_id: int) -> None:
        """404 on the report: resubmit the batch once (Criteo's advice); a second loss rejects it."""
        again = await self._j(self.journal.report_lost, batch_id)
        if again:
            logger.warning("batch %d: Criteo lost its report (404); resubmitting it", batch_id)
            self.progress.accepted -= self._sizes.get(batch_id, 0)
            self.progress.batches -= 1
            async with self._cond:
                self.queue.requeue(batch_id)
                self._cond.notify_all()
        else:
            logger.warning("batch %d: Criteo lost its report twice; its products are rejected", batch_id)
            self.progress.done += self._sizes.get(batch_id, 0)
            await self._finish(batch_id)

    def _aborted(self, reason: str, cause: CriteoError) -> PushAborted:
        path = self.state_path
        where = f"; push again with the same state ({path}) to resume" if path is not None else ""
        return PushAborted(f"push stopped: {reason}{where}", cause=cause, state=path)


def _batched(items: Iterable[T], n: int) -> Iterable[list[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, n)):
        yield chunk


def _first_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The exception to raise for a failed task group: the first that is not a cancellation."""
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            return _first_error(exc)
        if not isinstance(exc, asyncio.CancelledError):
            return exc
    return group.exceptions[0]


class _Closer:
    """Closes the journal (and deletes a temporary copy) once, at ``close()`` or garbage collection."""

    def __init__(self, journal: Journal | None, tmpdir: str | None) -> None:
        self._journal = journal
        self._tmpdir = tmpdir
        self._lock = threading.Lock()

    def __call__(self) -> None:
        with self._lock:
            journal, self._journal = self._journal, None
            tmpdir, self._tmpdir = self._tmpdir, None
        if journal is not None:
            journal.close()
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)


def _open_journal(state: StateArg, dry_run: bool) -> tuple[Journal, _Closer | None, str | None]:
    """The journal to use, what closes it (``None``: the caller's), and the state path to resume from."""
    if isinstance(state, Journal):
        if dry_run:
            raise InvalidRequestError("a dry run needs a state path (or None), not an open Journal")
        return state, None, state.path
    if dry_run:
        # A dry run reads the state (delta hashes, an unfinished run) but must not change it: use a copy.
        tmpdir = tempfile.mkdtemp(prefix="criteo-dry-run-")
        path = os.path.join(tmpdir, "journal.sqlite3")
        if state is not None and os.path.exists(state):
            src = sqlite3.connect(os.fspath(state))
            dst = sqlite3.connect(path)
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
        journal = Journal(path)
        return journal, _Closer(journal, tmpdir), None
    journal = Journal(state)
    return journal, _Closer(journal, None), None if state is None else os.fspath(state)


async def push(
    api: PushApi | None,
    products: Products,
    *,
    merchant_id: int | str,
    deletes: Iterable[str] = (),
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_batch_bytes: int = DEFAULT_MAX_BATCH_BYTES,
    rate_limit: float = DEFAULT_RATE_LIMIT,
    concurrency: int = DEFAULT_CONCURRENCY,
    state: StateArg = None,
    delta: bool = False,
    delete_missing: bool = False,
    wait: bool = True,
    on_progress: ProgressCallback | None = None,
    dry_run: bool = False,
    unknown_fields: UnknownFields = "reject",
    report_timeout: float = DEFAULT_REPORT_TIMEOUT,
    max_delete_fraction: float | None = None,
) -> PushResult:
    """Push a whole catalog through ``api`` (``None`` only for a dry run); see ``AsyncCatalogClient.push``.

    Raises :class:`PushAborted` when the push cannot go on (credentials, permissions, persistent API
    failure), :class:`~criteo_catalog_sdk.errors.InvalidRequestError` for invalid arguments.
    """
    if isinstance(products, Mapping | str | bytes):
        raise InvalidRequestError("products must be an iterable of products: wrap a single product in a list")
    if isinstance(deletes, str | bytes):
        raise InvalidRequestError("deletes must be an iterable of product ids: wrap a single id in a list")
    if api is None and not dry_run:
        raise InvalidRequestError("an API client is required unless dry_run is set")
    try:
        merchant = EntryBuilder(merchant_id).merchant_id
    except ValueError as exc:
        raise InvalidRequestError(str(exc)) from None
    options = PushOptions(
        merchant_id=merchant,
        batch_size=batch_size,
        max_batch_bytes=max_batch_bytes,
        rate_limit=rate_limit,
        concurrency=concurrency,
        delta=delta,
        delete_missing=delete_missing,
        wait=wait,
        dry_run=dry_run,
        unknown_fields=unknown_fields,
        report_timeout=report_timeout,
        max_delete_fraction=max_delete_fraction,
    )
    try:
        Chunker(options.effective_batch_size, max_batch_bytes)
    except ValueError as exc:
        raise InvalidRequestError(str(exc)) from None
    journal, closer, state_path = _open_journal(state, dry_run)
    pipeline = _Pipeline(api or _NoApi(), journal, options, products, deletes, on_progress, state_path)
    try:
        try:
            await pipeline.execute()
        finally:
            pipeline.shutdown()
        run = pipeline._run_info
        run_id = run.run_id
        states = journal.batch_states(run_id)
        tokens = journal.operation_tokens(run_id)
        summary = journal.summary(run_id)
    except BaseException as exc:
        if isinstance(exc, PushAborted) and pipeline.run is not None:
            exc.summary = journal.summary(pipeline.run.run_id)
            exc.operations = tuple(journal.operation_tokens(pipeline.run.run_id))
        if closer is not None:
            closer()
        raise
    batches = states.get("pending", 0) if dry_run else len(tokens)
    result = PushResult(
        summary,
        functools.partial(journal.outcomes, run_id),
        merchant_id=merchant,
        run_id=run_id,
        operations=tokens,
        batches=batches,
        notes=pipeline.notes,
        resumed=run.resumed,
        closer=closer,
    )
    if closer is not None:
        weakref.finalize(result, closer)
    return result


def run_sync(factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine on a private event loop and return its result.

    On a thread without a running loop (the usual case) the loop runs right here, so Ctrl-C cancels the
    push cleanly; under a running loop (a notebook) it runs on a helper thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        with asyncio.Runner() as runner:
            return runner.run(_as_coroutine(factory))
    box: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            box.append(asyncio.run(_as_coroutine(factory)))
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=target, name="criteo-push")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return box[0]


async def _as_coroutine(factory: Callable[[], Awaitable[T]]) -> T:
    return await factory()


__all__ = [
    "BURST_FRACTION",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_RATE_LIMIT",
    "DEFAULT_REPORT_TIMEOUT",
    "MAX_OUTSTANDING",
    "READ_CHUNK",
    "ClientPushApi",
    "Products",
    "PushAborted",
    "PushApi",
    "PushOptions",
    "StateArg",
    "push",
    "run_sync",
]
