from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from criteo_catalog_sdk.push.chunking import (
    Batch,
    Chunker,
    RejectEntry,
    SplitBatch,
    chunk,
    halve,
    on_payload_too_large,
)
from criteo_catalog_sdk.push.wire import PreparedEntry


def e(pos: int, key: str | None = None, size: int = 10) -> PreparedEntry:
    k = key if key is not None else f"k{pos}"
    data = json.dumps({"p": k, "pad": "x" * max(0, size - 20)}).encode()
    return PreparedEntry(pos, k, k.upper(), "insert", data, None)


def test_by_count() -> None:
    batches = chunk([e(i) for i in range(25)], max_entries=10)
    assert [len(b) for b in batches] == [10, 10, 5]
    assert [x.position for b in batches for x in b.entries] == list(range(25))


def test_by_bytes_and_exact_sizes() -> None:
    entries = [e(i, size=100) for i in range(50)]
    batches = chunk(entries, max_entries=1000, max_bytes=1000)
    for b in batches:
        assert b.nbytes == len(b.body()) <= 1000
        json.loads(b.body())
    assert sum(len(b) for b in batches) == 50


def test_oversized_entry_goes_alone() -> None:
    c = Chunker(10, 500)
    assert c.add(e(1)).sealed == ()
    res = c.add(e(2, size=2000))
    assert [len(b) for b in res.sealed] == [1, 1]
    assert res.sealed[1].entries[0].position == 2
    assert c.flush() is None


def test_duplicate_in_open_batch_is_replaced_case_insensitively() -> None:
    c = Chunker(10)
    c.add(e(1, "abc"))
    c.add(e(2, "x"))
    res = c.add(e(3, "abc"))
    assert res.replaced is not None and res.replaced.position == 1
    b = c.flush()
    assert b is not None and [x.position for x in b.entries] == [2, 3]
    assert b.nbytes == len(b.body())


def test_oldest_position() -> None:
    c = Chunker(10)
    assert c.oldest_position is None
    c.add(e(5))
    c.add(e(6))
    assert c.oldest_position == 5


def test_open_keys_name_the_open_batch_only() -> None:
    c = Chunker(2)
    c.add(e(1, "a"))
    assert set(c.open_keys) == {"a"}
    c.add(e(2, "b"))  # seals the batch: nothing is open any more
    assert set(c.open_keys) == set()


def test_halve_by_bytes() -> None:
    entries = [e(1, size=1000), e(2), e(3), e(4)]
    a, b = halve(entries)
    assert [x.position for x in a] == [1] and [x.position for x in b] == [2, 3, 4]
    with pytest.raises(ValueError):
        halve(entries[:1])


def test_413_decisions_converge_on_the_culprit() -> None:
    culprit = 7
    batch = Batch(tuple(e(i, size=3000 if i == culprit else 50) for i in range(16)))
    queue = [batch]
    rejected: list[int] = []
    sent: list[int] = []
    while queue:
        b = queue.pop(0)
        if any(x.position == culprit for x in b.entries):  # the server refuses any batch holding it
            d = on_payload_too_large(b)
            if isinstance(d, SplitBatch):
                queue[:0] = [d.first, d.second]
            else:
                assert isinstance(d, RejectEntry)
                rejected.append(d.entry.position)
                assert d.issue.type == "PayloadTooLarge"
        else:
            sent.extend(x.position for x in b.entries)
    assert rejected == [culprit]
    assert sorted(sent) == [i for i in range(16) if i != culprit]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(20, 400)), max_size=80),
    st.integers(1, 20),
    st.integers(200, 2000),
)
def test_chunk_invariants(spec: list[tuple[int, int]], max_entries: int, max_bytes: int) -> None:
    entries = [e(i, f"k{key}", size) for i, (key, size) in enumerate(spec)]
    batches = chunk(entries, max_entries, max_bytes)
    sent = [x for b in batches for x in b.entries]
    # the last occurrence of each key is sent, in input order; earlier ones only if sealed before
    last = {x.key: x.position for x in entries}
    assert {x.key for x in sent} == set(last)
    assert [x.position for x in sent] == sorted(x.position for x in sent)
    for b in batches:
        assert 1 <= len(b) <= max_entries
        assert len({x.key for x in b.entries}) == len(b)  # never a duplicate in one batch
        assert b.nbytes == len(b.body())
        assert b.nbytes <= max_bytes or len(b) == 1
