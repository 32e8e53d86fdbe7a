from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from criteo_catalog_sdk.push.inflight import InFlightGuard


def test_disjoint_batches_run_together() -> None:
    g = InFlightGuard()
    g.register(1, ["a", "b"])
    g.register(2, ["c"])
    g.start(1)
    g.start(2)
    assert g.in_flight == {1, 2}


def test_shared_key_waits_for_the_older_batch() -> None:
    g = InFlightGuard()
    g.register(1, ["a", "b"])
    g.register(2, ["b", "c"])
    assert g.can_start(1) and not g.can_start(2)
    assert g.blockers(2) == {1}
    with pytest.raises(RuntimeError):
        g.start(2)
    # even before batch 1 is started (waiting for pacing or a retry), batch 2 may not overtake it
    g.start(1)
    g.finish(1)
    assert g.can_start(2)
    g.start(2)
    g.finish(2)
    assert len(g) == 0 and "b" not in g


def test_split_halves_keep_the_parents_place() -> None:
    g = InFlightGuard()
    g.register(1, ["a", "b", "c", "d"])
    g.register(2, ["b"])  # newer version of b
    g.start(1)
    g.replace(1, [(3, ["a", "b"]), (4, ["c", "d"])])
    assert not g.can_start(2) and g.blockers(2) == {3}
    assert g.can_start(3) and g.can_start(4)
    g.finish(4)
    assert not g.can_start(2)
    g.finish(3)
    assert g.can_start(2)


def test_replace_can_drop_keys_and_rejects_foreign_ones() -> None:
    g = InFlightGuard()
    g.register(1, ["a", "b"])
    g.replace(1, [(2, ["a"])])  # b's entry was rejected
    assert "b" not in g
    g.register(5, ["z"])
    with pytest.raises(ValueError):
        g.replace(2, [(6, ["z"])])


def test_register_twice_is_an_error() -> None:
    g = InFlightGuard()
    g.register(1, ["a"])
    with pytest.raises(ValueError):
        g.register(1, ["b"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=3), min_size=1, max_size=12), st.randoms())
def test_random_schedules_keep_ids_exclusive_and_ordered(batches: list[list[str]], rnd: object) -> None:
    import random

    assert isinstance(rnd, random.Random)
    g = InFlightGuard()
    for i, keys in enumerate(batches):
        g.register(i, keys)
    waiting = set(range(len(batches)))
    running: set[int] = set()
    sent_order: dict[str, list[int]] = {}
    while waiting or running:
        startable = [b for b in waiting if g.can_start(b)]
        if startable and (not running or rnd.random() < 0.6):
            b = rnd.choice(startable)
            g.start(b)
            waiting.discard(b)
            running.add(b)
            live = [k for r in running for k in set(batches[r])]
            assert len(live) == len(set(live)), "a key is in two in-flight batches"
            for k in set(batches[b]):
                sent_order.setdefault(k, []).append(b)
        else:
            assert running, "deadlock"
            b = rnd.choice(sorted(running))
            g.finish(b)
            running.discard(b)
    for order in sent_order.values():
        assert order == sorted(order), "an older version was sent after a newer one"
