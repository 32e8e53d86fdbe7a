"""The clients end to end over a real loopback socket: against the simulator (the ``criteo_simulator``
fixture) wherever it can produce the situation, else against the scripted server
(tests/fakes/scripted_criteo.py: report statuses that move with each poll, an image the report rejects,
a 429 with any wait and without ``x-ratelimit-reset``, a careless token endpoint echoing the secret,
the raw request path as it arrived)."""

from __future__ import annotations

import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import pytest

from criteo_catalog_sdk import (
    AsyncCatalogClient,
    AuthenticationError,
    CatalogClient,
    MalformedOperationTokenError,
    OperationNotFoundError,
    PollPolicy,
    Product,
    RateLimitError,
    RetryPolicy,
    TimeoutError,
    TransportError,
)
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator
from tests.fakes.mock_criteo import CLIENT_ID, SECRET
from tests.fakes.scripted_criteo import REPORT_PREFIX, ScriptedCriteo, rate_limited, server_error

QUICK_RETRY = RetryPolicy(attempts=4, initial_wait=0.01, max_wait=0.05, jitter=0.1, deadline=10)
QUICK_POLL = PollPolicy(initial_delay=0.01, multiplier=1.5, max_delay=0.05)


def product(pid: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": pid,
        "title": f"Title {pid}",
        "link": f"https://shop.example/{pid}",
        "imageLink": "https://i/1.jpg",
        **extra,
    }


def client(criteo: ScriptedCriteo, **kwargs: Any) -> CatalogClient:
    kwargs.setdefault("retry", QUICK_RETRY)
    kwargs.setdefault("polling", QUICK_POLL)
    return CatalogClient(CLIENT_ID, SECRET, base_url=criteo.url, **kwargs)


def simulator_client(sim: CriteoSimulator, **kwargs: Any) -> CatalogClient:
    kwargs.setdefault("retry", QUICK_RETRY)
    kwargs.setdefault("polling", QUICK_POLL)
    return CatalogClient(sim.client_id, sim.client_secret, base_url=sim.base_url, **kwargs)


def aclient(criteo: ScriptedCriteo, **kwargs: Any) -> AsyncCatalogClient:
    kwargs.setdefault("retry", QUICK_RETRY)
    kwargs.setdefault("polling", QUICK_POLL)
    return AsyncCatalogClient(CLIENT_ID, SECRET, base_url=criteo.url, **kwargs)


def test_push_poll_delete_and_stats(criteo: ScriptedCriteo) -> None:
    polls: list[str] = []
    with client(criteo) as c:
        token = c.upsert_products(
            "123",
            [
                product("Sku-A", googleProductCategory=None),  # Criteo's own example sends a null
                Product(id="Sku-B", title="B", link="https://shop.example/b", image_link="https://i/b.jpg"),
                product("Sku-C", imageLink="https://i/broken.jpg"),  # valid here; the server cannot fetch it
            ],
        )
        report = c.wait_for_report(token, timeout=30, on_poll=lambda r: polls.append(r.status))
        assert polls == ["ACCEPTED", "IN_PROGRESS", "VALIDATED_WITH_ERRORS"]
        assert report.number_of_products_in_the_batch == 3
        assert report.number_of_products_upserted == 2
        assert [(d.product_id, d.errors[0].type) for d in report.error_details] == [("sku-c", "MissingImages")]

        deleted = c.wait_for_report(c.delete_products(123, ["sku-a", "sku-b"]), timeout=30)
        assert deleted.status == "VALIDATED"
        assert deleted.number_of_products_deleted == 2

        stats = c.get_merchant_stats(123, last_num_hours=1000)
        assert stats.latest is not None and stats.latest.total == 1
    assert criteo.count("/oauth2/token") == 1
    sent = json.loads(criteo.bodies[0])
    assert sent["entries"][0]["merchantId"] == 123
    assert "googleProductCategory" not in sent["entries"][0]["product"]


def test_429_with_only_a_title_is_honoured(criteo: ScriptedCriteo) -> None:
    criteo.faults["batch"].append(rate_limited(1, reset=False))
    with client(criteo, retry=RetryPolicy(jitter=0)) as c:
        started = time.monotonic()
        c.delete_products(1, ["x"])
        waited = time.monotonic() - started
    assert 1.0 <= waited < 5
    assert [status for _, path, status in criteo.log if path == "/preview/catalog/products/batch"] == [429, 202]


def test_429_with_ratelimit_headers_then_success(criteo_simulator: CriteoSimulator) -> None:
    criteo_simulator.control.fail_next("429", count=2, route="report")  # x-ratelimit-* headers, a 1 s wait
    with simulator_client(criteo_simulator) as c:
        token = c.delete_products(1, ["x"])
        assert c.wait_for_report(token, timeout=30).status == "VALIDATED"


def test_429_exhausted_raises_rate_limit_error_with_the_wait(criteo: ScriptedCriteo) -> None:
    criteo.faults["batch"].extend([rate_limited(7)] * 4)
    with client(criteo) as c, pytest.raises(RateLimitError) as info:
        c.delete_products(1, ["x"])
    assert 6 <= (info.value.retry_after or 0) <= 8
    assert info.value.code == "too-many-requests"
    assert criteo.count("/preview/catalog/products/batch") == 4


def test_revoked_token_mid_session(criteo_simulator: CriteoSimulator) -> None:
    control = criteo_simulator.control
    with simulator_client(criteo_simulator) as c:
        token = c.delete_products(1, ["x"])
        control.revoke_tokens()
        assert c.wait_for_report(token, timeout=30).is_done
        control.revoke_tokens()
        c.get_merchant_stats(1)
    assert len(control.requests("token")) == 3
    assert [r["status"] for r in control.requests("report")][:2] == [401, 200]


def test_5xx_while_polling(criteo_simulator: CriteoSimulator) -> None:
    with simulator_client(criteo_simulator) as c:
        token = c.delete_products(1, ["x"])
        for status in ("503", "500", "503"):
            criteo_simulator.control.fail_next(status, route="report")
        assert c.wait_for_report(token, timeout=30).status == "VALIDATED"


def test_unknown_and_malformed_operations(criteo_simulator: CriteoSimulator) -> None:
    with simulator_client(criteo_simulator) as c:
        with pytest.raises(OperationNotFoundError):
            c.wait_for_report("eyJhbGciOiJub25lIn0.eyJ1bmtub3duIjp0cnVlfQ.", timeout=30)
        with pytest.raises(MalformedOperationTokenError):
            c.get_report("invalidToken")


def test_hostile_token_stays_in_its_path_segment(criteo: ScriptedCriteo) -> None:
    with client(criteo) as c, pytest.raises(MalformedOperationTokenError):
        c.get_report("../../stats/merchants/1?lastNumHours=5#x")
    _, path, status = criteo.log[-1]
    assert path == REPORT_PREFIX + "..%2F..%2Fstats%2Fmerchants%2F1%3FlastNumHours%3D5%23x"
    assert status == 400


def test_wrong_secret_is_an_authentication_error_without_the_secret(criteo: ScriptedCriteo) -> None:
    wrong = CatalogClient(CLIENT_ID, "wrong-secret-123", base_url=criteo.url, retry=QUICK_RETRY)
    with wrong, pytest.raises(AuthenticationError) as info:
        wrong.get_merchant_stats(1)
    assert "invalid_client" in str(info.value)
    assert "wrong-secret-123" not in str(info.value)
    assert "wrong-secret-123" not in info.value.body
    assert criteo.count("/oauth2/token") == 1


def test_read_timeout_is_retried(criteo_simulator: CriteoSimulator) -> None:
    control = criteo_simulator.control
    control.set_faults(latency_seconds=1.0)
    control.fail_next("latency", route="batch")
    with simulator_client(criteo_simulator, timeout=0.25) as c:
        assert c.delete_products(1, ["x"])
    assert len(control.requests("batch")) >= 1


def test_read_timeout_exhausted(criteo_simulator: CriteoSimulator) -> None:
    criteo_simulator.control.set_faults(latency_seconds=0.5)
    criteo_simulator.control.fail_next("latency", count=2, route="stats")
    c = simulator_client(criteo_simulator, timeout=0.1, retry=RetryPolicy(attempts=2, initial_wait=0.01, jitter=0))
    with c, pytest.raises(TimeoutError):
        c.get_merchant_stats(1)


def test_connection_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    c = CatalogClient(CLIENT_ID, SECRET, base_url=f"http://127.0.0.1:{port}", retry=QUICK_RETRY)
    with c, pytest.raises(TransportError) as info:
        c.get_merchant_stats(1)
    assert info.value.retryable


def test_threads_share_one_token_over_the_wire(criteo_simulator: CriteoSimulator) -> None:
    with simulator_client(criteo_simulator) as c:
        barrier = threading.Barrier(8)

        def push(i: int) -> str:
            barrier.wait()
            return c.upsert_products(1, [product(f"t{i}")])

        with ThreadPoolExecutor(8) as pool:
            tokens = list(pool.map(push, range(8)))
    assert len(set(tokens)) == 8
    assert len(criteo_simulator.control.requests("token")) == 1


@pytest.mark.anyio
async def test_async_client_over_the_wire(criteo: ScriptedCriteo) -> None:
    criteo.faults["batch"].extend([rate_limited(1, reset=False)])
    criteo.faults["report"].extend([server_error(503)])
    async with aclient(criteo) as c:
        tokens: list[str] = []

        async def push(i: int) -> None:
            tokens.append(await c.upsert_products(7, [product(f"a{i}")]))

        async with anyio.create_task_group() as tg:
            for i in range(10):
                tg.start_soon(push, i)
        assert len(set(tokens)) == 10
        criteo.revoke_all()
        reports = []
        for token in tokens[:3]:
            reports.append(await c.wait_for_report(token, timeout=30))
        assert all(r.status == "VALIDATED" for r in reports)
        assert (await c.get_merchant_stats(7)).records
        with pytest.raises(OperationNotFoundError):
            await c.get_report("a.b.")
    assert criteo.count("/oauth2/token") == 2
