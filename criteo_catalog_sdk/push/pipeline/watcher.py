"""The watcher stage: poll each accepted batch's report on the PollPolicy schedule, then apply it.

One task per accepted batch, at most ``MAX_CONCURRENT_POLLS`` polls at once. A final report is
reconciled (:func:`~criteo_catalog_sdk.push.reconcile.reconcile`) and stored; a failed poll is decided
by :func:`~criteo_catalog_sdk.push.decisions.on_poll_error` and its action dispatched by
:data:`Watcher.ACTIONS`. Criteo losing a report (404) resubmits the batch once; a second loss gives it up.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable
from typing import ClassVar

from anyio.abc import TaskGroup

from criteo_catalog_sdk._logging import logger
from criteo_catalog_sdk.errors import CriteoError
from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.polling import next_poll_delay
from criteo_catalog_sdk.push.decisions import PollAction, PollDecision, on_poll_error
from criteo_catalog_sdk.push.pipeline.state import PushState
from criteo_catalog_sdk.push.reconcile import reconcile
from criteo_catalog_sdk.report import Report

__all__ = ["Watcher"]

#: What a handler says: stop watching the batch (True), or poll again on schedule (False).
Handler = Callable[["Watcher", int, PollDecision, CriteoError], Awaitable[bool]]


class Watcher:
    """Starts and runs the report watchers of one push."""

    def __init__(self, state: PushState) -> None:
        self.state = state
        self.tasks: TaskGroup | None = None

    def watch_later(self, batch_id: int, token: str, first_delay: float) -> None:
        """Start watching a batch's report (in the push's task group)."""
        if self.tasks is None:  # pragma: no cover - only called while the stages run
            raise RuntimeError("the push is not running")
        self.tasks.start_soon(self.watch, batch_id, token, first_delay)

    async def watch(self, batch_id: int, token: str, first_delay: float) -> None:
        """Poll until the report is final (then apply it), the batch is given up, or the deadline passes."""
        state = self.state
        started = time.monotonic()
        delay = first_delay
        polls = 0
        while True:
            await (self._first_wait(delay) if polls == 0 else state.sleep(delay))
            error: CriteoError | None = None
            report: Report | None = None
            async with state.poll_slots:
                state.count_call()
                try:
                    report = await state.api.report(token)
                except CriteoError as exc:
                    error = exc
            polls += 1
            if report is not None and report.is_done:  # a final report is never polled again
                await state.journal_call(
                    state.journal.outcomes.apply, batch_id, report, functools.partial(reconcile, report)
                )
                state.count_done(batch_id)
                await state.finish(batch_id)
                return
            if error is not None:
                decision = on_poll_error(error)
                if await self.ACTIONS[decision.action](self, batch_id, decision, error):
                    return
            next_delay = next_poll_delay(
                state.api.poll_policy, polls, time.monotonic() - started, state.options.report_timeout
            )
            if next_delay is None:
                note = f"the report of operation {token} was not final after {state.options.report_timeout:g} s"
                state.note("warning", note + "; its products stay pending")
                logger.warning("%s; its products stay pending", note)
                await state.finish(batch_id)
                return
            delay = next_delay

    async def _first_wait(self, scaled: float) -> None:
        """The wait before a batch's first poll: scaled to its size while the push still sends (a large
        report is not polled before it can be final: fewer calls), but no longer than the policy's initial
        delay once nothing is left to send, since the end of the push then waits only on reports."""
        state = self.state
        shortest = min(scaled, state.api.poll_policy.initial_delay)
        await state.sleep(shortest)
        if scaled > shortest:
            await state.until_sending_done(scaled - shortest)

    # -- actions --------------------------------------------------------------------------------------

    async def _lost(self, batch_id: int, decision: PollDecision, error: CriteoError) -> bool:
        """404: Criteo's advice is to resubmit the batch; once. A second loss rejects its products."""
        state = self.state
        info = await state.journal_call(state.journal.batches.get, batch_id)
        if info.resubmitted:
            logger.warning("batch %d: Criteo lost its report twice; its products are rejected", batch_id)
            issue = Issue("ReportLost", "Criteo lost the report of this batch twice (404)")
            await state.give_up(batch_id, issue)
            return True
        logger.warning("batch %d: Criteo lost its report (404); resubmitting it", batch_id)
        await state.journal_call(state.journal.batches.resubmit, batch_id)
        await state.requeue(batch_id)
        return True

    async def _fail(self, batch_id: int, decision: PollDecision, error: CriteoError) -> bool:
        state = self.state
        issue = decision.issue or Issue("ReportUnavailable", decision.reason)
        await state.give_up(batch_id, issue)
        return True

    async def _abort(self, batch_id: int, decision: PollDecision, error: CriteoError) -> bool:
        raise self.state.aborted(decision.reason, error) from error

    async def _retry(self, batch_id: int, decision: PollDecision, error: CriteoError) -> bool:
        logger.info("polling batch %d failed (%s); polling again", batch_id, decision.reason)
        return False

    ACTIONS: ClassVar[dict[PollAction, Handler]] = {
        PollAction.LOST: _lost,
        PollAction.FAIL_BATCH: _fail,
        PollAction.ABORT: _abort,
        PollAction.RETRY: _retry,
    }
