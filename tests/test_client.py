"""CatalogClient and AsyncCatalogClient over an in-process transport."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest

from criteo_catalog_sdk import (
    AsyncCatalogClient,
    CatalogClient,
    ConfigurationError,
    InsecureTransportError,
    InvalidBatchError,
    InvalidRequestError,
    MalformedOperationTokenError,
    OperationNotFoundError,
    PollPolicy,
    Product,
    ProductsCustomBatchRequestEntry,
    RateLimitError,
    ReportExpiredError,
    ReportTimeoutError,
    RetryPolicy,
    ServerError,
    TimeoutError,
    TransportError,
)
from criteo_catalog_sdk import _logging as sdk_logging
from tests.fakes.mock_criteo import (
    BASE_URL,
    BATCH,
    CLIENT_ID,
    DOC_TOKEN,
    REPORT,
    SECRET,
    FakeAPI,
    async_client,
    problem,
    report_body,
    sync_client,
)

PRODUCT = {"id": "sku-1", "title": "T", "link": "https://x/p", "imageLink": "https://x/i.jpg"}
EXACT_RETRY = RetryPolicy(attempts=5, initial_wait=0.5, multiplier=2, max_wait=30, jitter=0.0, deadline=None)
TOO_MANY = problem(429, "too-many-requests", "Too many requests. Retry in 5 seconds")
UNAVAILABLE = problem(503, "service-unavailable", "Service unavailable.")


# -- configuration ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080",
        "http://127.9.9.9",
        "http://[::1]:1234",
        "http://localhost:5000/",
        "https://api.criteo.com",
    ],
)
def test_loopback_or_https_is_allowed(url: str) -> None:
    with CatalogClient(CLIENT_ID, SECRET, base_url=url) as client:
        assert client.base_url == url.rstrip("/")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"base_url": "http://api.criteo.com"}, InsecureTransportError),
        ({"base_url": "http://10.0.0.1"}, InsecureTransportError),
        ({"base_url": "http://localhost.evil.com"}, InsecureTransportError),
        ({"token_url": "http://auth.example.com/oauth2/token"}, InsecureTransportError),
        ({"base_url": "ftp://127.0.0.1"}, ConfigurationError),
        ({"base_url": "api.criteo.com"}, ConfigurationError),
        ({"base_url": "https://user:pw@api.criteo.com"}, ConfigurationError),
    ],
)
def test_credentials_never_travel_over_plain_http_off_loopback(kwargs: dict[str, str], error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        CatalogClient(CLIENT_ID, SECRET, **kwargs)
    assert "pw" not in str(info.value)


def test_from_env() -> None:
    env = {"CRITEO_CLIENT_ID": "id-from-env", "CRITEO_CLIENT_SECRET": "s", "CRITEO_API_URL": "http://127.0.0.1:9"}
    with CatalogClient.from_env(environ=env) as client:
        assert client.client_id == "id-from-env"
        assert client.base_url == "http://127.0.0.1:9"
    with CatalogClient.from_env(environ={"CRITEO_CLIENT_ID": "a", "CRITEO_CLIENT_SECRET": "b"}) as client:
        assert client.base_url == "https://api.criteo.com"
    with pytest.raises(ConfigurationError, match="CRITEO_CLIENT_SECRET"):
        CatalogClient.from_env(environ={"CRITEO_CLIENT_ID": "a"})


def test_from_env_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRITEO_CLIENT_ID", "env-id")
    monkeypatch.setenv("CRITEO_CLIENT_SECRET", "env-secret")
    monkeypatch.delenv("CRITEO_API_URL", raising=False)
    with CatalogClient.from_env(timeout=5) as client:
        assert client.client_id == "env-id"


def test_missing_credentials_are_refused() -> None:
    with pytest.raises(ConfigurationError):
        CatalogClient("", SECRET)
    with pytest.raises(ConfigurationError):
        CatalogClient(CLIENT_ID, "")


def test_close_leaves_a_borrowed_http_client_open() -> None:
    http = httpx.Client(transport=httpx.MockTransport(FakeAPI()))
    with CatalogClient(CLIENT_ID, SECRET, base_url=BASE_URL, http_client=http):
        pass
    assert not http.is_closed
    owned = CatalogClient(CLIENT_ID, SECRET, base_url=BASE_URL)
    owned.close()
    assert owned._http.is_closed


def test_default_timeout_is_finite() -> None:
    api = FakeAPI()
    with CatalogClient(CLIENT_ID, SECRET, base_url=BASE_URL) as client:
        timeout = client._http.timeout
        assert timeout.read == 60.0 and timeout.connect == 10.0
    client, _ = sync_client(api, timeout=7.0)
    client.get_report(DOC_TOKEN)
    assert api.api_requests()[0].extensions["timeout"]["read"] == 7.0
    assert api.token_requests[0].extensions["timeout"]["read"] == 7.0  # the token request too


# -- batches ------------------------------------------------------------------------------------------


def test_submit_batch_sends_one_compact_spec_shaped_body() -> None:
    api = FakeAPI()
    client, _ = sync_client(api)
    entries = [
        {"merchantId": "123", "method": "insert", "product": {**PRODUCT, "googleProductCategory": None}},
        ProductsCustomBatchRequestEntry(method="delete", merchant_id=123, product_id="old"),
    ]
    assert client.submit_batch(entries) == DOC_TOKEN
    (request,) = api.api_requests("batch")
    assert request.method == "POST"
    assert request.url == BASE_URL + BATCH
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {
        "entries": [
            {"merchantId": 123, "method": "insert", "product": {**PRODUCT, "channel": "online"}},
            {"method": "delete", "merchantId": 123, "productId": "old"},
        ]
    }
    assert b", " not in request.content and b": " not in request.content


def test_upsert_and_delete_helpers() -> None:
    api = FakeAPI()
    client, _ = sync_client(api)
    model = Product(id="m-1", title="T", link="https://x/m-1", image_link="https://x/m-1.jpg")
    client.upsert_products(77, [PRODUCT, model])
    client.delete_products("77", ["a", "b"])
    upsert, delete = (json.loads(r.content)["entries"] for r in api.api_requests("batch"))
    assert [(e["merchantId"], e["method"], e["product"]["id"]) for e in upsert] == [
        (77, "insert", "sku-1"),
        (77, "insert", "m-1"),
    ]
    assert delete == [
        {"merchantId": 77, "method": "delete", "productId": "a"},
        {"merchantId": 77, "method": "delete", "productId": "b"},
    ]


def test_submit_encoded_batch_sends_the_bytes_as_they_are() -> None:
    api = FakeAPI()
    client, _ = sync_client(api)
    body = b'{"entries":[{"merchantId":1,"method":"delete","productId":"p"}]}'
    assert client.submit_encoded_batch(body) == DOC_TOKEN
    assert api.api_requests("batch")[0].content == body
    with pytest.raises(InvalidRequestError):
        client.submit_encoded_batch(b"")


@pytest.mark.parametrize(
    ("action", "error"),
    [
        (lambda c: c.submit_batch([]), InvalidBatchError),
        (lambda c: c.upsert_products(1, []), InvalidBatchError),
        (lambda c: c.upsert_products(1, [PRODUCT, {**PRODUCT, "id": "SKU-1"}]), InvalidBatchError),
        (lambda c: c.upsert_products("12x", [PRODUCT]), InvalidRequestError),
        (lambda c: c.upsert_products(0, [PRODUCT]), InvalidRequestError),
        (lambda c: c.upsert_products(1, [{**PRODUCT, "price": {"value": 49.99}}]), InvalidBatchError),
        (lambda c: c.upsert_products(1, PRODUCT), InvalidRequestError),
        (lambda c: c.delete_products(1, "sku-1"), InvalidRequestError),
        (lambda c: c.get_report(""), InvalidRequestError),
        (lambda c: c.get_merchant_stats(1, 0), InvalidRequestError),
        (lambda c: c.get_merchant_stats(1, 1001), InvalidRequestError),
        (lambda c: c.get_merchant_stats(1, True), InvalidRequestError),
        (lambda c: c.get_merchant_stats(1, "24"), InvalidRequestError),
        (lambda c: c.get_merchant_stats("abc"), InvalidRequestError),
        (lambda c: c.get_merchant_stats(2**31), InvalidRequestError),
    ],
)
def test_refused_before_sending(action: Any, error: type[Exception]) -> None:
    api = FakeAPI()
    client, _ = sync_client(api)
    with pytest.raises(error):
        action(client)
    assert api.requests == []  # not even a token request


@pytest.mark.parametrize(
    "token",
    ["../../stats/merchants/1", "a/b", "a?b=c", "a#frag", "..", ".", "%2F..%2F", "a b", "../", "x/../../oauth2/token"],
)
def test_operation_token_cannot_change_the_path(token: str) -> None:
    api = FakeAPI()
    client, _ = sync_client(api)
    client.get_report(token)
    (request,) = api.api_requests("report")
    raw = request.url.raw_path.decode()
    assert raw.startswith(REPORT)
    segment = raw[len(REPORT) :]
    assert "/" not in segment and "?" not in segment and "#" not in segment
    assert segment not in (".", "..")
    assert request.url.query == b""
    assert httpx.URL(BASE_URL + raw).path == REPORT + token  # the server decodes exactly the token


def test_documented_token_is_sent_as_is() -> None:
    api = FakeAPI()
    client, _ = sync_client(api)
    client.get_report(DOC_TOKEN)
    assert api.api_requests("report")[0].url.raw_path.decode() == REPORT + DOC_TOKEN


def test_merchant_stats_request() -> None:
    api = FakeAPI()
    client, _ = sync_client(api)
    stats = client.get_merchant_stats("42", last_num_hours=1000)
    assert stats.records == ()
    (request,) = api.api_requests("stats")
    assert request.url.raw_path == b"/preview/catalog/stats/merchants/42?lastNumHours=1000"
    client.get_merchant_stats(42)
    assert api.api_requests("stats")[1].url.params["lastNumHours"] == "24"


# -- retries ------------------------------------------------------------------------------------------


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


# -- polling ------------------------------------------------------------------------------------------


def _reports(*statuses: str) -> list[httpx.Response]:
    return [httpx.Response(200, json=report_body(s)) for s in statuses]


def test_wait_for_report_polls_on_schedule_until_final() -> None:
    api = FakeAPI()
    api.script("report", *_reports("ACCEPTED", "IN_PROGRESS", "VALIDATED_WITH_ERRORS"))
    client, slept = sync_client(api, polling=PollPolicy())
    seen: list[str] = []
    report = client.wait_for_report(DOC_TOKEN, on_poll=lambda r: seen.append(r.status))
    assert report.status == "VALIDATED_WITH_ERRORS"
    assert seen == ["ACCEPTED", "IN_PROGRESS", "VALIDATED_WITH_ERRORS"]
    assert slept == [3.0, 4.5, 6.75]


def test_wait_for_report_survives_5xx_and_429_between_polls() -> None:
    api = FakeAPI()
    api.script(
        "report",
        *_reports("ACCEPTED"),
        problem(500, "internal-error", "Internal Server Error"),
        TOO_MANY,
        *_reports("IN_PROGRESS"),
        UNAVAILABLE,
        *_reports("VALIDATED"),
    )
    client, _ = sync_client(api)
    assert client.wait_for_report(DOC_TOKEN).status == "VALIDATED"


def test_wait_for_report_outlasts_an_outage_longer_than_one_polls_retries() -> None:
    api = FakeAPI()
    api.script("report", *_reports("ACCEPTED"), *[UNAVAILABLE] * 9, *_reports("VALIDATED"))
    client, _ = sync_client(api)  # 4 attempts per poll: the outage spans three polls
    assert client.wait_for_report(DOC_TOKEN).status == "VALIDATED"
    assert len(api.api_requests("report")) == 11


def test_wait_for_report_persistent_outage_ends_at_the_deadline_with_the_cause() -> None:
    api = FakeAPI()
    api.script("report", *[UNAVAILABLE] * 4)
    client, _ = sync_client(api)
    with pytest.raises(ReportTimeoutError) as info:
        client.wait_for_report(DOC_TOKEN, timeout=0)
    assert isinstance(info.value.__cause__, ServerError)
    assert info.value.last_report is None


def test_wait_for_report_unknown_status_keeps_polling(caplog: pytest.LogCaptureFixture) -> None:
    api = FakeAPI()
    api.script("report", *_reports("QUEUED", "QUEUED", "VALIDATED"))
    client, _ = sync_client(api)
    with caplog.at_level(logging.WARNING, logger="criteo_catalog_sdk"):
        assert client.wait_for_report(DOC_TOKEN).status == "VALIDATED"
    assert len([r for r in caplog.records if "QUEUED" in r.getMessage()]) == 1


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (
            problem(404, "catalog-operation-not-found", "Operation 'x' not found.", type_="validation"),
            OperationNotFoundError,
        ),
        (httpx.Response(404), OperationNotFoundError),
        (problem(400, "catalog-operation-report-is-expired", "Expired", type_="validation"), ReportExpiredError),
        (
            problem(400, "catalog-operation-token-is-malformed", "Malformed", type_="validation"),
            MalformedOperationTokenError,
        ),
    ],
)
def test_wait_for_report_stops_on_permanent_errors(answer: httpx.Response, error: type[Exception]) -> None:
    api = FakeAPI()
    api.script("report", *_reports("ACCEPTED"), answer)
    client, _ = sync_client(api)
    with pytest.raises(error):
        client.wait_for_report(DOC_TOKEN)
    assert len(api.api_requests("report")) == 2


def test_wait_for_report_deadline() -> None:
    api = FakeAPI()
    api.script("report", *_reports(*["IN_PROGRESS"] * 3))
    client, _ = sync_client(api)
    with pytest.raises(ReportTimeoutError) as info:
        client.wait_for_report(DOC_TOKEN, timeout=0)
    assert info.value.token == DOC_TOKEN
    assert info.value.last_report is not None
    assert len(api.api_requests("report")) == 1


def test_wait_for_report_real_deadline_is_respected() -> None:
    api = FakeAPI()
    api.script("report", *_reports(*["IN_PROGRESS"] * 100))
    client = CatalogClient(
        CLIENT_ID,
        SECRET,
        base_url=BASE_URL,
        http_client=httpx.Client(transport=httpx.MockTransport(api)),
        polling=PollPolicy(initial_delay=0.01, max_delay=0.02),
    )
    with pytest.raises(ReportTimeoutError):
        client.wait_for_report(DOC_TOKEN, timeout=0.1)
    assert 3 <= len(api.api_requests("report")) <= 12


# -- logging ------------------------------------------------------------------------------------------


def test_one_log_line_per_request_and_per_retry(caplog: pytest.LogCaptureFixture) -> None:
    api = FakeAPI()
    api.script("batch", TOO_MANY)
    client, _ = sync_client(api, retry=EXACT_RETRY)
    with caplog.at_level(logging.DEBUG, logger="criteo_catalog_sdk"):
        client.upsert_products(1, [PRODUCT])
    lines = [r.getMessage() for r in caplog.records if r.name == "criteo_catalog_sdk"]
    requests = [line for line in lines if line.startswith(f"POST {BATCH} ->")]
    retries = [line for line in lines if "retrying" in line]
    assert len(requests) == 2
    assert "429" in requests[0] and "attempt 1" in requests[0]
    assert "202" in requests[1] and "attempt 2" in requests[1]
    assert len(retries) == 1
    assert "5.00 s" in retries[0] and "attempt 1/5" in retries[0]
    assert any("/oauth2/token -> 200" in line for line in lines)


def test_env_var_turns_logging_on(monkeypatch: pytest.MonkeyPatch) -> None:
    logger = logging.getLogger("criteo_catalog_sdk")
    handlers, level = list(logger.handlers), logger.level
    monkeypatch.setattr(sdk_logging, "_configured", False)
    try:
        sdk_logging.configure_from_env({"CRITEO_CATALOG_LOG": "DEBUG"})
        assert logger.level == logging.DEBUG
        assert len(logger.handlers) == len(handlers) + 1
        sdk_logging.configure_from_env({"CRITEO_CATALOG_LOG": "info"})  # once per process
        assert len(logger.handlers) == len(handlers) + 1
    finally:
        logger.handlers[:] = handlers
        logger.setLevel(level)


def test_no_env_var_no_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    logger = logging.getLogger("criteo_catalog_sdk")
    handlers = list(logger.handlers)
    monkeypatch.setattr(sdk_logging, "_configured", False)
    sdk_logging.configure_from_env({})
    assert logger.handlers == handlers


# -- async twin ---------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_client_end_to_end_in_process() -> None:
    api = FakeAPI()
    api.script("batch", TOO_MANY, UNAVAILABLE)
    api.script("report", *_reports("ACCEPTED", "IN_PROGRESS"), UNAVAILABLE, *_reports("VALIDATED"))
    client, slept = async_client(api, retry=EXACT_RETRY, polling=PollPolicy())
    async with client:
        token = await client.upsert_products(9, [PRODUCT])
        assert token == DOC_TOKEN
        assert slept == [5.0, 1.0]  # the title's 5 s, then backoff (attempt 2: 1 s)
        report = await client.wait_for_report(token)
        assert report.status == "VALIDATED"
        assert slept[2:] == [3.0, 4.5, 6.75, 0.5]  # the third poll hit a 503, retried after 0.5 s
        assert (await client.get_merchant_stats(9)).records == ()
        assert await client.delete_products(9, ["a"]) == DOC_TOKEN
        assert await client.submit_batch([{"merchantId": 9, "method": "delete", "productId": "b"}]) == DOC_TOKEN
        assert await client.submit_encoded_batch(b'{"entries":[]}') == DOC_TOKEN
    assert len(api.token_requests) == 1


@pytest.mark.anyio
async def test_async_errors_and_refusals() -> None:
    api = FakeAPI()
    api.script("report", httpx.Response(404))
    client, _ = async_client(api)
    with pytest.raises(OperationNotFoundError):
        await client.wait_for_report(DOC_TOKEN)
    with pytest.raises(InvalidBatchError):
        await client.submit_batch([])
    with pytest.raises(ReportTimeoutError):
        api.script("report", *_reports("IN_PROGRESS"))
        await client.wait_for_report(DOC_TOKEN, timeout=0)
    await client.aclose()


@pytest.mark.anyio
async def test_async_from_env_and_repr() -> None:
    env = {"CRITEO_CLIENT_ID": "aid", "CRITEO_CLIENT_SECRET": "asecret"}
    async with AsyncCatalogClient.from_env(environ=env) as client:
        assert repr(client) == (
            "AsyncCatalogClient(client_id='aid', base_url='https://api.criteo.com', api_version='preview')"
        )
