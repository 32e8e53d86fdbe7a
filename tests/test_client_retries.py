"""CatalogClient's retries over an in-process transport: 429 waits, 5xx backoff, transport failures, the deadline."""

from __future__ import annotations

import httpx
import pytest

from criteo_catalog_sdk import RateLimitError, RetryPolicy, ServerError, TimeoutError, TransportError
from tests.fakes.mock_criteo import (
    DOC_TOKEN,
    EXACT_RETRY,
    PRODUCT,
    TOO_MANY,
    UNAVAILABLE,
    FakeAPI,
    problem,
    sync_client,
)


def test_429_waits_the_time_in_the_title_without_retry_after() -> None:
    api = FakeAPI()
    api.script("batch", TOO_MANY)
    client, slept = sync_client(api, retry=EXACT_RETRY)
    assert client.upsert_products(1, [PRODUCT]) == DOC_TOKEN
    assert slept == [5.0]
    first, second = api.api_requests("batch")
    assert first.content == second.content  # the same batch, resent


def test_429_honours_retry_after_then_ratelimit_reset() -> None:
    api = FakeAPI()
    with_retry_after = httpx.Response(429, headers={"Retry-After": "2"}, json=TOO_MANY.json())
    api.script("report", with_retry_after)
    client, slept = sync_client(api, retry=EXACT_RETRY)
    client.get_report(DOC_TOKEN)
    assert slept == [2.0]


def test_429_wait_is_capped_by_the_policy() -> None:
    api = FakeAPI()
    api.script("report", problem(429, "too-many-requests", "Too many requests. Retry in 600 seconds"))
    client, slept = sync_client(api, retry=RetryPolicy(max_wait=30, jitter=0, deadline=None))
    client.get_report(DOC_TOKEN)
    assert slept == [30.0]


def test_5xx_backoff_grows_and_gives_up_with_the_last_error() -> None:
    api = FakeAPI()
    api.script("batch", *[UNAVAILABLE] * 5)
    client, slept = sync_client(api, retry=EXACT_RETRY)
    with pytest.raises(ServerError) as info:
        client.delete_products(1, ["x"])
    assert info.value.status == 503
    assert slept == [0.5, 1.0, 2.0, 4.0]
    assert len(api.api_requests("batch")) == 5


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_batch_post_is_retried_on_5xx(status: int) -> None:
    api = FakeAPI()
    api.script("batch", httpx.Response(status))
    client, _ = sync_client(api)
    assert client.upsert_products(1, [PRODUCT]) == DOC_TOKEN
    assert len(api.api_requests("batch")) == 2


@pytest.mark.parametrize(
    ("exc", "retried", "error"),
    [
        (httpx.ReadTimeout, True, TimeoutError),
        (httpx.ConnectTimeout, True, TimeoutError),
        (httpx.ConnectError, True, TransportError),
        (httpx.ReadError, True, TransportError),
        (httpx.RemoteProtocolError, True, TransportError),
        (httpx.UnsupportedProtocol, False, TransportError),
    ],
)
def test_transport_failures(exc: type[httpx.TransportError], retried: bool, error: type[Exception]) -> None:
    api = FakeAPI()

    def fail(request: httpx.Request) -> httpx.Response:
        raise exc("boom", request=request)

    api.script("batch", fail, fail)
    client, slept = sync_client(api, retry=RetryPolicy(attempts=2, jitter=0, deadline=None))
    if retried:
        with pytest.raises(error) as info:
            client.upsert_products(1, [PRODUCT])
        assert len(slept) == 1
        assert isinstance(info.value.__cause__, exc)
    else:
        with pytest.raises(error):
            client.upsert_products(1, [PRODUCT])
        assert slept == []


def test_read_timeout_then_success() -> None:
    api = FakeAPI()

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    api.script("report", timeout)
    client, _ = sync_client(api)
    assert client.get_report(DOC_TOKEN).status == "VALIDATED"


def test_retries_are_bounded_by_the_total_deadline() -> None:
    api = FakeAPI()
    api.script("report", *[TOO_MANY] * 5)
    client, slept = sync_client(api, retry=RetryPolicy(attempts=5, jitter=0, deadline=3.0))
    with pytest.raises(RateLimitError) as info:
        client.get_report(DOC_TOKEN)  # the server asks for 5 s, the deadline allows 3
    assert info.value.retry_after == 5.0
    assert slept == []
