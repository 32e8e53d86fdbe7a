"""The send queue: which batch may start, and which must wait for a product in flight."""

from __future__ import annotations

from criteo_catalog_sdk.push.scheduling import SendQueue


def test_send_queue_takes_the_first_startable_batch() -> None:
    q = SendQueue()
    q.add(1)
    q.add(2, [1])  # holds a newer version of a product of 1
    q.add(3)
    assert q.take() == 1
    assert q.take() == 3  # 2 must wait for 1, 3 need not
    assert q.take() is None and q.waiting == 1 and q.outstanding == 3
    q.split(1, [(4, 10), (5, 10)])
    assert q.take() == 4 and q.take() == 5  # halves go first, and 2 now waits for both
    q.finish(5)
    assert q.take() is None
    q.finish(4)
    assert q.take() == 2
    q.requeue(3)  # a lost report: 3 is sent again, first
    assert q.take() == 3
    for b in (2, 3):
        q.finish(b)
    assert q.outstanding == 0 and q.waiting == 0


def test_no_batch_starts_beyond_the_bytes_in_flight() -> None:
    q = SendQueue(max_bytes=100)
    q.add(1, nbytes=60)
    q.add(2, nbytes=50)
    q.add(3, nbytes=40)
    assert q.take() == 1
    assert q.take() is None  # 60 + 50 > 100, and 3 does not overtake 2
    assert q.bytes_in_flight == 60
    q.answered(1)  # its sender is done with it (its report may still be awaited)
    assert q.take() == 2 and q.take() == 3 and q.bytes_in_flight == 90
    q.answered(2)
    q.answered(2)  # idempotent
    assert q.bytes_in_flight == 40


def test_a_batch_larger_than_the_bound_goes_alone() -> None:
    q = SendQueue(max_bytes=100)
    q.add(1, nbytes=10)
    q.add(2, nbytes=500)
    assert q.take() == 1
    assert q.take() is None  # not beside another
    q.finish(1)
    assert q.take() == 2 and q.bytes_in_flight == 500


def test_a_split_batch_hands_its_bytes_to_its_parts() -> None:
    q = SendQueue(max_bytes=100)
    q.add(1, nbytes=90)
    assert q.take() == 1
    q.split(1, [(2, 45), (3, 45)])
    assert q.bytes_in_flight == 0
    assert q.take() == 2 and q.take() == 3 and q.bytes_in_flight == 90


def test_the_reader_stays_ahead_by_a_few_batches_and_registered_batches() -> None:
    q = SendQueue(max_bytes=100)
    room = lambda: q.has_room(max_waiting=3, max_outstanding=5)  # noqa: E731
    assert room()
    q.add(1, nbytes=10**9)
    q.add(2, nbytes=1)
    assert room()  # bytes waiting do not count: they are in the journal
    q.add(3, nbytes=1)
    assert q.waiting == 3 and not room()  # three batches waiting
    assert q.take() == 1 and room()
    q.answered(1)
    assert q.take() == 2 and q.take() == 3 and room()
    q.add(4)
    q.add(5)
    assert q.waiting == 2 and q.outstanding == 5 and not room()  # five registered, three awaiting reports
    q.finish(1)
    assert room()
