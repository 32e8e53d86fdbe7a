"""The in-flight ids guard: a product id is never in two in-flight batches, and versions keep their order.

Batches are registered in the order they were built. A batch may start only when, for each of its
product keys, it is the oldest registered batch holding that key; it keeps the keys until the
pipeline finishes it (terminal report, or given up). So a newer version of a product is never sent
while an older one is in flight or waiting (for pacing, a retry, a 413 split or a 404 resubmission),
and an older one can never overtake it. A split batch's halves take its place in every queue.

Pure and synchronous: the async scheduler asks :meth:`InFlightGuard.can_start` and waits on its own
condition when the answer is no. Memory: the keys of registered batches only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class InFlightGuard:
    """Tracks which batch holds which product key, in registration order.

    Cheap for the common case, a key held by one batch (an int, not a queue), and ``can_start`` is a
    counter lookup: each batch counts the keys on which an older batch is still ahead of it.
    """

    def __init__(self) -> None:
        self._holders: dict[str, int | list[int]] = {}  # key -> the batch holding it, or those, oldest first
        self._keys: dict[int, tuple[str, ...]] = {}  # registered batch -> its distinct keys
        self._behind: dict[int, int] = {}  # registered batch -> keys on which an older batch is ahead
        self._started: set[int] = set()

    def register(self, batch_id: int, keys: Iterable[str]) -> None:
        """Queue a new batch behind every registered batch sharing one of its keys."""
        if batch_id in self._keys:
            raise ValueError(f"batch {batch_id} is already registered")
        distinct = tuple(dict.fromkeys(keys))
        self._keys[batch_id] = distinct
        holders = self._holders
        behind = 0
        for k in distinct:
            held = holders.get(k)
            if held is None:
                holders[k] = batch_id
            else:
                behind += 1
                if type(held) is int:
                    holders[k] = [held, batch_id]
                else:
                    held.append(batch_id)  # type: ignore[union-attr]
        self._behind[batch_id] = behind

    def _queue(self, key: str) -> list[int]:
        held = self._holders[key]
        return [held] if type(held) is int else list(held)  # type: ignore[arg-type]

    def blockers(self, batch_id: int) -> set[int]:
        """The older batches that must finish before ``batch_id`` may start (empty: it may start)."""
        out: set[int] = set()
        for k in self._keys[batch_id]:
            for other in self._queue(k):
                if other == batch_id:
                    break
                out.add(other)
        return out

    def can_start(self, batch_id: int) -> bool:
        """Whether every key of the batch is free of older batches."""
        return self._behind[batch_id] == 0

    def start(self, batch_id: int) -> None:
        """Mark the batch in flight; raises ``RuntimeError`` if it may not start yet."""
        if not self.can_start(batch_id):
            raise RuntimeError(f"batch {batch_id} is blocked by {sorted(self.blockers(batch_id))}")
        self._started.add(batch_id)

    def _drop(self, key: str, batch_id: int) -> None:
        """``batch_id`` leaves the queue of ``key``; the next one, if it becomes first, is one key freer."""
        held = self._holders[key]
        if type(held) is int:
            del self._holders[key]
            return
        queue: list[int] = held  # type: ignore[assignment]
        first = queue[0] == batch_id
        queue.remove(batch_id)
        if first:
            self._behind[queue[0]] -= 1
        if len(queue) == 1:
            self._holders[key] = queue[0]

    def finish(self, batch_id: int) -> None:
        """Release the batch's keys (report terminal, or the batch given up)."""
        for k in self._keys.pop(batch_id):
            self._drop(k, batch_id)
        del self._behind[batch_id]
        self._started.discard(batch_id)

    def replace(self, batch_id: int, parts: Sequence[tuple[int, Iterable[str]]]) -> None:
        """Put the parts of a split batch (``(new_id, keys)`` in sending order) in its place.

        Each part inherits the batch's position in the queue of each of its keys, so a newer version
        of one of those products queued behind the batch stays behind the parts.
        """
        old = self._keys[batch_id]
        owner: dict[str, int] = {}
        for new_id, keys in parts:
            if new_id in self._keys:
                raise ValueError(f"batch {new_id} is already registered")
            for k in dict.fromkeys(keys):
                if k not in old or k in owner:
                    raise ValueError(f"key {k!r} does not belong to batch {batch_id} or is in two parts")
                owner[k] = new_id
        del self._keys[batch_id]
        del self._behind[batch_id]
        self._started.discard(batch_id)
        for new_id, keys in parts:
            self._keys[new_id] = tuple(dict.fromkeys(keys))
            self._behind[new_id] = 0
        for k in old:
            held = self._holders[k]
            if k not in owner:  # a key dropped from the parts (e.g. its entry was rejected)
                self._drop(k, batch_id)
                continue
            if type(held) is int:
                self._holders[k] = owner[k]
                continue
            queue: list[int] = held  # type: ignore[assignment]
            i = queue.index(batch_id)
            queue[i] = owner[k]
            if i > 0:
                self._behind[owner[k]] += 1

    def __contains__(self, key: object) -> bool:
        return key in self._holders

    def __len__(self) -> int:
        """Number of registered batches."""
        return len(self._keys)

    @property
    def in_flight(self) -> frozenset[int]:
        """The batches started and not finished."""
        return frozenset(self._started)


__all__ = ["InFlightGuard"]
