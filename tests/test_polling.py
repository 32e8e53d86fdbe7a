"""The polling schedule as a table, and the sans-IO report waiter."""

from __future__ import annotations

import logging

import pytest

from criteo_catalog_sdk.errors import (
    OperationNotFoundError,
    PermissionDeniedError,
    ServerError,
    TransportError,
)
from criteo_catalog_sdk.polling import PollPolicy, ReportTimeoutError, ReportWaiter, next_poll_delay, poll_delay
from criteo_catalog_sdk.report import Report
from tests.fakes.mock_criteo import report_body

DEFAULT = PollPolicy()


def test_default_schedule_follows_criteo_advice() -> None:
    delays = [poll_delay(DEFAULT, n) for n in range(12)]
    assert delays[:6] == [3.0, 4.5, 6.75, 10.125, 15.1875, 22.78125]
    assert delays[6:] == [30.0] * 6
    assert poll_delay(DEFAULT, 10_000) == 30.0


@pytest.mark.parametrize(
    ("poll_index", "elapsed", "timeout", "expected"),
    [
        (0, 0.0, 3600.0, 3.0),
        (1, 3.0, 3600.0, 4.5),
        (7, 100.0, 3600.0, 30.0),
        (3, 3590.0, 3600.0, 10.0),  # shortened so the last poll happens at the deadline
        (3, 3600.0, 3600.0, None),  # deadline reached: stop
        (3, 3700.0, 3600.0, None),
        (0, 0.0, 1.0, 1.0),  # a short budget still gets one poll, at its end
        (0, 0.0, 0.0, 0.0),  # no budget: poll once right away
        (1, 0.0, 0.0, None),
    ],
)
def test_next_poll_delay_table(poll_index: int, elapsed: float, timeout: float, expected: float | None) -> None:
    assert next_poll_delay(DEFAULT, poll_index, elapsed, timeout) == expected


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _drive(waiter: ReportWaiter, clock: FakeClock, statuses: list[str]) -> tuple[Report, list[float]]:
    delays = []
    for status in statuses:
        delay = waiter.next_delay()
        delays.append(delay)
        clock.now += delay
        report = Report(report_body(status))
        if waiter.observe(report):
            return report, delays
    raise AssertionError("never finished")


def test_waiter_stops_at_a_terminal_status_and_reports_each_poll() -> None:
    clock = FakeClock()
    seen: list[str] = []
    waiter = ReportWaiter("tok", DEFAULT, 3600, on_poll=lambda r: seen.append(r.status), clock=clock)
    report, delays = _drive(waiter, clock, ["ACCEPTED", "IN_PROGRESS", "IN_PROGRESS", "VALIDATED_WITH_ERRORS"])
    assert report.status == "VALIDATED_WITH_ERRORS"
    assert delays == [3.0, 4.5, 6.75, 10.125]
    assert seen == ["ACCEPTED", "IN_PROGRESS", "IN_PROGRESS", "VALIDATED_WITH_ERRORS"]


@pytest.mark.parametrize("terminal", ["VALIDATED", "VALIDATED_WITH_ERRORS", "FAILED"])
def test_every_terminal_status_ends_the_wait(terminal: str) -> None:
    clock = FakeClock()
    waiter = ReportWaiter("tok", DEFAULT, 3600, clock=clock)
    report, _ = _drive(waiter, clock, [terminal])
    assert report.status == terminal


def test_waiter_raises_at_the_deadline_with_the_token_and_last_report() -> None:
    clock = FakeClock()
    waiter = ReportWaiter("op-token", DEFAULT, 20.0, clock=clock)
    polls = 0
    with pytest.raises(ReportTimeoutError) as info:
        while True:
            clock.now += waiter.next_delay()
            polls += 1
            waiter.observe(Report(report_body("IN_PROGRESS")))
    assert clock.now == 20.0  # the last poll happened exactly at the deadline
    assert polls == 4  # at 3, 7.5, 14.25, 20
    assert info.value.token == "op-token"
    assert info.value.last_report is not None
    assert info.value.last_report.status == "IN_PROGRESS"
    assert "op-token" in str(info.value)


def test_unknown_status_keeps_polling_and_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    waiter = ReportWaiter("tok", DEFAULT, 3600, clock=clock)
    with caplog.at_level(logging.WARNING, logger="criteo_catalog_sdk"):
        report, _ = _drive(waiter, clock, ["QUEUED", "QUEUED", "QUEUED", "VALIDATED"])
    assert report.status == "VALIDATED"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "QUEUED" in warnings[0].getMessage()


def test_transient_failures_keep_polling_permanent_ones_raise() -> None:
    clock = FakeClock()
    waiter = ReportWaiter("tok", DEFAULT, 3600, clock=clock)
    assert waiter.next_delay() == 3.0
    waiter.failed(ServerError(503))
    assert waiter.next_delay() == 4.5  # a failed poll still advances the schedule
    waiter.failed(TransportError("reset", retryable=True))
    assert isinstance(waiter.last_error, TransportError)
    with pytest.raises(OperationNotFoundError):
        waiter.failed(OperationNotFoundError(404))
    with pytest.raises(PermissionDeniedError):
        waiter.failed(PermissionDeniedError(403))


def test_waiter_rejects_a_bad_timeout() -> None:
    with pytest.raises(ValueError):
        ReportWaiter("tok", DEFAULT, -1)
    with pytest.raises(ValueError):
        ReportWaiter("tok", DEFAULT, float("inf"))


def test_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        PollPolicy(multiplier=0.5)
    with pytest.raises(ValueError):
        PollPolicy(initial_delay=-1)
