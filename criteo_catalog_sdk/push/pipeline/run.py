"""One push from start to end: open the journal, start or resume the run, run the stages, the result.

::

    products (iterable / async iterable, lazily)
      -> Reader: validate + serialize, delta sync, chunk, journal          (1 task)
      -> SendQueue (recorded batches, in-flight guard)                      (bounded)
      -> Senders: pace, POST one attempt, act on the answer                (``concurrency`` tasks)
      -> Watcher: poll each report on the PollPolicy schedule, apply it    (1 task per accepted batch)
      -> the journal's outcomes: every product's outcome                    (streamed from SQLite)

With the same state file, an interrupted push (crash, SIGKILL, Ctrl-C) resumes: batches recorded but
not accepted are sent, accepted ones are polled (never resent), inputs past the resume point are read
again from the feed. A product id is never in two unfinished batches (the in-flight guard), so neither
a retry, a 413 split nor a resubmission can let an older version overwrite a newer one.
"""

from __future__ import annotations

import functools
import os
import shutil
import sqlite3
import tempfile
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

import anyio

from criteo_catalog_sdk._logging import logger
from criteo_catalog_sdk.collector import fewer_collections
from criteo_catalog_sdk.errors import StateFileError
from criteo_catalog_sdk.push.api import PushApi
from criteo_catalog_sdk.push.journal import Journal
from criteo_catalog_sdk.push.journal.db import open_read_only
from criteo_catalog_sdk.push.options import PushOptions
from criteo_catalog_sdk.push.pipeline.reader import Products, Reader
from criteo_catalog_sdk.push.pipeline.sender import Sender
from criteo_catalog_sdk.push.pipeline.state import PushAborted, PushState
from criteo_catalog_sdk.push.pipeline.watcher import Watcher
from criteo_catalog_sdk.push.progress import ProgressCallback
from criteo_catalog_sdk.push.result import Note, PushResult
from criteo_catalog_sdk.push.states import UNFINISHED, BatchState

__all__ = ["MerchantPush", "StateArg", "execute"]

StateArg = str | os.PathLike[str] | Journal | None


@dataclass(frozen=True, slots=True)
class MerchantPush:
    """What one push sends: a merchant's products and deletes, its state file and its settings (``None``:
    the defaults; in :func:`~criteo_catalog_sdk.push.many.run_many`, the run's)."""

    merchant_id: int
    products: Products
    deletes: Iterable[str] = ()
    state: StateArg = None
    options: PushOptions | None = None


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


def open_journal(state: StateArg, dry_run: bool) -> tuple[Journal, _Closer | None, str | None]:
    """The journal to use, what closes it (``None``: the caller's), and the state path to resume from.

    A state file that cannot be used is refused here, before anything is sent.
    """
    if isinstance(state, Journal):
        if dry_run:
            raise ValueError("a dry run needs a state path (or None), not an open Journal")
        return state, None, state.path
    if not dry_run:
        journal = Journal(state)
        return journal, _Closer(journal, None), None if state is None else os.fspath(state)
    # A dry run reads the state (delta hashes, an unfinished run) but must not change it: use a copy.
    tmpdir = tempfile.mkdtemp(prefix="criteo-dry-run-")
    path = os.path.join(tmpdir, "journal.sqlite3")
    try:
        if state is not None and os.path.exists(state):
            _copy_read_only(os.fspath(state), path)
        journal = Journal(path)  # checks the copy's schema (and migrates the copy, not the file)
    except BaseException:
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise
    return journal, _Closer(journal, tmpdir), None


def _copy_read_only(source: str, target: str) -> None:
    src = open_read_only(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        raise StateFileError(f"state file {source}: not a readable SQLite file ({exc})") from None
    finally:
        src.close()


async def _resume(state: PushState, watcher: Watcher) -> None:
    """Re-register the unfinished batches of an interrupted run, in their original order."""
    journal = state.journal
    for info in await state.journal_call(journal.batches.in_states, state.run_id, *UNFINISHED):
        blockers = await state.journal_call(journal.batches.blockers, info.batch_id)
        token = info.token if info.state == BatchState.ACCEPTED else None  # its report is awaited
        await state.add_batch(info.batch_id, blockers, info.n_entries, info.n_bytes, to_send=token is None)
        if token is not None:
            if state.options.wait:
                watcher.watch_later(info.batch_id, token, 0.0)
            else:
                await state.finish(info.batch_id)


def _first_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The exception to raise for a failed task group: the first that is not a cancellation."""
    cancelled = anyio.get_cancelled_exc_class()
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            return _first_error(exc)
        if not isinstance(exc, cancelled):
            return exc
    return group.exceptions[0]


async def _run_stages(state: PushState, products: Products, deletes: Iterable[str]) -> None:
    watcher = Watcher(state)
    try:
        async with anyio.create_task_group() as tasks:
            watcher.tasks = tasks
            if state.run.resumed and not state.options.dry_run:
                await _resume(state, watcher)
            tasks.start_soon(Reader(state, products, deletes).run)
            if not state.options.dry_run:
                for _ in range(state.options.concurrency):
                    tasks.start_soon(Sender(state, watcher).run)
    except BaseExceptionGroup as group:
        raise _first_error(group) from None
    finally:
        watcher.tasks = None


async def execute(
    api: PushApi, job: MerchantPush, options: PushOptions, on_progress: ProgressCallback | None
) -> PushResult:
    """Run ``job`` to its end under ``options`` and return its result (see ``AsyncCatalogClient.push``)."""
    merchant_id = job.merchant_id
    journal, closer, state_path = open_journal(job.state, options.dry_run)
    push_state: PushState | None = None
    try:
        run = await anyio.to_thread.run_sync(
            functools.partial(journal.runs.start, merchant_id, resume=True, options=options.to_dict())
        )
        if run.resumed:
            logger.info("resuming push run %d of merchant %d", run.run_id, merchant_id)
        push_state = PushState(api, journal, merchant_id, options, run, on_progress, state_path)
        with fewer_collections():  # a push's objects die young: see criteo_catalog_sdk.collector
            await _run_stages(push_state, job.products, job.deletes)
            if not options.dry_run:
                await push_state.journal_call(journal.runs.finish, run.run_id)
            push_state.progress.emit(finished=True)
        counts = journal.batches.counts(run.run_id)
        tokens = journal.batches.tokens(run.run_id)
        summary = journal.outcomes.summary(run.run_id)
    except BaseException as exc:
        if isinstance(exc, PushAborted) and push_state is not None:
            exc.summary = journal.outcomes.summary(push_state.run_id)
            exc.operations = tuple(journal.batches.tokens(push_state.run_id))
        if closer is not None:
            closer()
        raise
    notes = [*push_state.notes, *(Note("deprecation", d.message) for d in api.deprecations)]
    result = PushResult(
        summary,
        functools.partial(journal.outcomes.iterate, run.run_id),
        merchant_id=merchant_id,
        run_id=run.run_id,
        operations=tokens,
        batches=counts.get(BatchState.PENDING.value, 0) if options.dry_run else len(tokens),
        notes=notes,
        resumed=run.resumed,
        closer=closer,
        rejected_outcomes=functools.partial(journal.outcomes.iterate, run.run_id, rejected_only=True),
    )
    if closer is not None:
        weakref.finalize(result, closer)
    return result
