"""Which batch to send next, pure: the waiting line of recorded batches, gated by the in-flight guard.

Batches wait in the order they were recorded. A sender takes the **first waiting batch the guard lets
start** (no older batch holds one of its products), so one batch blocked behind an older version of a
product does not hold up the batches after it. The halves of a split batch and a batch resubmitted
after a lost report go to the front: they are older than anything waiting.

A registered batch stays in the guard until :meth:`SendQueue.finish` (terminal report, given up, or
accepted when reports are not awaited), which is what keeps a newer version of a product from being
sent before the older one is settled.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence

from criteo_catalog_sdk.push.inflight import InFlightGuard


class SendQueue:
    """Recorded batches waiting to be sent, plus every batch not finished yet (through the guard)."""

    def __init__(self, guard: InFlightGuard | None = None) -> None:
        self.guard = guard if guard is not None else InFlightGuard()
        self._waiting: deque[int] = deque()

    def add(self, batch_id: int, keys: Iterable[str]) -> None:
        """A newly recorded batch: registered behind every older batch, waiting at the back."""
        self.guard.register(batch_id, keys)
        self._waiting.append(batch_id)

    def register(self, batch_id: int, keys: Iterable[str]) -> None:
        """A batch that is not to be sent now (accepted, its report awaited) but holds its products."""
        self.guard.register(batch_id, keys)

    def requeue(self, batch_id: int) -> None:
        """Send a registered batch again (a lost report): at the front, it is older than the waiting ones."""
        if batch_id not in self._waiting:
            self._waiting.appendleft(batch_id)

    def take(self) -> int | None:
        """The first waiting batch that may start now (marked started), or ``None``."""
        can_start = self.guard.can_start
        for i, batch_id in enumerate(self._waiting):
            if can_start(batch_id):
                del self._waiting[i]
                self.guard.start(batch_id)
                return batch_id
        return None

    def split(self, batch_id: int, parts: Sequence[tuple[int, Iterable[str]]]) -> None:
        """Replace a batch (after a 413) by its parts, which take its place and go first."""
        materialized = [(part_id, list(keys)) for part_id, keys in parts]
        self.guard.replace(batch_id, materialized)
        for part_id, _ in reversed(materialized):
            self._waiting.appendleft(part_id)

    def finish(self, batch_id: int) -> None:
        """The batch is settled (or no longer followed): release its products."""
        if batch_id in self._waiting:
            self._waiting.remove(batch_id)
        self.guard.finish(batch_id)

    @property
    def waiting(self) -> int:
        """Batches waiting to be sent."""
        return len(self._waiting)

    @property
    def outstanding(self) -> int:
        """Batches registered and not finished: waiting, being sent, or awaiting their report."""
        return len(self.guard)


__all__ = ["SendQueue"]
