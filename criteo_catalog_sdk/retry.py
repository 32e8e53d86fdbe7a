"""Retry policy and the pure retry decision, shared by the sync and async clients.

What is retried: 429, 500, 502, 503 and 504 answers, connection failures and timeouts. Batch POSTs are
retried too: ``insert`` is an upsert and ``delete`` is idempotent, so sending a batch twice leaves the
catalog as sending it once (it costs one extra operation token, nothing else).

How long to wait before attempt ``n + 1``: exponential backoff ``initial_wait * multiplier ** (n - 1)``
with jitter, or longer when the server said so (:mod:`criteo_catalog_sdk.wait_hints` reads it into
``ApiError.retry_after``). Every wait is capped by ``max_wait``; no retry starts past the policy's
total ``deadline``.

:func:`decide` is the whole decision, a pure function; :class:`RetryController` plugs it into
tenacity's ``Retrying``/``AsyncRetrying`` so the drivers only differ in how they sleep.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Awaitable, Callable
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
]

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


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
