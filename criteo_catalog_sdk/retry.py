"""Retry policy and the pure retry decision, shared by the sync and async clients.

What is retried: 429, 500, 502, 503 and 504 answers, connection failures and timeouts. Batch POSTs are
retried too: ``insert`` is an upsert and ``delete`` is idempotent, so sending a batch twice leaves the
catalog as sending it once (it costs one extra operation token, nothing else).

How long to wait before attempt ``n + 1``: exponential backoff ``initial_wait * multiplier ** (n - 1)``
with jitter, or longer when the server said so. The server's wait is read, first usable wins, from
``Retry-After`` (seconds or HTTP date), ``x-ratelimit-reset`` (epoch seconds, 429 only) and a
"Retry in N seconds" problem title (429 only). Every wait is capped by ``max_wait``; no retry starts
past the policy's total ``deadline``.

:func:`decide` is the whole decision, a pure function; :class:`RetryController` plugs it into
tenacity's ``Retrying``/``AsyncRetrying`` so the drivers only differ in how they sleep.
"""

from __future__ import annotations

import email.utils
import math
import random
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from criteo_catalog_sdk.errors import ApiError, TransportError

if TYPE_CHECKING:  # tenacity is imported on the first retry only: most calls never need it
    from tenacity import AsyncRetrying, RetryCallState, Retrying

__all__ = [
    "RETRYABLE_STATUSES",
    "RetryController",
    "RetryDecision",
    "RetryPolicy",
    "backoff",
    "decide",
    "is_retryable",
    "parse_ratelimit_reset",
    "parse_retry_after",
    "parse_retry_in_title",
    "server_wait_hint",
]

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})

# Values of x-ratelimit-reset below this are read as "seconds from now", above it as epoch seconds
# (1e9 s is 2001-09-09), above 1e12 as epoch milliseconds: APIs disagree and a wrong guess costs hours.
_EPOCH_SECONDS_FLOOR = 1e9
_EPOCH_MILLIS_FLOOR = 1e12

_RETRY_IN = re.compile(
    r"retry\s+in\s+(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s\b|secs?\b|seconds?|m\b|mins?\b|minutes?)?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently to retry one request.

    ``attempts`` counts the first try (1 disables retries). The backoff wait before attempt ``n + 1``
    is ``initial_wait * multiplier ** (n - 1)``, at most ``max_wait``, shortened by up to ``jitter``
    (a fraction) so that clients do not retry in lockstep; a wait the server asked for is lengthened by
    up to ``jitter`` instead, never shortened. ``deadline`` bounds the whole call, in seconds (``None``:
    no bound).
    """

    attempts: int = 5
    initial_wait: float = 0.5
    multiplier: float = 2.0
    max_wait: float = 30.0
    jitter: float = 0.1
    deadline: float | None = 300.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("RetryPolicy.attempts must be at least 1")
        if not (self.initial_wait >= 0 and self.max_wait >= 0 and self.multiplier >= 1):
            raise ValueError("RetryPolicy needs initial_wait >= 0, max_wait >= 0 and multiplier >= 1")
        if not 0 <= self.jitter <= 1:
            raise ValueError("RetryPolicy.jitter is a fraction between 0 and 1")
        if self.deadline is not None and not self.deadline > 0:
            raise ValueError("RetryPolicy.deadline must be positive (or None)")

    @classmethod
    def disabled(cls) -> RetryPolicy:
        """A policy that never retries."""
        return cls(attempts=1)


@dataclass(frozen=True, slots=True)
class RetryDecision:
    """The outcome of :func:`decide`: whether to retry, after how many seconds, and why."""

    retry: bool
    wait: float
    reason: str


def backoff(policy: RetryPolicy, attempt: int) -> float:
    """The un-jittered backoff wait after failed attempt number ``attempt`` (1-based), capped."""
    exponent = max(attempt - 1, 0)
    # Guard the power against overflow for absurd attempt counts.
    if exponent > 64:
        return policy.max_wait
    return min(policy.initial_wait * policy.multiplier**exponent, policy.max_wait)


def is_retryable(error: BaseException) -> bool:
    """Whether ``error`` is transient: a retryable status or a retryable transport failure."""
    if isinstance(error, ApiError):
        return error.status in RETRYABLE_STATUSES
    if isinstance(error, TransportError):
        return error.retryable
    return False


def _describe(error: BaseException) -> str:
    if isinstance(error, ApiError):
        return f"HTTP {error.status} {error.code}" if error.code else f"HTTP {error.status}"
    return type(error).__name__


def decide(policy: RetryPolicy, *, attempt: int, elapsed: float, error: BaseException, rand: float) -> RetryDecision:
    """Decide whether to retry after failed attempt number ``attempt`` (1-based), and how long to wait.

    ``elapsed`` is the time spent since the first attempt started; ``rand`` a number in ``[0, 1)`` that
    drives the jitter (pass ``random.random()``; tests pass fixed values). A wait hinted by the server
    is taken from ``error.retry_after`` (see :func:`server_wait_hint`).
    """
    reason = _describe(error)
    if not is_retryable(error):
        return RetryDecision(False, 0.0, f"{reason} is not retryable")
    if attempt >= policy.attempts:
        return RetryDecision(False, 0.0, f"{reason}: no attempts left ({policy.attempts})")
    base = backoff(policy, attempt)
    hint = error.retry_after if isinstance(error, ApiError) else None
    if hint is not None and math.isfinite(hint) and hint >= 0:
        # The server's wait is a floor: lengthen it a little to spread clients out, never shorten it.
        wait = max(hint, base) * (1 + policy.jitter * rand)
        reason += f", server asked for {hint:g} s"
    else:
        wait = base * (1 - policy.jitter * rand)
    wait = min(wait, policy.max_wait)
    if policy.deadline is not None and elapsed + wait > policy.deadline:
        return RetryDecision(
            False, wait, f"{reason}: waiting {wait:.2f} s would pass the {policy.deadline:g} s deadline"
        )
    return RetryDecision(True, wait, reason)


def parse_retry_after(value: str, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay seconds or HTTP date); ``None`` if unreadable.

    ``now`` is the current wall-clock time (epoch seconds); a date in the past gives 0.
    """
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is GMT by definition
        return None
    return max(when.timestamp() - now, 0.0)


def parse_ratelimit_reset(value: str, now: float) -> float | None:
    """Seconds to wait from ``x-ratelimit-reset``; ``None`` if unreadable or already past.

    Documented as epoch seconds; epoch milliseconds and small "seconds from now" values are accepted.
    """
    try:
        reset = float(value.strip())
    except ValueError:
        return None
    if not math.isfinite(reset) or reset < 0:
        return None
    if reset >= _EPOCH_MILLIS_FLOOR:
        wait = reset / 1000 - now
    elif reset >= _EPOCH_SECONDS_FLOOR:
        wait = reset - now
    else:
        wait = reset
    # A reset in the past (or clock skew) says nothing useful: let the next source decide.
    return wait if wait > 0 else None


def parse_retry_in_title(title: str) -> float | None:
    """Seconds from a problem title such as ``Too many requests. Retry in 5 seconds``; ``None`` if absent."""
    match = _RETRY_IN.search(title)
    if match is None:
        return None
    amount = float(match.group(1))
    unit = (match.group(2) or "s").lower()
    if unit.startswith("ms") or unit.startswith("milli"):
        return amount / 1000
    if unit.startswith("m"):
        return amount * 60
    return amount


def server_wait_hint(status: int, headers: Mapping[str, str], titles: Iterable[str], now: float) -> float | None:
    """The wait the server asked for, in seconds, or ``None``.

    In order, the first usable of: ``Retry-After`` (any status), ``x-ratelimit-reset`` (429 only: the
    header is sent on every answer and only means "wait" when the limit was hit), a "Retry in N seconds"
    title (429 only). ``headers`` must look names up case-insensitively or hold lower-case names
    (``httpx.Headers`` does); ``now`` is the wall-clock time in epoch seconds.
    """
    retry_after = headers.get("retry-after")
    if retry_after is not None:
        wait = parse_retry_after(retry_after, now)
        if wait is not None:
            return wait
    if status != 429:
        return None
    reset = headers.get("x-ratelimit-reset")
    if reset is not None:
        wait = parse_ratelimit_reset(reset, now)
        if wait is not None:
            return wait
    for title in titles:
        wait = parse_retry_in_title(title)
        if wait is not None:
            return wait
    return None


OnRetry = Callable[[int, RetryDecision, BaseException], None]


class RetryController:
    """Adapts :func:`decide` to tenacity's ``retry``/``wait`` callables for one logical call.

    Create one per call (it remembers the latest decision between tenacity's ``retry`` and ``wait``
    hooks). ``started`` is the monotonic time the first attempt started; ``on_retry`` is told about
    each retry before the wait (the clients log it).
    """

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        started: float,
        on_retry: OnRetry | None = None,
        clock: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self._policy = policy
        self._started = started
        self._on_retry = on_retry
        self._clock = clock
        self._rand = rand
        self._wait = 0.0

    def retry(self, state: RetryCallState) -> bool:
        """Tenacity ``retry`` hook: decide from the failed attempt's exception."""
        outcome = state.outcome
        if outcome is None or not outcome.failed:
            return False
        error = outcome.exception()
        if error is None:  # pragma: no cover - a failed outcome always holds its exception
            return False
        decision = decide(
            self._policy,
            attempt=state.attempt_number,
            elapsed=self._clock() - self._started,
            error=error,
            rand=self._rand(),
        )
        self._wait = decision.wait
        if decision.retry and self._on_retry is not None:
            self._on_retry(state.attempt_number, decision, error)
        return decision.retry

    def wait(self, state: RetryCallState) -> float:
        """Tenacity ``wait`` hook: the wait of the decision just made."""
        return self._wait

    def sync_retrying(self, sleep: Callable[[float], None]) -> Retrying:
        """A tenacity ``Retrying`` driven by this controller."""
        from tenacity import Retrying, stop_never

        return Retrying(retry=self.retry, wait=self.wait, stop=stop_never, reraise=True, sleep=sleep)

    def async_retrying(self, sleep: Callable[[float], Awaitable[None]]) -> AsyncRetrying:
        """A tenacity ``AsyncRetrying`` driven by this controller."""
        from tenacity import AsyncRetrying, stop_never

        return AsyncRetrying(retry=self.retry, wait=self.wait, stop=stop_never, reraise=True, sleep=sleep)
