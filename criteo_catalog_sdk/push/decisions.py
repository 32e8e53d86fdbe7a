"""What the push pipeline does with a failed send or poll, pure: no I/O, no clock, no sleeping.

The pipeline sends each batch with **one** HTTP attempt at a time (not through the client's own retry
loop) so that it sees every answer: a 429 must reach the pacer, a 413 must split the batch, and each
retry must be paced again like a first send. :func:`on_send_error` maps the typed error of an attempt
to an action; :func:`on_poll_error` does the same for a report poll (which does go through the
client's retries: polls cost no product budget).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

from criteo_catalog_sdk._core import OP_BATCH, OP_REPORT, OP_STATS
from criteo_catalog_sdk.errors import (
    ApiError,
    ApiVersionGoneError,
    AuthenticationError,
    BadRequestError,
    CriteoError,
    MalformedOperationTokenError,
    OperationNotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ReportExpiredError,
    ResponseValidationError,
    TransportError,
)
from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.retry import RETRYABLE_STATUSES, RetryPolicy, decide, is_retryable

#: A whole-catalog push is long: a batch gets at least this many attempts against transient failures
#: (5xx, dropped connections), whatever the client's policy says, before the push gives up.
MIN_SEND_ATTEMPTS: Final = 10
#: The API's own operations (an authentication error of another came from the token endpoint).
_API_OPERATIONS: Final = frozenset({OP_BATCH, OP_REPORT, OP_STATS})
#: Statuses that mean "this batch is invalid as sent": give up on the batch, not on the push.
_BATCH_STATUSES: Final = frozenset({400, 422})


class SendAction(enum.Enum):
    """What to do after a failed attempt to send a batch."""

    THROTTLE = "throttle"  # 429: tell the pacer, then send again when it allows
    SPLIT = "split"  # 413: send the batch in two halves (a single product is rejected)
    RETRY = "retry"  # transient: wait ``wait`` seconds, then send again (paced again)
    FAIL_BATCH = "fail_batch"  # the batch itself is refused: its products are rejected, the push goes on
    ABORT = "abort"  # the push cannot go on (credentials, permissions, retries exhausted): stop


class PollAction(enum.Enum):
    """What to do after a failed report poll."""

    LOST = "lost"  # 404: Criteo lost the operation; resubmit the batch once
    RETRY = "retry"  # transient: poll again on schedule
    FAIL_BATCH = "fail_batch"  # the report can never be read (expired, malformed token)
    ABORT = "abort"  # credentials or permissions: stop the push


@dataclass(frozen=True, slots=True)
class SendDecision:
    """The action for a failed send, with the wait (RETRY), the server's stated wait (THROTTLE) or the
    issue to record (FAIL_BATCH)."""

    action: SendAction
    wait: float = 0.0
    issue: Issue | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PollDecision:
    """The action for a failed poll, with the issue to record (FAIL_BATCH)."""

    action: PollAction
    issue: Issue | None = None
    reason: str = ""


@dataclass(slots=True)
class ThrottleTracker:
    """Tells an isolated 429 from sustained ones: only sustained 429s should slow the pacer down.

    An isolated 429 is typically an initial burst meeting a server bucket that was not full (another
    push just ended): honouring the stated wait is enough, and halving the rate for it would cost many
    seconds of ramp-up. A 429 is **sustained** when it starts a new episode within ``window`` seconds of
    the previous episode. 429s within ``grace`` seconds of an episode's start belong to it (concurrent
    batches tend to hit the limit together) and count once.
    """

    window: float = 10.0
    grace: float = 2.0
    _episode: float = float("-inf")

    def on_throttle(self, now: float) -> bool:
        """Record a 429 at ``now``; ``True`` if the rate should be cut."""
        since = now - self._episode
        if since <= self.grace:
            return False
        self._episode = now
        return since <= self.window


def send_policy(client_policy: RetryPolicy) -> RetryPolicy:
    """The retry policy of batch sends: the client's, with at least :data:`MIN_SEND_ATTEMPTS` attempts."""
    if client_policy.attempts >= MIN_SEND_ATTEMPTS:
        return client_policy
    return RetryPolicy(
        attempts=MIN_SEND_ATTEMPTS,
        initial_wait=client_policy.initial_wait,
        multiplier=client_policy.multiplier,
        max_wait=client_policy.max_wait,
        jitter=client_policy.jitter,
        deadline=client_policy.deadline,
    )


def on_send_error(
    error: CriteoError, *, policy: RetryPolicy, attempt: int, elapsed: float, rand: float
) -> SendDecision:
    """Decide what to do after attempt number ``attempt`` (1-based, 429s not counted) of sending a batch
    failed with ``error``, ``elapsed`` seconds after its first attempt; ``rand`` in [0, 1) drives jitter.

    - 429: THROTTLE while within the policy's deadline (a 429 is pacing, not failure), else ABORT.
    - 413: SPLIT.
    - 400/422: FAIL_BATCH (Criteo's documented action: fix the request, do not resend it as is).
    - 403, 410 (the API generation is decommissioned), the token endpoint refusing the credentials: ABORT.
    - 5xx, network failures, an unreadable 202 answer, a 401 from the API after the auth layer's token
      refresh, a token endpoint answering 429/5xx: RETRY with backoff while the policy allows
      (resending is safe: inserts are upserts, deletes are idempotent), else ABORT.
    - anything else (404/405 on the batch endpoint: a wrong base URL...): ABORT.
    """
    if isinstance(error, RateLimitError):
        if policy.deadline is not None and elapsed > policy.deadline:
            return SendDecision(SendAction.ABORT, reason=f"still throttled (429) after {elapsed:.0f} s")
        wait = error.retry_after if error.retry_after is not None and error.retry_after >= 0 else 0.0
        return SendDecision(SendAction.THROTTLE, wait, reason="HTTP 429")
    if isinstance(error, PayloadTooLargeError):
        return SendDecision(SendAction.SPLIT, reason="HTTP 413")
    if isinstance(error, PermissionDeniedError) or (
        isinstance(error, AuthenticationError) and not _auth_transient(error)
    ):
        return SendDecision(SendAction.ABORT, reason=str(error))
    if isinstance(error, BadRequestError) or (isinstance(error, ApiError) and error.status in _BATCH_STATUSES):
        issue = Issue("BatchRejected", f"Criteo refused the whole batch: {error}")
        return SendDecision(SendAction.FAIL_BATCH, issue=issue, reason=str(error))
    transient: CriteoError | None = None
    if is_retryable(error):
        transient = error
    elif isinstance(error, ResponseValidationError | AuthenticationError):
        # A 202 whose body was cut or garbled: the batch may or may not be in; sending it again is safe.
        # A 401 from the API itself, after the auth layer already fetched a new token and replayed the
        # request: a token revoked or not yet known everywhere; try again (bounded by the policy).
        transient = TransportError(str(error), retryable=True)
    if transient is None:
        return SendDecision(SendAction.ABORT, reason=str(error))
    decision = decide(policy, attempt=attempt, elapsed=elapsed, error=transient, rand=rand)
    if not decision.retry:
        return SendDecision(SendAction.ABORT, reason=f"{error} ({decision.reason})")
    return SendDecision(SendAction.RETRY, decision.wait, reason=decision.reason)


def on_poll_error(error: CriteoError) -> PollDecision:
    """Decide what to do after polling a batch's report failed with ``error`` (after the client's retries).

    - 404 (operation not found): LOST, Criteo's advice being to resubmit the batch.
    - 400 report expired / token malformed: FAIL_BATCH (the report can never be read).
    - 403, the token endpoint refusing the credentials, 410 (the API generation is decommissioned): ABORT.
    - anything else (5xx or network failures that outlasted the retries, an unreadable body, 429): RETRY
      on the poll schedule, until the report deadline.
    """
    if isinstance(error, ApiVersionGoneError):
        return PollDecision(PollAction.ABORT, reason=str(error))
    if isinstance(error, OperationNotFoundError):
        return PollDecision(PollAction.LOST, reason=str(error))
    if isinstance(error, ReportExpiredError):
        issue = Issue("ReportExpired", f"the report of the batch expired before it was read: {error}")
        return PollDecision(PollAction.FAIL_BATCH, issue, str(error))
    if isinstance(error, MalformedOperationTokenError):
        issue = Issue("ReportUnavailable", f"Criteo refused the batch's operation token: {error}")
        return PollDecision(PollAction.FAIL_BATCH, issue, str(error))
    if isinstance(error, PermissionDeniedError) or (
        isinstance(error, AuthenticationError) and not _auth_transient(error)
    ):
        return PollDecision(PollAction.ABORT, reason=str(error))
    return PollDecision(PollAction.RETRY, reason=str(error))


def _auth_transient(error: AuthenticationError) -> bool:
    """Whether an authentication failure may pass on a new attempt: the token endpoint rate-limited or
    unavailable (429/5xx), or a 401 from the API itself after the token refresh (not a refusal of the
    credentials, which the token endpoint answers)."""
    return error.status in RETRYABLE_STATUSES or error.operation in _API_OPERATIONS


__all__ = [
    "MIN_SEND_ATTEMPTS",
    "PollAction",
    "PollDecision",
    "SendAction",
    "SendDecision",
    "ThrottleTracker",
    "on_poll_error",
    "on_send_error",
    "send_policy",
]
