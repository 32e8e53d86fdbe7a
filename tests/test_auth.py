"""Client-credentials auth: lazy, cached, refreshed ahead of expiry and on 401, shared by threads and tasks."""

from __future__ import annotations

import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import httpx
import pytest

from criteo_catalog_sdk import AuthenticationError, PermissionDeniedError, RetryPolicy, TransportError
from criteo_catalog_sdk.auth import ClientCredentialsAuth
from tests.fakes.mock_criteo import BASE_URL, CLIENT_ID, DOC_TOKEN, SECRET, FakeAPI, async_client, problem, sync_client

TOKEN_URL = BASE_URL + "/oauth2/token"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _auth_client(api: FakeAPI, clock: Clock) -> tuple[httpx.Client, ClientCredentialsAuth]:
    auth = ClientCredentialsAuth(CLIENT_ID, SECRET, TOKEN_URL, clock=clock)
    return httpx.Client(transport=httpx.MockTransport(api), auth=auth), auth


def _get(http: httpx.Client) -> httpx.Response:
    return http.get(BASE_URL + "/preview/catalog/products/batch/report/x")


def test_token_is_fetched_lazily_with_form_encoded_client_credentials() -> None:
    api = FakeAPI()
    client, _ = sync_client(api)
    assert api.requests == []  # nothing sent on construction
    client.get_report(DOC_TOKEN)
    (token_request,) = api.token_requests
    assert token_request.method == "POST"
    assert token_request.url == TOKEN_URL
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert dict(urllib.parse.parse_qsl(token_request.content.decode())) == {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
    }
    assert api.api_requests()[0].headers["authorization"] == f"Bearer {api.issued[0]}"


def test_token_is_cached() -> None:
    api = FakeAPI()
    client, _ = sync_client(api)
    for _ in range(5):
        client.get_report(DOC_TOKEN)
    assert len(api.token_requests) == 1
    assert {r.headers["authorization"] for r in api.api_requests()} == {f"Bearer {api.issued[0]}"}


def test_custom_token_url() -> None:
    api = FakeAPI()
    client, _ = sync_client(api, token_url=BASE_URL + "/oauth2/token")
    client.get_report(DOC_TOKEN)
    assert len(api.token_requests) == 1


@pytest.mark.parametrize(
    ("expires_in", "still_cached_at", "refreshed_at"),
    [
        (900, 839.0, 841.0),  # 60 s leeway
        ("900", 839.0, 841.0),  # a string lifetime
        (10, 4.9, 5.1),  # short-lived: leeway is at most half the lifetime
        (None, 839.0, 841.0),  # absent: Criteo's 15 minutes
    ],
)
def test_token_is_refreshed_ahead_of_expiry(expires_in: object, still_cached_at: float, refreshed_at: float) -> None:
    api = FakeAPI(expires_in=expires_in)
    clock = Clock()
    http, _ = _auth_client(api, clock)
    start = clock.now
    _get(http)
    clock.now = start + still_cached_at
    _get(http)
    assert len(api.token_requests) == 1
    clock.now = start + refreshed_at
    _get(http)
    assert len(api.token_requests) == 2
    assert api.requests[-1].headers["authorization"] == f"Bearer {api.issued[1]}"


@pytest.mark.parametrize(
    "body",
    [
        {"access_token": "tok-without-refresh", "token_type": "Bearer", "expires_in": 900},
        {"access_token": "tok-with-refresh", "refresh_token": "r", "token_type": "Bearer", "expires_in": 900},
        {"access_token": "tok-minimal"},
    ],
)
def test_refresh_token_is_never_required(body: dict[str, Any]) -> None:
    api = FakeAPI(token_body=body)
    api.issued.append(body["access_token"])
    client, _ = sync_client(api)
    assert client.submit_batch([{"merchantId": 1, "method": "delete", "productId": "p"}]) == DOC_TOKEN


def test_401_refreshes_once_and_replays_once() -> None:
    api = FakeAPI()
    client, _ = sync_client(api)
    client.get_report(DOC_TOKEN)
    api.revoked.add(api.issued[0])  # revoked mid-session
    report = client.get_report(DOC_TOKEN)
    assert report.status == "VALIDATED"
    assert len(api.token_requests) == 2
    replayed = api.api_requests()[-1]
    assert replayed.headers["authorization"] == f"Bearer {api.issued[1]}"
    assert len(api.api_requests()) == 3  # first call, the 401, the replay


def test_a_second_401_is_raised_not_looped() -> None:
    api = FakeAPI()
    unauthorized = problem(401, "not-authenticated", "User is not authenticated", type_="authentication")
    api.script("report", unauthorized, unauthorized, unauthorized)
    client, _ = sync_client(api)
    with pytest.raises(AuthenticationError) as info:
        client.get_report(DOC_TOKEN)
    assert info.value.status == 401
    assert len(api.api_requests()) == 2
    assert len(api.token_requests) == 2


def test_403_is_neither_refreshed_nor_retried() -> None:
    api = FakeAPI()
    api.script("batch", problem(403, "not-authorized", "User is not authorized", type_="authorization"))
    client, slept = sync_client(api)
    with pytest.raises(PermissionDeniedError):
        client.delete_products(1, ["p"])
    assert len(api.api_requests()) == 1
    assert len(api.token_requests) == 1
    assert slept == []


def test_token_endpoint_refusal_raises_authentication_error_with_the_reason() -> None:
    api = FakeAPI()
    api.token_queue.append(
        httpx.Response(401, json={"error": "invalid_client", "error_description": "Unknown client or wrong secret."})
    )
    client, _ = sync_client(api)
    with pytest.raises(AuthenticationError) as info:
        client.get_report(DOC_TOKEN)
    assert "invalid_client" in str(info.value)
    assert "Unknown client or wrong secret." in str(info.value)
    assert info.value.path == "/oauth2/token"
    assert len(api.token_requests) == 1  # a refusal is not retried
    assert api.api_requests() == []


def test_token_endpoint_envelope_error_and_garbage() -> None:
    api = FakeAPI()
    api.token_queue.append(problem(400, "invalid-grant", "Bad grant", type_="authentication", path="/oauth2/token"))
    api.token_queue.append(httpx.Response(200, json={"token_type": "Bearer"}))
    client, _ = sync_client(api)
    with pytest.raises(AuthenticationError, match="Bad grant"):
        client.get_report(DOC_TOKEN)
    with pytest.raises(AuthenticationError, match="without access_token"):
        client.get_report(DOC_TOKEN)


def test_token_endpoint_outage_is_retried() -> None:
    api = FakeAPI()
    api.token_queue.extend([problem(503, "service-unavailable", "Service unavailable.", path="/oauth2/token")])
    client, slept = sync_client(api)
    assert client.get_report(DOC_TOKEN).status == "VALIDATED"
    assert len(api.token_requests) == 2
    assert len(slept) == 1


def test_rate_limited_token_endpoint_waits_as_asked() -> None:
    api = FakeAPI()
    api.token_queue.append(
        problem(429, "too-many-requests", "Too many requests. Retry in 3 seconds", path="/oauth2/token")
    )
    client, slept = sync_client(api, retry=RetryPolicy(jitter=0, deadline=None))
    assert client.get_report(DOC_TOKEN).status == "VALIDATED"
    assert slept == [3.0]


def test_lock_is_released_after_a_failed_refresh() -> None:
    api = FakeAPI()
    api.token_queue.append(httpx.Response(401, json={"error": "invalid_client"}))

    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    api.token_queue.append(broken)
    client, _ = sync_client(api, retry=RetryPolicy.disabled())
    with pytest.raises(AuthenticationError):
        client.get_report(DOC_TOKEN)
    with pytest.raises(TransportError):
        client.get_report(DOC_TOKEN)
    assert client.get_report(DOC_TOKEN).status == "VALIDATED"  # would deadlock if the lock leaked


def test_auth_repr_hides_the_secret() -> None:
    auth = ClientCredentialsAuth(CLIENT_ID, SECRET, TOKEN_URL)
    assert SECRET not in repr(auth)
    assert CLIENT_ID in repr(auth)


# -- concurrency -------------------------------------------------------------------------------------------

THREADS = 16


def _hammer(api: FakeAPI, client: Any) -> list[Any]:
    barrier = threading.Barrier(THREADS)

    def work(_: int) -> Any:
        barrier.wait()
        return client.get_report(DOC_TOKEN)

    gate = threading.Event()
    api.token_gate = gate
    with ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(work, i) for i in range(THREADS)]
        # Hold the token response until every thread is queued behind the one refresh.
        threading.Timer(0.1, gate.set).start()
        return [f.result(timeout=10) for f in futures]


def test_threads_share_one_token_fetch() -> None:
    api = FakeAPI()
    client, _ = sync_client(api)
    reports = _hammer(api, client)
    assert len(reports) == THREADS
    assert len(api.token_requests) == 1


def test_threads_share_one_refresh_after_a_revocation() -> None:
    api = FakeAPI()
    client, _ = sync_client(api)
    client.get_report(DOC_TOKEN)
    api.revoked.add(api.issued[0])
    reports = _hammer(api, client)
    assert len(reports) == THREADS
    assert len(api.token_requests) == 2


class SlowTokenAPI(FakeAPI):
    """Async handler: the token endpoint takes a while, so concurrent tasks pile up behind it."""

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth2/token":
            await anyio.sleep(0.05)
        return self(request)


def _async_client(api: SlowTokenAPI) -> Any:
    client, _ = async_client(api)
    client._http = httpx.AsyncClient(transport=httpx.MockTransport(api.handle))
    return client


@pytest.mark.anyio
async def test_tasks_share_one_token_fetch() -> None:
    api = SlowTokenAPI()
    client = _async_client(api)
    results: list[str] = []

    async def work() -> None:
        results.append((await client.get_report(DOC_TOKEN)).status)

    async with anyio.create_task_group() as tg:
        for _ in range(THREADS):
            tg.start_soon(work)
    assert results == ["VALIDATED"] * THREADS
    assert len(api.token_requests) == 1
    await client.close()


@pytest.mark.anyio
async def test_tasks_share_one_refresh_after_a_revocation() -> None:
    api = SlowTokenAPI()
    client = _async_client(api)
    await client.get_report(DOC_TOKEN)
    api.revoked.add(api.issued[0])

    async with anyio.create_task_group() as tg:
        for _ in range(THREADS):
            tg.start_soon(client.get_report, DOC_TOKEN)
    assert len(api.token_requests) == 2
    assert api.api_requests()[-1].headers["authorization"] == f"Bearer {api.issued[1]}"
    await client.close()
