"""CatalogClient over an in-process transport: its configuration and the requests it sends."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from criteo_catalog_sdk import (
    CatalogClient,
    ConfigurationError,
    InsecureTransportError,
    InvalidBatchError,
    InvalidRequestError,
    Product,
    ProductsCustomBatchRequestEntry,
)
from tests.fakes.mock_criteo import BASE_URL, BATCH, CLIENT_ID, DOC_TOKEN, PRODUCT, REPORT, SECRET, FakeAPI, sync_client


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
