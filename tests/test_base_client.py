"""What both clients share: the API generation, per-call options, the caller's httpx client, clear errors."""

from __future__ import annotations

import asyncio
import gc
import socket
from typing import Any

import httpx
import pytest

from criteo_catalog_sdk import (
    AsyncCatalogClient,
    CatalogClient,
    ConfigurationError,
    PollPolicy,
    RetryPolicy,
    ServerError,
    TransportError,
    UnsupportedOperationError,
)
from criteo_catalog_sdk.api_versions import API_VERSIONS, ApiVersion, get_api_version
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

TOKEN = "eyJhbGciOiJub25lIn0.eyJwYXJ0bmVySWQiOjEsIm9wZXJhdGlvbklkIjoibyJ9."
PRODUCT = {"id": "sku-1", "title": "T", "link": "https://x/p", "imageLink": "https://x/i.jpg"}
FAST = {"retry": RetryPolicy(attempts=3, initial_wait=0, max_wait=0, jitter=0), "polling": PollPolicy(0, 1, 0)}


class Recorder:
    """Answers like Criteo (any generation's paths) and remembers what it was asked."""

    def __init__(self, fail_first: int = 0) -> None:
        self.requests: list[httpx.Request] = []
        self.fail_first = fail_first

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/oauth2/token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 900})
        if self.fail_first:
            self.fail_first -= 1
            return httpx.Response(503, json={"errors": [{"code": "service-unavailable", "title": "down"}]})
        if request.method == "POST":
            return httpx.Response(202, json={"operationToken": TOKEN})
        if "/stats/" in request.url.path:
            return httpx.Response(200, json={"data": {"statisticsRecordList": []}})
        return httpx.Response(200, json={"status": "VALIDATED", "errorDetails": []})

    def api_paths(self) -> list[str]:
        return [r.url.path for r in self.requests if r.url.path != "/oauth2/token"]


def sync(recorder: Recorder, **kwargs: Any) -> CatalogClient:
    http = kwargs.pop("http_client", None) or httpx.Client(transport=httpx.MockTransport(recorder))
    return CatalogClient("id", "secret", base_url="https://api.criteo.test", http_client=http, **{**FAST, **kwargs})


@pytest.mark.parametrize("name", API_VERSIONS)
def test_every_call_goes_to_the_chosen_generations_paths(name: str) -> None:
    recorder = Recorder()
    version = get_api_version(name)
    with sync(recorder, api_version=name) as client:
        assert client.api_version is version and f"api_version={name!r}" in repr(client)
        client.upsert_products(1, [PRODUCT])
        client.get_report(TOKEN)
        if version.stats is not None:
            client.get_merchant_stats(1)
    expected = [version.batch.path(), version.report.path(TOKEN)]
    if version.stats is not None:
        expected.append(version.stats.path("1"))
    assert recorder.api_paths() == expected


def test_the_environment_chooses_the_generation() -> None:
    env = {"CRITEO_CLIENT_ID": "id", "CRITEO_CLIENT_SECRET": "s", "CRITEO_API_VERSION": "experimental"}
    with CatalogClient.from_env(environ=env) as client:
        assert client.api_version.name == "experimental"
    with CatalogClient.from_env(environ=env, api_version="preview") as client:
        assert client.api_version.name == "preview"


def test_an_unknown_generation_is_a_clear_error() -> None:
    with pytest.raises(ConfigurationError, match="preview"):
        CatalogClient("id", "secret", api_version="v1")


def test_a_generation_without_statistics_refuses_before_sending() -> None:
    published: Any = {
        **get_api_version("preview").published,
        "paths": {p: i for p, i in get_api_version("preview").published["paths"].items() if "/stats/" not in p},
    }
    recorder = Recorder()
    dated = ApiVersion("2099-01", published=published, spec=published)
    with sync(recorder, api_version=dated) as client, pytest.raises(UnsupportedOperationError, match="2099-01"):
        client.get_merchant_stats(1)
    assert recorder.requests == []


def test_with_options_changes_one_call_and_shares_the_pool() -> None:
    recorder = Recorder(fail_first=1)
    with sync(recorder) as client:
        once = client.with_options(retry=RetryPolicy.disabled())
        assert once._http is client._http and once._auth is client._auth
        with pytest.raises(ServerError):
            once.get_report(TOKEN)  # one attempt: the 503 is the answer
        assert client.get_report(TOKEN).is_done  # the original keeps its retries
        once.close()  # a copy never closes the shared pool
        assert not client._http.is_closed
        assert client.retry_policy.attempts == 3 and once.retry_policy.attempts == 1


def test_with_options_reports_retries() -> None:
    recorder = Recorder(fail_first=2)
    seen: list[str] = []
    with sync(recorder) as client:
        client.with_options(on_retry=lambda attempt, decision, error: seen.append(decision.reason)).get_report(TOKEN)
    assert len(seen) == 2 and all("503" in reason for reason in seen)


def test_the_sync_push_goes_through_the_callers_http_client() -> None:
    recorder = Recorder()
    hooked: list[str] = []
    http = httpx.Client(
        transport=httpx.MockTransport(recorder),
        event_hooks={"request": [lambda r: hooked.append(f"{r.method} {r.url.path}")]},
    )
    with sync(recorder, http_client=http) as client, client.push([PRODUCT], merchant_id=1) as result:
        assert result.summary.upserted == 1
    version = get_api_version()
    assert f"POST {version.batch.path()}" in hooked and f"GET {version.report.path(TOKEN)}" in hooked
    assert not http.is_closed  # the caller's client stays the caller's
    http.close()


def test_the_async_push_goes_through_the_callers_http_client() -> None:
    recorder = Recorder()
    hooked: list[str] = []

    async def hook(request: httpx.Request) -> None:
        hooked.append(request.method)

    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(recorder), event_hooks={"request": [hook]})
        async with AsyncCatalogClient("id", "s", base_url="https://api.criteo.test", http_client=http, **FAST) as c:
            with await c.push([PRODUCT], merchant_id=1) as result:
                assert result.summary.upserted == 1
        await http.aclose()

    asyncio.run(run())
    assert hooked.count("POST") == 2 and "GET" in hooked  # token, batch, report


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_network_failure_names_the_server_and_what_was_tried() -> None:
    port = _closed_port()
    client = CatalogClient("id", "s", base_url=f"http://127.0.0.1:{port}", **FAST)
    with client, pytest.raises(TransportError) as caught:
        client.get_report(TOKEN)
    message = str(caught.value)
    assert f"http://127.0.0.1:{port}" in message and "ConnectError" in message
    assert "3 attempts" in message and caught.value.attempts == 3


def test_the_push_with_a_real_simulator_over_loopback(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator
    hooked: list[str] = []
    http = httpx.Client(event_hooks={"request": [lambda r: hooked.append(r.url.path)]})
    with (
        CatalogClient(
            sim.client_id, sim.client_secret, base_url=sim.base_url, http_client=http, polling=PollPolicy(0.1, 1.5, 0.5)
        ) as client,
        client.push([PRODUCT], merchant_id=sim.merchant_id) as result,
    ):
        assert result.summary.upserted == 1
    assert get_api_version().batch.path() in hooked
    assert "sku-1" in sim.control.catalog(sim.merchant_id)
    http.close()


class RequestsLeftInCycles:
    """Counts the httpx.Request objects that only the garbage collector would free after the block
    (which runs with the collector off)."""

    count = -1

    def __enter__(self) -> RequestsLeftInCycles:
        gc.collect()
        gc.disable()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            gc.set_debug(gc.DEBUG_SAVEALL)
            gc.collect()
            self.count = sum(isinstance(o, httpx.Request) for o in gc.garbage)
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
            gc.enable()


def test_an_answered_request_and_its_body_are_freed_without_the_garbage_collector(
    criteo_simulator: CriteoSimulator,
) -> None:
    sim = criteo_simulator
    body = b'{"entries":[{"merchantId":1,"method":"delete","productId":"p"}]}'
    with CatalogClient(sim.client_id, sim.client_secret, base_url=sim.base_url) as sync:
        sync.get_merchant_stats(1)  # the token, once
        with RequestsLeftInCycles() as left:
            sync.submit_encoded_batch(body)
        assert left.count == 0
        sim.control.fail_next("revoke", route="batch")  # a 401, a new token, the request replayed
        with RequestsLeftInCycles() as left:
            sync.submit_encoded_batch(body)
        assert left.count == 0

    async def submit() -> int:
        async with AsyncCatalogClient(sim.client_id, sim.client_secret, base_url=sim.base_url) as client:
            await client.get_merchant_stats(1)
            with RequestsLeftInCycles() as left:
                await client.submit_encoded_batch(body)
            return left.count

    assert asyncio.run(submit()) == 0
