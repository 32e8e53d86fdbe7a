"""The one object the stages of a push share: settings, journal access, the send queue, the pacer, and
the progress counters, which only its methods change.

Everything here runs on anyio (asyncio or trio). Journal calls run on worker threads one at a time,
in call order (a capacity limiter of one), so that SQLite never stalls the event loop (and the pacer's
timing); a journal call in progress is never abandoned, even on cancellation, so the state file stays
consistent.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, Final, TypeVar

import anyio

from criteo_catalog_sdk.errors import CriteoError
from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.push.api import MAX_CONCURRENT_POLLS, PushApi
from criteo_catalog_sdk.push.decisions import ThrottleTracker, send_policy
from criteo_catalog_sdk.push.journal import Journal, RunInfo
from criteo_catalog_sdk.push.options import PushOptions
from criteo_catalog_sdk.push.progress import ProgressCallback, ProgressTracker
from criteo_catalog_sdk.push.ratecontrol import Pacer
from criteo_catalog_sdk.push.result import Note, NoteKind, Summary
from criteo_catalog_sdk.push.scheduling import SendQueue

__all__ = ["BURST_FRACTION", "MAX_OUTSTANDING", "PushAborted", "PushState", "burst", "effective_batch_size"]

T = TypeVar("T")

#: Batches registered and not finished (waiting, in flight, or awaiting their report) before the
#: reader pauses: bounds what a push holds (and has at stake) when reports are slow.
MAX_OUTSTANDING: Final = 512
#: The pacer may burst this fraction of a second's budget. The rest is a standing cushion in the
#: server's bucket: requests that reach it up to a quarter of a second closer together than they left
#: still pass. 0.9 (a tenth of a second) was too thin: three merchants pushed at once from one loaded
#: host drew 5.3 % products/s 429s in B8, 0.7 % at 0.75 (20 % more batches).
BURST_FRACTION: Final = 0.75


class PushAborted(CriteoError):
    """The push stopped before the end: Criteo refused the credentials or the merchant, decommissioned
    the API generation, or failed for longer than the retry policy allows. Nothing recorded is lost: push
    again with the same ``state`` to resume (without a state file, the journal was temporary and is gone).

    ``cause`` is the error that stopped it; ``state`` the journal's path (``None``: temporary);
    ``summary`` the outcome counts when it stopped (products of unsettled batches count as pending);
    ``operations`` the operation tokens of the batches accepted before it stopped.
    """

    def __init__(self, message: str, *, cause: CriteoError | None = None, state: str | None = None) -> None:
        super().__init__(message)
        self.cause = cause
        self.state = state
        self.summary: Summary | None = None
        self.operations: tuple[str, ...] = ()


async def pause(seconds: float) -> None:
    """How the stages wait (pacing, retries, polls): one place, so that tests can see the waits."""
    await anyio.sleep(seconds)


def burst(options: PushOptions) -> float:
    """Products the pacer may send at once (see :data:`BURST_FRACTION`)."""
    return max(1.0, options.rate_limit * BURST_FRACTION)


def effective_batch_size(options: PushOptions) -> int:
    """Entries per batch: ``batch_size``, but never more than the burst. A batch larger than a second's
    budget can only pass when the server's bucket is full, which leaves no cushion."""
    return max(1, min(options.batch_size, int(burst(options))))


class PushState:
    """A push in progress: what its reader, senders and watchers share."""

    def __init__(
        self,
        api: PushApi,
        journal: Journal,
        merchant_id: int,
        options: PushOptions,
        run: RunInfo,
        on_progress: ProgressCallback | None,
        state_path: str | None,
    ) -> None:
        self.api = api
        self.journal = journal
        self.merchant_id = merchant_id
        self.options = options
        self.run = run
        self.state_path = state_path
        self.queue = SendQueue(max_bytes=options.max_bytes_in_flight)
        self.pacer = Pacer(options.rate_limit, burst=burst(options))
        self.throttles = ThrottleTracker()
        self.send_policy = send_policy(api.retry_policy)
        self.progress = ProgressTracker(on_progress, lambda: self.pacer.rate)
        self.notes: list[Note] = []
        self.changed = anyio.Condition()  # the queue changed, or reading is done
        self.poll_slots = anyio.Semaphore(MAX_CONCURRENT_POLLS)
        self.reading_done = False
        self.retrying_batch: int | None = None  # the batch the progress display's retry message is about
        self._journal_thread = anyio.CapacityLimiter(1)
        self._sizes: dict[int, int] = {}  # batch id -> entries sent (for the progress counters)
        self._counted: set[int] = set()  # batches whose products are counted as sent

    async def sleep(self, seconds: float) -> None:
        """Wait (see :func:`pause`)."""
        await pause(seconds)

    @property
    def run_id(self) -> int:
        """The journal's run of this push."""
        return self.run.run_id

    async def journal_call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a journal call on a worker thread (one at a time, in call order; never abandoned)."""
        return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kwargs), limiter=self._journal_thread)

    def aborted(self, reason: str, cause: CriteoError) -> PushAborted:
        """The exception that stops the push, saying how to resume."""
        path = self.state_path
        where = f"; push again with the same state ({path}) to resume" if path is not None else ""
        return PushAborted(f"push stopped: {reason}{where}", cause=cause, state=path)

    def note(self, kind: NoteKind, message: str) -> None:
        """A remark for the push's result."""
        self.notes.append(Note(kind, message))

    # -- the queue --------------------------------------------------------------------------------------

    async def add_batch(
        self, batch_id: int, blockers: Iterable[int], size: int, nbytes: int, *, to_send: bool = True
    ) -> None:
        """A recorded batch of ``size`` entries and ``nbytes`` request bytes joins the queue behind its
        ``blockers`` (``to_send=False``: accepted, awaiting its report)."""
        self._sizes[batch_id] = size
        async with self.changed:
            if to_send:
                self.queue.add(batch_id, blockers, nbytes)
            else:
                self.queue.register(batch_id, blockers, nbytes)
            self.changed.notify_all()

    async def answered(self, batch_id: int) -> None:
        """A sender is done with a batch it took: its body no longer counts as in flight."""
        async with self.changed:
            self.queue.answered(batch_id)
            self.changed.notify_all()

    async def finish(self, batch_id: int) -> None:
        """The batch is settled (or no longer followed): its products are free for later versions."""
        async with self.changed:
            self.queue.finish(batch_id)
            self.changed.notify_all()

    async def give_up(self, batch_id: int, issue: Issue, count: int | None = None) -> None:
        """The batch is given up: its products are rejected with ``issue`` (journaled), counted done
        (``count``, else as many as it was sent with), and free for later versions."""
        await self.journal_call(self.journal.batches.failed, batch_id, issue)
        self.count_done(batch_id, count)
        await self.finish(batch_id)

    async def requeue(self, batch_id: int) -> None:
        """Send a batch again (its report was lost)."""
        self.progress.accepted -= self._sizes.get(batch_id, 0)
        self.progress.batches -= 1
        async with self.changed:
            self.queue.requeue(batch_id)
            self.changed.notify_all()

    async def split(self, batch_id: int, parts: list[tuple[int, int, int]]) -> None:
        """A batch's parts (id, entries, request bytes) take its place (a 413)."""
        self.progress.sent -= self._sizes.pop(batch_id, 0)  # the parts count when they are sent
        self._counted.discard(batch_id)
        for part_id, size, _ in parts:
            self._sizes[part_id] = size
        async with self.changed:
            self.queue.split(batch_id, [(part_id, nbytes) for part_id, _, nbytes in parts])
            self.changed.notify_all()

    def has_room(self) -> bool:
        """Whether the reader may record another batch (a few ahead of the senders, bounded overall)."""
        return self.queue.has_room(max_waiting=2 * self.options.concurrency, max_outstanding=MAX_OUTSTANDING)

    async def done_reading(self) -> None:
        """No batch will be added any more."""
        async with self.changed:
            self.reading_done = True
            self.changed.notify_all()

    def sending_done(self) -> bool:
        """Whether nothing is left to send: every batch read has been taken by a sender."""
        return self.reading_done and self.queue.waiting == 0

    async def until_sending_done(self, timeout: float) -> None:
        """Wait until :meth:`sending_done`, at most ``timeout`` seconds."""
        with anyio.move_on_after(timeout):
            async with self.changed:
                while not self.sending_done():
                    await self.changed.wait()

    # -- the counters (the only place they change) -------------------------------------------------------

    def count_read(self, n: int, skipped: int = 0) -> None:
        """``n`` inputs consumed, ``skipped`` of them recorded by an interrupted earlier run."""
        self.progress.read += n
        self.progress.skipped += skipped

    def count_routed(self, *, validated: int = 0, rejected: int = 0, unchanged: int = 0) -> None:
        """Inputs checked: valid ones, refused ones, ones delta sync skipped."""
        self.progress.validated += validated
        self.progress.rejected += rejected
        self.progress.unchanged += unchanged

    def count_sent(self, batch_id: int, n: int) -> None:
        """A batch goes out for the first time (a resubmission is not a new product sent)."""
        if batch_id not in self._counted:
            self._counted.add(batch_id)
            self.progress.sent += n

    def count_accepted(self, batch_id: int, n: int) -> None:
        """Criteo accepted a batch (202)."""
        self._sizes[batch_id] = n
        self.progress.accepted += n
        self.progress.batches += 1
        self.progress.emit()

    def count_done(self, batch_id: int, n: int | None = None) -> None:
        """A batch's products have their final outcome (a report, or the batch given up)."""
        self.progress.done += self._sizes.get(batch_id, 0) if n is None else n
        self.progress.emit()

    def count_call(self) -> None:
        """An API call (a batch sent, a report polled): the progress display's calls per minute."""
        self.progress.called()

    def count_throttled(self) -> None:
        """A 429."""
        self.progress.throttled += 1

    def retrying(self, message: str | None, batch_id: int | None = None) -> None:
        """What the push is waiting for after a failure of ``batch_id``, for the progress display
        (``None``: nothing any more)."""
        self.progress.retrying = message
        self.retrying_batch = batch_id
        self.progress.emit()
