"""The in-flight guard: a batch starts only after the batches it waits for (by id) have finished."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from criteo_catalog_sdk.push.inflight import InFlightGuard


def test_batches_without_blockers_run_together() -> None:
    g = InFlightGuard()
    g.register(1)
    g.register(2)
    g.start(1)
    g.start(2)
    assert g.can_start(1) and g.can_start(2) and len(g) == 2


def test_a_batch_waits_for_its_blockers_even_before_they_start() -> None:
    g = InFlightGuard()
    g.register(1)
    g.register(2, [1])
    assert g.can_start(1) and not g.can_start(2)
    assert g.blockers(2) == {1}
    with pytest.raises(RuntimeError, match=r"batch 2 is blocked by \[1\]"):
        g.start(2)
    g.finish(1)  # 1 never started (given up while waiting): 2 is free all the same
    assert g.can_start(2)
    g.start(2)
    g.finish(2)
    assert len(g) == 0


def test_a_finished_blocker_is_ignored() -> None:
    g = InFlightGuard()
    g.register(1)
    g.finish(1)  # e.g. accepted when reports are not awaited: the journal still calls it unfinished
    g.register(2, [1])
    assert g.can_start(2)


def test_split_parts_wait_for_the_batch_blockers_and_its_waiters_wait_for_every_part() -> None:
    g = InFlightGuard()
    g.register(1)
    g.register(2, [1])
    g.register(3, [2])
    g.start(1)
    g.finish(1)
    g.start(2)
    g.replace(2, [4, 5])
    assert g.can_start(4) and g.can_start(5) and g.blockers(3) == {4, 5}
    g.register(6, [2])  # named the split batch: recorded before its parts, so holds none of theirs
    assert g.can_start(6)
    g.finish(4)
    assert not g.can_start(3)
    g.finish(5)
    assert g.can_start(3) and len(g) == 2


def test_split_parts_inherit_the_blockers_still_unfinished() -> None:
    g = InFlightGuard()
    g.register(1)
    g.register(2, [1])
    g.replace(2, [3, 4])
    assert g.blockers(3) == {1} and g.blockers(4) == {1}
    g.finish(1)
    assert g.can_start(3) and g.can_start(4)


def test_a_blocker_not_registered_yet_is_waited_for() -> None:
    # The journal recorded a split's parts (7, 8) and then a batch holding a product of part 7, before
    # the sender that split batch 5 told the guard.
    g = InFlightGuard()
    g.register(5)
    g.start(5)
    g.register(9, [7])
    assert not g.can_start(9)
    g.replace(5, [7, 8])
    assert g.blockers(9) == {7}
    g.finish(8)
    assert not g.can_start(9)
    g.finish(7)
    assert g.can_start(9)


def test_ids_are_not_reused() -> None:
    g = InFlightGuard()
    g.register(1)
    with pytest.raises(ValueError, match="already registered"):
        g.register(1)
    g.finish(1)
    with pytest.raises(ValueError, match="already registered"):
        g.register(1)
    g.register(2)
    with pytest.raises(ValueError, match="already registered"):
        g.replace(2, [3, 2])
    with pytest.raises(ValueError, match="repeat an id"):
        g.replace(2, [3, 3])
    assert len(g) == 1 and g.can_start(2)  # the refused calls changed nothing
    g.register(3)
    with pytest.raises(TypeError, match="blockers are batch ids, not 'a'"):
        g.register(4, ["a"])  # type: ignore[list-item]
    g.register(4)  # not half registered by the refused call


# -- the guard against a model of the journal ---------------------------------------------------------


@dataclass
class ModelBatch:
    seq: int  # the order of its version among the run's records (a split's parts keep their batch's)
    live: set[str]  # its lines not superseded by a later record
    held: set[str]  # every product it holds a line of (superseded ones too)
    finished: bool = False
    sent: frozenset[str] | None = None  # what it sent, when it started


@dataclass
class Model:
    """The journal's side: records supersede earlier lines, name unfinished holders as blockers, a
    split's parts take the live lines, a batch whose report is lost goes again with its live lines. The
    guard hears of records and splits later, in any order."""

    rnd: random.Random
    guard: InFlightGuard = field(default_factory=InFlightGuard)
    batches: dict[int, ModelBatch] = field(default_factory=dict)
    later: list[Callable[[], None]] = field(default_factory=list)  # guard calls not made yet
    known: set[int] = field(default_factory=set)  # registered with the guard
    started: set[int] = field(default_factory=set)
    splitting: set[int] = field(default_factory=set)
    last_sent: dict[str, int] = field(default_factory=dict)
    next_id: int = 1
    seq: int = 0

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def record(self, keys: set[str]) -> None:
        self.seq += 1
        blockers = set()
        for bid, b in self.batches.items():
            if not b.finished and b.held & keys:
                blockers.add(bid)
                b.live -= keys
        bid = self.new_id()
        self.batches[bid] = ModelBatch(self.seq, set(keys), set(keys))
        self.later.append(lambda: (self.guard.register(bid, blockers), self.known.add(bid)))

    def split(self, bid: int) -> None:
        b = self.batches[bid]
        b.finished = True
        live = sorted(b.live)
        half = self.rnd.randrange(len(live) + 1)
        parts = [self.new_id(), self.new_id()]
        for part, keys in zip(parts, (live[:half], live[half:]), strict=True):
            self.batches[part] = ModelBatch(b.seq, set(keys), set(keys))
        self.splitting.add(bid)

        def tell() -> None:
            self.guard.replace(bid, parts)
            self.known.update(parts)
            self.known.discard(bid)
            self.started.discard(bid)
            self.splitting.discard(bid)

        self.later.append(tell)

    def start(self, bid: int) -> None:
        b = self.batches[bid]
        self.guard.start(bid)
        b.sent = frozenset(b.live)
        for other in self.started:
            sent = self.batches[other].sent
            assert sent is not None and not (sent & b.sent), f"batches {other} and {bid} both in flight with a product"
        for key in b.sent:
            assert self.last_sent.get(key, 0) <= b.seq, f"{key}: an older version was sent after a newer one"
            self.last_sent[key] = b.seq
        self.started.add(bid)

    def finish(self, bid: int) -> None:
        self.batches[bid].finished = True
        self.guard.finish(bid)
        self.known.discard(bid)
        self.started.discard(bid)

    def lose(self, bid: int) -> None:
        """Its report is lost (404): it goes again later, with the lines still live then."""
        self.started.discard(bid)
        self.batches[bid].sent = None

    def step(self) -> bool:
        """One random event; ``False`` when nothing is left to do."""
        startable = [b for b in self.known - self.started if self.guard.can_start(b)]
        running = sorted(self.started - self.splitting)
        moves: list[Callable[[], None]] = []
        if self.later:
            moves.append(lambda: self.later.pop(self.rnd.randrange(len(self.later)))())
        if startable:
            moves.append(lambda: self.start(self.rnd.choice(sorted(startable))))
        if running:
            moves.append(lambda: self.finish(self.rnd.choice(running)))
            moves.append(lambda: self.split(self.rnd.choice(running)))
            if self.rnd.random() < 0.2:  # rare, as lost reports are
                moves.append(lambda: self.lose(self.rnd.choice(running)))
        if not moves:
            assert not self.known, f"deadlock: {sorted(self.known)} registered, none may start"
            return False
        self.rnd.choice(moves)()
        return True


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sets(st.sampled_from("abcdef"), min_size=1, max_size=3), min_size=1, max_size=12), st.randoms())
def test_random_schedules_keep_products_exclusive_and_versions_ordered(
    records: list[set[str]], rnd: random.Random
) -> None:
    model = Model(rnd)
    pending = list(records)
    while True:
        if pending and rnd.random() < 0.3:
            model.record(pending.pop(0))
        elif not model.step():
            if not pending:
                break
            model.record(pending.pop(0))
    assert all(b.finished for b in model.batches.values())
