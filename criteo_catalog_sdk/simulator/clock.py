"""Clocks the simulator reads time from, injectable so that tests never sleep."""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time in epoch seconds."""

    def now(self) -> float:
        """Return the current time, in seconds since the epoch."""
        ...


class ManualClock:
    """A clock that only moves when told to (unit tests)."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = float(start)

    def now(self) -> float:
        """Return the time last set."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward (or backward, with a negative value)."""
        self._now += seconds

    def set(self, when: float) -> None:
        """Jump to an absolute epoch time."""
        self._now = float(when)


class AdjustableClock:
    """Wall-clock time plus an offset, optionally frozen: what the control endpoint drives.

    Advancing it lets a test expire reports (4 days) or access tokens (15 minutes) instantly; freezing it
    makes operation states and rate-limit buckets stand still.
    """

    def __init__(self, source: Clock | None = None) -> None:
        self._source = source
        self._offset = 0.0
        self._frozen_at: float | None = None
        # The control endpoint and the API share one event loop, but the pytest fixture may read the clock
        # from another thread: keep updates atomic.
        self._lock = threading.Lock()

    def _base(self) -> float:
        return self._source.now() if self._source is not None else time.time()

    def now(self) -> float:
        """Return the simulated time."""
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at + self._offset
            return self._base() + self._offset

    @property
    def offset(self) -> float:
        """Seconds added to the real time."""
        return self._offset

    @property
    def frozen(self) -> bool:
        """Whether time stands still."""
        return self._frozen_at is not None

    def advance(self, seconds: float) -> None:
        """Move simulated time forward by ``seconds``."""
        with self._lock:
            self._offset += seconds

    def set(self, when: float) -> None:
        """Jump simulated time to the epoch time ``when``."""
        with self._lock:
            base = self._frozen_at if self._frozen_at is not None else self._base()
            self._offset = when - base

    def freeze(self) -> None:
        """Stop the clock at the current simulated time."""
        with self._lock:
            if self._frozen_at is None:
                self._frozen_at = self._base()

    def unfreeze(self) -> None:
        """Let time run again from where it stood (the offset absorbs the pause)."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset += self._frozen_at - self._base()
                self._frozen_at = None

    def reset(self) -> None:
        """Back to real time."""
        with self._lock:
            self._offset = 0.0
            self._frozen_at = None
