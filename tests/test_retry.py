"""The retry decision and the server's wait hints, as tables; and the tenacity adapter."""

from __future__ import annotations

import email.utils

import pytest
from tenacity import RetryCallState

from criteo_catalog_sdk.errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TimeoutError,
    TransportError,
)
from criteo_catalog_sdk.retry import RetryController, RetryPolicy, backoff, decide, is_retryable
from criteo_catalog_sdk.wait_hints import (
    parse_ratelimit_reset,
    parse_retry_after,
    parse_retry_in_title,
    server_wait_hint,
)

NOW = 1_700_000_000.0
POLICY = RetryPolicy(attempts=5, initial_wait=0.5, multiplier=2.0, max_wait=30.0, jitter=0.0, deadline=None)


def test_default_policy_matches_the_brief() -> None:
    policy = RetryPolicy()
    assert policy.attempts == 5
    assert policy.initial_wait == 0.5
    assert policy.max_wait == 30.0
    assert [backoff(policy, n) for n in range(1, 9)] == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


@pytest.mark.parametrize(
    ("error", "retryable"),
    [
        (RateLimitError(429), True),
        (ServerError(500), True),
        (ServerError(502), True),
        (ServerError(503), True),
        (ServerError(504), True),
        (ServerError(501), False),
        (ServerError(505), False),
        (BadRequestError(400), False),
        (AuthenticationError(401), False),
        (PermissionDeniedError(403), False),
        (NotFoundError(404), False),
        (PayloadTooLargeError(413), False),
        (ApiError(409), False),
        (AuthenticationError(503), True),  # the token endpoint was unavailable: transient
        (AuthenticationError(400), False),  # the token endpoint refused the credentials
        (TransportError("refused", retryable=True), True),
        (TransportError("bad URL", retryable=False), False),
        (TimeoutError("read timeout", retryable=True), True),
        (ValueError("a bug"), False),
    ],
)
def test_what_is_retryable(error: BaseException, retryable: bool) -> None:
    assert is_retryable(error) is retryable


@pytest.mark.parametrize(
    ("policy", "attempt", "elapsed", "error", "rand", "expected"),
    [
        # backoff grows 0.5 -> 1 -> 2 -> 4, no retry after the 5th attempt
        (POLICY, 1, 0.0, ServerError(503), 0.0, (True, 0.5)),
        (POLICY, 2, 0.0, ServerError(500), 0.0, (True, 1.0)),
        (POLICY, 3, 0.0, ServerError(502), 0.0, (True, 2.0)),
        (POLICY, 4, 0.0, ServerError(504), 0.0, (True, 4.0)),
        (POLICY, 5, 0.0, ServerError(503), 0.0, (False, 0.0)),
        (POLICY, 1, 0.0, TimeoutError("read", retryable=True), 0.0, (True, 0.5)),
        (POLICY, 1, 0.0, TransportError("reset", retryable=True), 0.0, (True, 0.5)),
        # never retried, whatever the attempt
        (POLICY, 1, 0.0, PermissionDeniedError(403), 0.0, (False, 0.0)),
        (POLICY, 1, 0.0, BadRequestError(400), 0.0, (False, 0.0)),
        (POLICY, 1, 0.0, AuthenticationError(401), 0.0, (False, 0.0)),
        (POLICY, 1, 0.0, PayloadTooLargeError(413), 0.0, (False, 0.0)),
        # the server's wait is a floor over the backoff, and capped by max_wait
        (POLICY, 1, 0.0, RateLimitError(429, retry_after=5.0), 0.0, (True, 5.0)),
        (POLICY, 4, 0.0, RateLimitError(429, retry_after=1.0), 0.0, (True, 4.0)),
        (POLICY, 1, 0.0, RateLimitError(429, retry_after=120.0), 0.0, (True, 30.0)),
        (POLICY, 1, 0.0, RateLimitError(429, retry_after=0.0), 0.0, (True, 0.5)),
        (POLICY, 1, 0.0, ServerError(503, retry_after=7.0), 0.0, (True, 7.0)),
        (POLICY, 1, 0.0, RateLimitError(429), 0.0, (True, 0.5)),
        # jitter shortens a backoff, lengthens a server wait, never passes max_wait
        (RetryPolicy(jitter=0.5, deadline=None), 1, 0.0, ServerError(503), 0.5, (True, 0.375)),
        (RetryPolicy(jitter=0.5, deadline=None), 1, 0.0, RateLimitError(429, retry_after=4.0), 0.5, (True, 5.0)),
        (RetryPolicy(jitter=0.5, deadline=None), 1, 0.0, RateLimitError(429, retry_after=29.0), 0.99, (True, 30.0)),
        # the total deadline: no retry whose wait would end past it
        (RetryPolicy(jitter=0.0, deadline=10.0), 1, 9.0, ServerError(503), 0.0, (True, 0.5)),
        (RetryPolicy(jitter=0.0, deadline=10.0), 1, 9.8, ServerError(503), 0.0, (False, 0.5)),
        (RetryPolicy(jitter=0.0, deadline=10.0), 1, 0.0, RateLimitError(429, retry_after=20.0), 0.0, (False, 20.0)),
        # a single-attempt policy never retries
        (RetryPolicy.disabled(), 1, 0.0, ServerError(503), 0.0, (False, 0.0)),
        # max_wait 0 means immediate retries (used by fast tests)
        (RetryPolicy(max_wait=0.0), 1, 0.0, RateLimitError(429, retry_after=5.0), 0.3, (True, 0.0)),
    ],
)
def test_decision_table(
    policy: RetryPolicy,
    attempt: int,
    elapsed: float,
    error: BaseException,
    rand: float,
    expected: tuple[bool, float],
) -> None:
    decision = decide(policy, attempt=attempt, elapsed=elapsed, error=error, rand=rand)
    assert (decision.retry, round(decision.wait, 6)) == expected
    assert decision.reason


def test_decision_reason_names_the_status_and_the_code() -> None:
    error = RateLimitError(429, retry_after=5.0)
    assert "429" in decide(POLICY, attempt=1, elapsed=0, error=error, rand=0).reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5", 5.0),
        ("0", 0.0),
        ("1.5", 1.5),
        (" 12 ", 12.0),
        (email.utils.formatdate(NOW + 30, usegmt=True), 30.0),
        (email.utils.formatdate(NOW - 30, usegmt=True), 0.0),
        ("-3", None),
        ("soon", None),
        ("", None),
        ("nan", None),
    ],
)
def test_retry_after_header(value: str, expected: float | None) -> None:
    assert parse_retry_after(value, NOW) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (str(int(NOW) + 7), 7.0),  # documented: epoch seconds
        (str(int(NOW * 1000) + 2500), 2.5),  # epoch milliseconds
        ("3", 3.0),  # seconds from now
        (str(int(NOW) - 5), None),  # already past: say nothing
        ("0", None),
        ("later", None),
    ],
)
def test_ratelimit_reset_header(value: str, expected: float | None) -> None:
    result = parse_ratelimit_reset(value, NOW)
    assert result == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Too many requests. Retry in 5 seconds", 5.0),
        ("Too many requests. Retry in 1 second", 1.0),
        ("too many requests, retry in 30s", 30.0),
        ("Retry in 2.5 sec", 2.5),
        ("Retry in 500 ms", 0.5),
        ("Retry in 2 minutes", 120.0),
        ("RETRY IN 10", 10.0),
        ("Too many requests", None),
        ("", None),
    ],
)
def test_retry_in_title(title: str, expected: float | None) -> None:
    assert parse_retry_in_title(title) == expected


TITLE = ["Too many requests. Retry in 5 seconds"]


@pytest.mark.parametrize(
    ("status", "headers", "titles", "expected"),
    [
        # order: Retry-After, then x-ratelimit-reset, then the title
        (429, {"retry-after": "2", "x-ratelimit-reset": str(int(NOW) + 9)}, TITLE, 2.0),
        (429, {"x-ratelimit-reset": str(int(NOW) + 9), "x-ratelimit-remaining": "0"}, TITLE, 9.0),
        (429, {"x-ratelimit-limit": "250", "x-ratelimit-remaining": "0"}, TITLE, 5.0),
        (429, {}, TITLE, 5.0),
        (429, {}, ["Too many requests"], None),
        # unusable values fall through to the next source
        (429, {"retry-after": "whenever", "x-ratelimit-reset": str(int(NOW) - 1)}, TITLE, 5.0),
        # x-ratelimit-* and titles only mean "wait" on a 429; Retry-After counts on a 503 too
        (503, {"x-ratelimit-reset": str(int(NOW) + 9)}, TITLE, None),
        (503, {"retry-after": "4"}, [], 4.0),
        (500, {}, ["Retry in 3 seconds"], None),
    ],
)
def test_server_wait_hint_order(
    status: int, headers: dict[str, str], titles: list[str], expected: float | None
) -> None:
    assert server_wait_hint(status, headers, titles, NOW) == expected


def test_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(jitter=2)
    with pytest.raises(ValueError):
        RetryPolicy(multiplier=0.5)
    with pytest.raises(ValueError):
        RetryPolicy(deadline=0)


class _Flaky:
    def __init__(self, errors: list[BaseException], result: str = "ok") -> None:
        self.errors = errors
        self.calls = 0
        self.result = result

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return self.result


def test_controller_drives_tenacity_with_the_decisions() -> None:
    slept: list[float] = []
    retried: list[tuple[int, float]] = []
    controller = RetryController(
        POLICY,
        started=0.0,
        clock=lambda: 0.0,
        rand=lambda: 0.0,
        on_retry=lambda n, d, e: retried.append((n, d.wait)),
    )
    flaky = _Flaky([ServerError(503), RateLimitError(429, retry_after=3.0), TransportError("x", retryable=True)])
    assert controller.sync_retrying(slept.append)(flaky) == "ok"
    assert flaky.calls == 4
    assert slept == [0.5, 3.0, 2.0]
    assert retried == [(1, 0.5), (2, 3.0), (3, 2.0)]


def test_controller_reraises_the_last_error_when_attempts_run_out() -> None:
    controller = RetryController(POLICY, started=0.0, clock=lambda: 0.0, rand=lambda: 0.0)
    flaky = _Flaky([ServerError(503) for _ in range(10)])
    with pytest.raises(ServerError):
        controller.sync_retrying(lambda s: None)(flaky)
    assert flaky.calls == 5


def test_controller_does_not_retry_a_permanent_error() -> None:
    controller = RetryController(POLICY, started=0.0, clock=lambda: 0.0, rand=lambda: 0.0)
    flaky = _Flaky([PermissionDeniedError(403)])
    with pytest.raises(PermissionDeniedError):
        controller.sync_retrying(lambda s: None)(flaky)
    assert flaky.calls == 1


@pytest.mark.anyio
async def test_async_controller_shares_the_decision() -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    controller = RetryController(POLICY, started=0.0, clock=lambda: 0.0, rand=lambda: 0.0)
    flaky = _Flaky([ServerError(500), ServerError(502)])

    async def call() -> str:
        return flaky()

    assert await controller.async_retrying(sleep)(call) == "ok"
    assert slept == [0.5, 1.0]


def test_controller_ignores_a_success() -> None:
    controller = RetryController(POLICY, started=0.0)
    state = RetryCallState(None, None, (), {})
    state.set_result("fine")
    assert controller.retry(state) is False
