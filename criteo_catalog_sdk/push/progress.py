"""Progress of a push: counters the pipeline updates, snapshots handed to ``on_progress``.

Counts are of products (entries), not requests, except ``batches`` and ``throttled``. ``read`` counts
every input the push went through (including those a resumed push skipped because they were recorded
before the interruption: ``skipped``), so ``read`` can be compared with a feed's line count for an ETA.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from criteo_catalog_sdk.budget import CallWindow


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """A snapshot of a push's progress.

    - ``read``: inputs consumed (products, unreadable lines, deletes), ``skipped`` of them recorded by
      an interrupted earlier attempt of the same push;
    - ``validated``: products that passed the client-side checks; ``rejected``: those that did not
      (and unreadable lines); ``unchanged``: skipped by delta sync;
    - ``sent``: products in batches sent at least once; ``accepted``: in batches Criteo accepted (202);
      ``done``: with a final outcome from a report;
    - ``batches``: batches accepted; ``throttled``: 429 answers seen; ``rate``: the pacer's current
      products/s budget; ``throughput``: products accepted per second since the start;
    - ``elapsed``: seconds since the push started; ``finished``: the last event of the push;
    - ``retrying``: what the push is waiting for after a failure (attempt, reason, next wait), ``None``
      when nothing fails;
    - ``calls_per_minute``: API calls (batches and report polls) this push made over the last minute,
      against the application's budget of 250; ``calls``: all of them since the push started.
    """

    read: int = 0
    skipped: int = 0
    validated: int = 0
    rejected: int = 0
    unchanged: int = 0
    sent: int = 0
    accepted: int = 0
    done: int = 0
    batches: int = 0
    throttled: int = 0
    rate: float = 0.0
    throughput: float = 0.0
    elapsed: float = 0.0
    finished: bool = False
    retrying: str | None = None
    calls_per_minute: int = 0
    calls: int = 0


ProgressCallback = Callable[[ProgressEvent], object]


class ProgressTracker:
    """Mutable counters; :meth:`emit` sends a snapshot to the callback (if any)."""

    def __init__(
        self,
        callback: ProgressCallback | None,
        rate: Callable[[], float],
        clock: Callable[[], float] = time.monotonic,
        min_interval: float = 0.05,
    ) -> None:
        self._callback = callback
        self._rate = rate
        self._clock = clock
        self._started = clock()
        self._min_interval = min_interval
        self._last_emit = float("-inf")
        self.read = 0
        self.skipped = 0
        self.validated = 0
        self.rejected = 0
        self.unchanged = 0
        self.sent = 0
        self.accepted = 0
        self.done = 0
        self.batches = 0
        self.throttled = 0
        self.retrying: str | None = None
        self._calls = CallWindow(clock)  # this push's API calls (the last minute's, and in all)

    def snapshot(self, finished: bool = False) -> ProgressEvent:
        """The current counters."""
        elapsed = self._clock() - self._started
        return ProgressEvent(
            read=self.read,
            skipped=self.skipped,
            validated=self.validated,
            rejected=self.rejected,
            unchanged=self.unchanged,
            sent=self.sent,
            accepted=self.accepted,
            done=self.done,
            batches=self.batches,
            throttled=self.throttled,
            rate=self._rate(),
            throughput=self.accepted / elapsed if elapsed > 0 else 0.0,
            elapsed=elapsed,
            finished=finished,
            retrying=self.retrying,
            calls_per_minute=self.calls_last_minute(),
            calls=self.calls,
        )

    @property
    def calls(self) -> int:
        """API calls this push made."""
        return self._calls.total

    def called(self) -> None:
        """One API call was made (a batch sent or a report polled)."""
        self._calls.record()

    def calls_last_minute(self) -> int:
        """API calls over the last 60 s."""
        return self._calls.count()

    def emit(self, finished: bool = False) -> None:
        """Tell the callback (no-op without one), at most every ``min_interval`` seconds but the last time."""
        if self._callback is None:
            return
        now = self._clock()
        if not finished and now - self._last_emit < self._min_interval:
            return
        self._last_emit = now
        self._callback(self.snapshot(finished))


__all__ = ["ProgressCallback", "ProgressEvent", "ProgressTracker"]
