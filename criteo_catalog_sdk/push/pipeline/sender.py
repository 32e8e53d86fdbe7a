"""The sender stage: take a recorded batch, pace it, send it with one attempt, act on the answer.

Each send is **one** HTTP attempt (``client.with_options(retry=RetryPolicy.disabled())``), so that the
push sees every answer: what to do after a failure is the pure decision
:func:`~criteo_catalog_sdk.push.decisions.on_send_error`, and its action is dispatched by
:data:`Sender.ACTIONS` (a table, not an if-chain). A 429 always pauses the pacer for the wait the server
stated; only sustained 429s also cut its rate (AIMD). Every retry is paced again like a first send.
"""

from __future__ import annotations

import random
import time
import traceback
from collections.abc import Awaitable, Callable
from typing import ClassVar

from criteo_catalog_sdk._logging import logger
from criteo_catalog_sdk.errors import CriteoError, RateLimitError
from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.polling import first_poll_delay
from criteo_catalog_sdk.push.chunking import Batch, RejectEntry, on_payload_too_large
from criteo_catalog_sdk.push.decisions import SendAction, SendDecision, on_send_error
from criteo_catalog_sdk.push.pipeline.state import PushState
from criteo_catalog_sdk.push.pipeline.watcher import Watcher

__all__ = ["Sender"]

#: What a handler says: the batch is settled for this sender (True), or must be sent again (False).
Handler = Callable[["Sender", int, int, SendDecision, CriteoError], Awaitable[bool]]


class Sender:
    """One of the push's ``concurrency`` senders."""

    def __init__(self, state: PushState, watcher: Watcher) -> None:
        self.state = state
        self.watcher = watcher

    async def run(self) -> None:
        """Send batches until reading is done and no batch is outstanding."""
        state = self.state
        while True:
            async with state.changed:
                while True:
                    batch_id = state.queue.take()
                    if batch_id is not None:
                        state.changed.notify_all()  # the reader may be waiting for room in the queue
                        break
                    if state.reading_done and state.queue.outstanding == 0:
                        return
                    await state.changed.wait()
            await self.send(batch_id)
            await state.answered(batch_id)

    async def send(self, batch_id: int) -> None:
        """Send a batch until it is accepted, split, given up, or the push is aborted."""
        state = self.state
        attempt = 0
        first_sent: float | None = None
        while True:
            answer = await self._attempt(batch_id, first=first_sent is None)
            if answer is None:  # every entry was superseded by a later version meanwhile
                await state.finish(batch_id)
                return
            count, outcome, sent_at = answer
            if first_sent is None:
                first_sent = sent_at
            if isinstance(outcome, str):
                await self._accepted(batch_id, count, outcome)
                return
            if not isinstance(outcome, RateLimitError):
                attempt += 1
            decision = on_send_error(
                outcome,
                policy=state.send_policy,
                attempt=max(attempt, 1),
                elapsed=time.monotonic() - first_sent,
                rand=random.random(),  # noqa: S311 - retry jitter, not cryptography
            )
            if await self.ACTIONS[decision.action](self, batch_id, count, decision, outcome):
                return

    async def _attempt(self, batch_id: int, *, first: bool) -> tuple[int, str | CriteoError, float] | None:
        """One attempt: the body read from the journal, paced, posted once. Returns the entry count, the
        operation token or the error, and when it went out; ``None`` when nothing is left to send.

        The body lives only here, compressed (:class:`~criteo_catalog_sdk.body.CompressedBody`: a tenth
        of its size, decompressed as it streams): it is dropped with the answer, before the answer is
        journaled or a retry waits."""
        state = self.state
        prepared = await state.journal_call(state.journal.batches.prepare, batch_id)
        if prepared is None:
            return None
        body, count = prepared
        del prepared
        delay = state.pacer.reserve(count, time.monotonic())
        if delay > 0:
            await state.sleep(delay)
        sent_at = time.monotonic()
        if first:
            state.count_sent(batch_id, count)
        state.count_call()
        try:
            token = await state.api.submit(body)
        except CriteoError as exc:
            del body
            traceback.clear_frames(exc.__traceback__)  # the frames the error passed through hold the body
            return count, exc, sent_at
        return count, token, sent_at

    async def _accepted(self, batch_id: int, count: int, token: str) -> None:
        state = self.state
        state.pacer.on_success(time.monotonic())
        await state.journal_call(state.journal.batches.accepted, batch_id, token)
        state.count_accepted(batch_id, count)
        if state.retrying_batch == batch_id:
            state.retrying(None)
        if state.options.wait:
            self.watcher.watch_later(batch_id, token, first_poll_delay(state.api.poll_policy, count))
        else:
            await state.finish(batch_id)

    # -- actions --------------------------------------------------------------------------------------

    async def _throttle(self, batch_id: int, count: int, decision: SendDecision, error: CriteoError) -> bool:
        state = self.state
        now = time.monotonic()
        state.count_throttled()
        if state.throttles.on_throttle(now):  # sustained: slow down
            state.pacer.on_throttle(now, decision.wait or None)
        else:  # isolated: only wait as asked
            state.pacer.pause(now, decision.wait)
        logger.info("batch %d throttled (429); pacer at %.0f products/s", batch_id, state.pacer.rate)
        return False

    async def _retry(self, batch_id: int, count: int, decision: SendDecision, error: CriteoError) -> bool:
        state = self.state
        message = f"batch {batch_id}: {decision.reason}; sending again in {decision.wait:.1f} s"
        logger.info("%s", message)
        state.retrying(message, batch_id)
        await state.sleep(decision.wait)
        return False

    async def _split(self, batch_id: int, count: int, decision: SendDecision, error: CriteoError) -> bool:
        """413: the batch's halves take its place; a single product over the limit is rejected instead.
        A batch that lost entries since it was sent (later lines superseded them) is sent again first,
        with what is left: it may now fit, and a lone product left is not known to be too large."""
        state = self.state
        entries = await state.journal_call(state.journal.batches.entries, batch_id)
        if len(entries) < count:
            logger.info("batch %d too large (413), but smaller now: sending what is left", batch_id)
            return False
        verdict = on_payload_too_large(Batch(tuple(entries)))
        if isinstance(verdict, RejectEntry):
            logger.warning("batch %d: a single product is over the request size limit; rejected", batch_id)
            await state.give_up(batch_id, verdict.issue, 1)
            return True
        halves = (verdict.first, verdict.second)
        ids = await state.journal_call(state.journal.batches.replace, batch_id, [h.entries for h in halves])
        logger.info("batch %d too large (413): split into %d and %d", batch_id, *ids)
        parts = [(part_id, len(half), half.nbytes) for part_id, half in zip(ids, halves, strict=True)]
        await state.split(batch_id, parts)
        return True

    async def _fail(self, batch_id: int, count: int, decision: SendDecision, error: CriteoError) -> bool:
        state = self.state
        logger.warning("batch %d refused: %s", batch_id, decision.reason)
        issue = decision.issue or Issue("BatchRejected", decision.reason)
        await state.give_up(batch_id, issue, count)
        return True

    async def _abort(self, batch_id: int, count: int, decision: SendDecision, error: CriteoError) -> bool:
        raise self.state.aborted(decision.reason, error) from error

    ACTIONS: ClassVar[dict[SendAction, Handler]] = {
        SendAction.THROTTLE: _throttle,
        SendAction.RETRY: _retry,
        SendAction.SPLIT: _split,
        SendAction.FAIL_BATCH: _fail,
        SendAction.ABORT: _abort,
    }
