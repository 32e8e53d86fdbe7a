"""The pipeline's pure decisions on a failed send or poll, as tables."""

from __future__ import annotations

import pytest

from criteo_catalog_sdk import errors
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
        (errors.RateLimitError(429, retry_after=2.0), SendAction.THROTTLE),
        (errors.PayloadTooLargeError(413), SendAction.SPLIT),
        (errors.BadRequestError(400), SendAction.FAIL_BATCH),
        (errors.AuthenticationError(401, operation="token"), SendAction.ABORT),  # credentials refused
        (errors.AuthenticationError(401, operation="batch"), SendAction.RETRY),  # 401 after the token refresh
        (errors.AuthenticationError(503, operation="token"), SendAction.RETRY),  # token endpoint unavailable
        (errors.PermissionDeniedError(403), SendAction.ABORT),
        (errors.ServerError(503), SendAction.RETRY),
        (errors.TransportError("reset", retryable=True), SendAction.RETRY),
        (errors.TransportError("bad scheme", retryable=False), SendAction.ABORT),
        (errors.ResponseValidationError("cut"), SendAction.RETRY),
    ],
)
def test_on_send_error(error: errors.CriteoError, action: SendAction) -> None:
    decision = on_send_error(error, policy=FAST_RETRY, attempt=1, elapsed=0.0, rand=0.5)
    assert decision.action is action
    if action is SendAction.THROTTLE:
        assert decision.wait == 2.0
    if action is SendAction.FAIL_BATCH:
        assert decision.issue is not None and decision.issue.type == "BatchRejected"


def test_on_send_error_limits() -> None:
    policy = RetryPolicy(attempts=3, deadline=10.0)
    assert (
        on_send_error(errors.ServerError(503), policy=policy, attempt=3, elapsed=1, rand=0).action is SendAction.ABORT
    )
    late = on_send_error(errors.RateLimitError(429), policy=policy, attempt=1, elapsed=11, rand=0)
    assert late.action is SendAction.ABORT
    assert send_policy(RetryPolicy(attempts=2)).attempts == MIN_SEND_ATTEMPTS
    assert send_policy(RetryPolicy(attempts=20)).attempts == 20


@pytest.mark.parametrize(
    ("error", "action"),
    [
        (errors.OperationNotFoundError(404), PollAction.LOST),
        (errors.ReportExpiredError(400), PollAction.FAIL_BATCH),
        (errors.MalformedOperationTokenError(400), PollAction.FAIL_BATCH),
        (errors.AuthenticationError(401), PollAction.ABORT),
        (errors.AuthenticationError(401, operation="report"), PollAction.RETRY),
        (errors.PermissionDeniedError(403), PollAction.ABORT),
        (errors.ServerError(500), PollAction.RETRY),
        (errors.RateLimitError(429), PollAction.RETRY),
        (errors.ResponseValidationError("garbled"), PollAction.RETRY),
    ],
)
def test_on_poll_error(error: errors.CriteoError, action: PollAction) -> None:
    assert on_poll_error(error).action is action
