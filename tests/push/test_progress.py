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
