"""The send queue: which batch may start, and which must wait for a product in flight."""

from __future__ import annotations

from criteo_catalog_sdk.push.scheduling import SendQueue


def test_send_queue_takes_the_first_startable_batch() -> None:
    q = SendQueue()
    q.add(1, ["a", "b"])
    q.add(2, ["b", "c"])  # blocked by 1 (b)
    q.add(3, ["d"])
    assert q.take() == 1
    assert q.take() == 3  # 2 must wait for 1, 3 need not
    assert q.take() is None and q.waiting == 1 and q.outstanding == 3
    q.split(1, [(4, ["a"]), (5, ["b"])])
    assert q.take() == 4 and q.take() == 5  # halves go first, and 2 still waits for 5 (b)
    assert q.take() is None
    q.finish(5)
    assert q.take() == 2
    q.requeue(3)  # a lost report: 3 is sent again, first
    assert q.take() == 3
    for b in (2, 3, 4):
        q.finish(b)
    assert q.outstanding == 0 and q.waiting == 0
