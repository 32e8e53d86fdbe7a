"""When to poll a batch report: the pure schedule and a small sans-IO waiter shared by both clients.

Criteo's advice: a 1,000-product report takes under ~3 s, so poll first after ~3 s, then back off. The
default schedule is 3 s, 4.5 s, 6.75 s, ... growing by 1.5 up to 30 s between polls, until the status
is terminal (``VALIDATED``, ``VALIDATED_WITH_ERRORS``, ``FAILED``) or the deadline passes (processing
can take up to an hour, hence the default 3600 s deadline of ``wait_for_report``), when
:class:`ReportTimeoutError` is raised (defined here, where reports are waited for).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from criteo_catalog_sdk._logging import logger
from criteo_catalog_sdk.errors import CriteoError
from criteo_catalog_sdk.report import KNOWN_STATUSES, Report
from criteo_catalog_sdk.retry import is_retryable

__all__ = [
    "PRODUCTS_PER_INITIAL_DELAY",
    "PollPolicy",
    "ReportTimeoutError",
    "ReportWaiter",
    "first_poll_delay",
    "next_poll_delay",
    "poll_delay",
]


class ReportTimeoutError(CriteoError):
    """``wait_for_report`` reached its deadline before the report reached a terminal status.

    ``token`` is the operation token (poll again later with it), ``timeout`` the deadline in seconds and
    ``last_report`` the last report seen, if any.
    """

    def __init__(self, token: str, timeout: float, last_report: Report | None = None) -> None:
        status = last_report.status if last_report is not None else "never polled"
        super().__init__(f"the report of operation {token!r} was not final after {timeout:g} s (last status: {status})")
        self.token = token
        self.timeout = timeout
        self.last_report = last_report


@dataclass(frozen=True, slots=True)
class PollPolicy:
    """The report polling schedule: ``initial_delay`` before the first poll, then ``multiplier`` times
    the previous delay, at most ``max_delay``. Each poll request has its own retry policy on top."""

    initial_delay: float = 3.0
    multiplier: float = 1.5
    max_delay: float = 30.0

    def __post_init__(self) -> None:
        if not (self.initial_delay >= 0 and self.max_delay >= 0 and self.multiplier >= 1):
            raise ValueError("PollPolicy needs initial_delay >= 0, max_delay >= 0 and multiplier >= 1")


def poll_delay(policy: PollPolicy, poll_index: int) -> float:
    """The delay before poll number ``poll_index`` (0 for the first poll), capped by ``max_delay``."""
    if poll_index > 200:  # the cap is long reached; avoid float overflow in the power
        return policy.max_delay
    return min(policy.initial_delay * policy.multiplier**poll_index, policy.max_delay)


#: Criteo: a report of this many products takes ~``initial_delay`` (3 s) to be final.
PRODUCTS_PER_INITIAL_DELAY = 1000


def first_poll_delay(policy: PollPolicy, products: int) -> float:
    """When to poll a batch's report first: ``initial_delay`` per 1,000 products (Criteo: a 1,000-product
    report takes ~3 s), at least ``initial_delay``, at most ``max_delay``: a larger batch is not polled
    before it can be final, which spends fewer of the application's calls."""
    scaled = policy.initial_delay * max(1.0, products / PRODUCTS_PER_INITIAL_DELAY)
    return max(policy.initial_delay, min(scaled, policy.max_delay))


def next_poll_delay(policy: PollPolicy, poll_index: int, elapsed: float, timeout: float) -> float | None:
    """The delay before poll number ``poll_index`` given ``elapsed`` seconds of a ``timeout`` budget.

    ``None`` means the deadline has passed: stop. A delay that would overshoot the deadline is shortened
    so the last poll happens at the deadline; the first poll always happens, even with no budget.
    """
    remaining = timeout - elapsed
    delay = poll_delay(policy, poll_index)
    if remaining <= 0:
        return 0.0 if poll_index == 0 else None
    return min(delay, remaining)


class ReportWaiter:
    """The state of one ``wait_for_report`` call; the clients only sleep and fetch.

    Loop: ``delay = waiter.next_delay()`` (raises :class:`ReportTimeoutError` at the deadline), sleep,
    fetch the report, ``if waiter.observe(report): return report``; if the fetch raised, ``waiter.failed(error)``
    re-raises it unless it is transient.

    A transient failure (5xx, 429, network) that outlasted the poll's own retries does not end the wait:
    the report is still being produced, so polling goes on, on schedule, until the deadline.
    """

    def __init__(
        self,
        token: str,
        policy: PollPolicy,
        timeout: float,
        on_poll: Callable[[Report], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not (isinstance(timeout, int | float) and math.isfinite(timeout) and timeout >= 0):
            raise ValueError("timeout must be a finite number of seconds >= 0")
        self.token = token
        self._policy = policy
        self._timeout = float(timeout)
        self._on_poll = on_poll
        self._clock = clock
        self._started = clock()
        self._polls = 0
        self._warned: set[str] = set()
        self.last_report: Report | None = None
        self.last_error: CriteoError | None = None

    def next_delay(self) -> float:
        """Seconds to sleep before the next poll; raises :class:`ReportTimeoutError` past the deadline."""
        delay = next_poll_delay(self._policy, self._polls, self._clock() - self._started, self._timeout)
        if delay is None:
            raise ReportTimeoutError(self.token, self._timeout, self.last_report) from self.last_error
        return delay

    def failed(self, error: CriteoError) -> None:
        """Record a failed poll: re-raise ``error`` unless it is transient, else keep polling."""
        self._polls += 1
        if not is_retryable(error):
            raise error
        self.last_error = error
        logger.warning("polling operation %s failed (%s); polling again until the deadline", self.token, error)

    def observe(self, report: Report) -> bool:
        """Record one polled report; ``True`` when it is final."""
        self._polls += 1
        self.last_report = report
        status = report.status
        if status not in KNOWN_STATUSES and status not in self._warned:
            # Unknown statuses may be new non-final states: keep polling, but say so once.
            self._warned.add(status)
            logger.warning("report of operation %s has unknown status %r; still polling", self.token, status)
        if self._on_poll is not None:
            self._on_poll(report)
        return report.is_done
