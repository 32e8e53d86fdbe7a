"""Progress events: throttled, the last one always sent."""

from __future__ import annotations

from criteo_catalog_sdk.push.progress import ProgressEvent, ProgressTracker


def test_progress_tracker_throttles_events() -> None:
    now = [0.0]
    events: list[ProgressEvent] = []
    tracker = ProgressTracker(events.append, lambda: 5.0, clock=lambda: now[0], min_interval=1.0)
    tracker.accepted = 10
    now[0] = 2.0
    tracker.emit()
    tracker.emit()  # too soon: dropped
    now[0] = 2.5
    tracker.emit(finished=True)  # the last one always goes
    assert [e.finished for e in events] == [False, True]
    assert events[0].throughput == 5.0 and events[0].rate == 5.0


def test_progress_tracker_counts_calls_in_all_and_over_the_last_minute() -> None:
    now = [0.0]
    tracker = ProgressTracker(None, lambda: 5.0, clock=lambda: now[0])
    for second in (0.0, 10.0, 30.0):
        now[0] = second
        tracker.called()
    now[0] = 65.0  # the first call is over a minute old
    event = tracker.snapshot()
    assert (event.calls, event.calls_per_minute) == (3, 2)
