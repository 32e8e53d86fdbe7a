"""The pipeline's pure decisions on a failed send or poll, as tables."""

from __future__ import annotations

import pytest

from criteo_catalog_sdk.errors import (
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
    ServerError,
    TransportError,
)
from criteo_catalog_sdk.push.decisions import (
    MIN_SEND_ATTEMPTS,
    PollAction,
    SendAction,
    on_poll_error,
    on_send_error,
    send_policy,
)
from criteo_catalog_sdk.retry import RetryPolicy
from tests.fakes.push_api import FAST_RETRY


@pytest.mark.parametrize(
    ("error", "action"),
    [
        (RateLimitError(429, retry_after=2.0), SendAction.THROTTLE),
        (PayloadTooLargeError(413), SendAction.SPLIT),
        (BadRequestError(400), SendAction.FAIL_BATCH),
        (AuthenticationError(401, operation="token"), SendAction.ABORT),  # credentials refused
        (AuthenticationError(401, operation="batch"), SendAction.RETRY),  # 401 after the token refresh
        (AuthenticationError(503, operation="token"), SendAction.RETRY),  # token endpoint unavailable
        (PermissionDeniedError(403), SendAction.ABORT),
        (ServerError(503), SendAction.RETRY),
        (TransportError("reset", retryable=True), SendAction.RETRY),
        (TransportError("bad scheme", retryable=False), SendAction.ABORT),
        (ResponseValidationError("cut"), SendAction.RETRY),
    ],
)
def test_on_send_error(error: CriteoError, action: SendAction) -> None:
    decision = on_send_error(error, policy=FAST_RETRY, attempt=1, elapsed=0.0, rand=0.5)
    assert decision.action is action
    if action is SendAction.THROTTLE:
        assert decision.wait == 2.0
    if action is SendAction.FAIL_BATCH:
        assert decision.issue is not None and decision.issue.type == "BatchRejected"


def test_on_send_error_limits() -> None:
    policy = RetryPolicy(attempts=3, deadline=10.0)
    assert on_send_error(ServerError(503), policy=policy, attempt=3, elapsed=1, rand=0).action is SendAction.ABORT
    late = on_send_error(RateLimitError(429), policy=policy, attempt=1, elapsed=11, rand=0)
    assert late.action is SendAction.ABORT
    assert send_policy(RetryPolicy(attempts=2)).attempts == MIN_SEND_ATTEMPTS
    assert send_policy(RetryPolicy(attempts=20)).attempts == 20


@pytest.mark.parametrize(
    ("error", "action"),
    [
        (OperationNotFoundError(404), PollAction.LOST),
        (ReportExpiredError(400), PollAction.FAIL_BATCH),
        (MalformedOperationTokenError(400), PollAction.FAIL_BATCH),
        (AuthenticationError(401), PollAction.ABORT),
        (AuthenticationError(401, operation="report"), PollAction.RETRY),
        (PermissionDeniedError(403), PollAction.ABORT),
        (ServerError(500), PollAction.RETRY),
        (RateLimitError(429), PollAction.RETRY),
        (ResponseValidationError("garbled"), PollAction.RETRY),
    ],
)
def test_on_poll_error(error: CriteoError, action: PollAction) -> None:
    assert on_poll_error(error).action is action
