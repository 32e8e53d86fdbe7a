"""Which batch to send next, pure: the waiting line of recorded batches, gated by the in-flight guard.

Batches wait in the order they were recorded. A sender takes the **first waiting batch the guard lets
start** (no older batch holds one of its products), so one batch blocked behind an older version of a
product does not hold up the batches after it. The halves of a split batch and a batch resubmitted
after a lost report go to the front: they are older than anything waiting.

A registered batch stays in the guard until :meth:`SendQueue.finish` (terminal report, given up, or
accepted when reports are not awaited), which is what keeps a newer version of a product from being
sent before the older one is settled.

``max_bytes`` bounds the request bytes in flight: the bodies of batches taken and not yet answered
(:meth:`SendQueue.answered`). A batch starts only if its bytes fit beside those, or if nothing is in
flight (a batch larger than the bound still goes, alone), so that a push's memory for bodies does not
grow with ``concurrency`` times the batch size. When the first startable batch does not fit, nothing
starts: smaller batches behind it do not overtake it for ever.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence

from criteo_catalog_sdk.push.inflight import InFlightGuard


class SendQueue:
    """Recorded batches waiting to be sent, plus every batch not finished yet (through the guard)."""

    def __init__(self, guard: InFlightGuard | None = None, *, max_bytes: int | None = None) -> None:
        self.guard = guard if guard is not None else InFlightGuard()
        self.max_bytes = max_bytes
        self._waiting: deque[int] = deque()
        self._sizes: dict[int, int] = {}  # registered batch -> its request bytes
        self._sending: set[int] = set()  # taken, not answered yet

    def add(self, batch_id: int, blockers: Iterable[int] = (), nbytes: int = 0) -> None:
        """A newly recorded batch of ``nbytes`` request bytes, waiting at the back; it may start once
        ``blockers`` (the journal's answer: older batches holding its products) have finished."""
        self.register(batch_id, blockers, nbytes)
        self._waiting.append(batch_id)

    def register(self, batch_id: int, blockers: Iterable[int] = (), nbytes: int = 0) -> None:
        """A batch that is not to be sent now (accepted, its report awaited) but that later batches may
        wait for."""
        self.guard.register(batch_id, blockers)
        self._sizes[batch_id] = nbytes

    def requeue(self, batch_id: int) -> None:
        """Send a registered batch again (a lost report): at the front, it is older than the waiting ones."""
        if batch_id not in self._waiting:
            self._waiting.appendleft(batch_id)

    def take(self) -> int | None:
        """The first waiting batch that may start now (marked started and in flight), or ``None``: none
        may start, or the first that may does not fit beside the bytes in flight."""
        can_start = self.guard.can_start
        for i, batch_id in enumerate(self._waiting):
            if can_start(batch_id):
                if not self._fits(self._sizes.get(batch_id, 0)):
                    return None
                del self._waiting[i]
                self.guard.start(batch_id)
                self._sending.add(batch_id)
                return batch_id
        return None

    @property
    def bytes_in_flight(self) -> int:
        """The request bytes of the batches taken and not answered yet (a few: at most ``concurrency``)."""
        return sum(self._sizes.get(b, 0) for b in self._sending)

    def _fits(self, nbytes: int) -> bool:
        if self.max_bytes is None or not self._sending:
            return True
        return self.bytes_in_flight + nbytes <= self.max_bytes

    def answered(self, batch_id: int) -> None:
        """The sender is done with a taken batch (accepted, split or given up): its bytes are no longer in
        flight. Idempotent."""
        self._sending.discard(batch_id)

    def split(self, batch_id: int, parts: Sequence[tuple[int, int]]) -> None:
        """Replace a batch (after a 413) by its parts (id, request bytes), which take its place and go
        first."""
        self.guard.replace(batch_id, [part_id for part_id, _ in parts])
        self.answered(batch_id)
        self._sizes.pop(batch_id, None)
        for part_id, nbytes in parts:
            self._sizes[part_id] = nbytes
        for part_id, _ in reversed(parts):
            self._waiting.appendleft(part_id)

    def finish(self, batch_id: int) -> None:
        """The batch is settled (or no longer followed): the batches waiting for it are freer."""
        if batch_id in self._waiting:
            self._waiting.remove(batch_id)
        self.answered(batch_id)
        self._sizes.pop(batch_id, None)
        self.guard.finish(batch_id)

    @property
    def waiting(self) -> int:
        """Batches waiting to be sent."""
        return len(self._waiting)

    def has_room(self, *, max_waiting: int, max_outstanding: int) -> bool:
        """Whether another recorded batch may join: fewer than ``max_waiting`` batches waiting and fewer
        than ``max_outstanding`` not finished. (A waiting batch costs no memory: its body is in the
        journal, and the guard knows it by id.)"""
        return len(self._waiting) < max_waiting and len(self.guard) < max_outstanding

    @property
    def outstanding(self) -> int:
        """Batches registered and not finished: waiting, being sent, or awaiting their report."""
        return len(self.guard)


__all__ = ["SendQueue"]
