"""The in-flight guard: a newer version of a product never leaves while an older one is unsettled.

A batch is registered with its **blockers**: the unfinished batches holding an earlier line of one of
its products, which the journal finds when it records the batch (it looks those lines up anyway, to
supersede them: :meth:`~criteo_catalog_sdk.push.journal.batches.Batches.record`). The batch may start
only when every blocker has finished (terminal report, or given up). So a product id is never in two
in-flight batches, and a newer version is never sent while an older one is in flight or waiting (for
pacing, a retry, a 413 split or a 404 resubmission). A split batch's parts take its place: they wait
for what it waited for, and what waited for it waits for them.

The guard holds batch ids, never product keys: its memory does not grow with the size of batches.
A blocker may be a batch the guard has already finished (ignored) or one it has not been told of yet
(the parts of a split, which the journal may record before the guard hears of them: waited for).

Pure and synchronous: the async scheduler asks :meth:`InFlightGuard.can_start` and waits on its own
condition when the answer is no.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class InFlightGuard:
    """Which registered batch waits for which, by batch id."""

    def __init__(self) -> None:
        self._waits_for: dict[int, set[int]] = {}  # registered batch -> blockers not finished yet
        self._waiters: dict[int, set[int]] = {}  # blocker -> the registered batches waiting for it
        self._finished: set[int] = set()  # finished or replaced: ignored as a blocker (a few ints a batch)

    def _check_new(self, batch_id: int) -> None:
        if batch_id in self._waits_for or batch_id in self._finished:
            raise ValueError(f"batch {batch_id} is already registered")

    def _wait(self, batch_id: int, blockers: Iterable[int]) -> None:
        waits = self._waits_for.setdefault(batch_id, set())
        for blocker in blockers:
            if blocker != batch_id and blocker not in self._finished:
                waits.add(blocker)
                self._waiters.setdefault(blocker, set()).add(batch_id)

    def register(self, batch_id: int, blockers: Iterable[int] = ()) -> None:
        """A new batch that may start only after ``blockers`` (batch ids) have finished."""
        self._check_new(batch_id)
        ids = tuple(blockers)
        for blocker in ids:
            if type(blocker) is not int:  # e.g. product keys, as the guard took before: they would never finish
                raise TypeError(f"batch {batch_id}: blockers are batch ids, not {blocker!r}")
        self._wait(batch_id, ids)

    def blockers(self, batch_id: int) -> set[int]:
        """The batches that must finish before ``batch_id`` may start (empty: it may start)."""
        return set(self._waits_for[batch_id])

    def can_start(self, batch_id: int) -> bool:
        """Whether every blocker of the batch has finished."""
        return not self._waits_for[batch_id]

    def start(self, batch_id: int) -> None:
        """Check that the batch may go out now; raises ``RuntimeError`` if it may not start yet."""
        if not self.can_start(batch_id):
            raise RuntimeError(f"batch {batch_id} is blocked by {sorted(self.blockers(batch_id))}")

    def _forget(self, batch_id: int) -> set[int]:
        """Unregister a batch (it counts as finished from now on, and no longer blocks anything);
        returns the batches that were waiting for it."""
        for blocker in self._waits_for.pop(batch_id):
            self._waiters[blocker].discard(batch_id)
        self._finished.add(batch_id)
        waiters = self._waiters.pop(batch_id, set())
        for waiter in waiters:
            self._waits_for[waiter].discard(batch_id)
        return waiters

    def finish(self, batch_id: int) -> None:
        """The batch is settled (report terminal, or given up): the batches waiting for it are freer."""
        self._forget(batch_id)

    def replace(self, batch_id: int, parts: Sequence[int]) -> None:
        """Put the parts of a split batch (new ids, in sending order) in its place: each waits for the
        batch's blockers, and every batch that waited for it waits for each part. (Conservative: those
        were recorded before the split and superseded their lines in it, which the parts do not send.
        They lose at most the parts' reports' time, after a 413.)"""
        for part in parts:
            self._check_new(part)
        if len(set(parts)) != len(parts):
            raise ValueError(f"the parts of batch {batch_id} repeat an id: {list(parts)}")
        blockers = set(self._waits_for[batch_id])
        waiters = self._forget(batch_id)
        for part in parts:
            self._wait(part, blockers)
            for waiter in waiters:
                self._wait(waiter, (part,))

    def __len__(self) -> int:
        """Number of registered batches."""
        return len(self._waits_for)


__all__ = ["InFlightGuard"]
