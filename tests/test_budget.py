"""The application call budget: one engine (pyrate-limiter), shared in a process, across processes
(SQLite) and hosts (Redis), fed by the server's x-ratelimit-* headers."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest
from pyrate_limiter import Duration, InMemoryBucket, Rate

from criteo_catalog_sdk import CatalogClient, ConfigurationError, PollPolicy, RetryPolicy
from criteo_catalog_sdk.budget import AppBudget, app_budget, shared_budget, wait_seconds
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "eyJhbGciOiJub25lIn0.eyJwYXJ0bmVySWQiOjEsIm9wZXJhdGlvbklkIjoibyJ9."


def small(per_second: int) -> AppBudget:
    return AppBudget(InMemoryBucket([Rate(per_second, Duration.SECOND)]), calls_per_minute=per_second * 60)


def test_calls_beyond_the_window_wait_for_it() -> None:
    budget = small(5)
    started = time.monotonic()
    for _ in range(8):
        budget.acquire()
    assert time.monotonic() - started >= 0.9  # the 6th call waited for the window to slide
    assert budget.calls == 8 and budget.calls_last_minute == 8


def test_the_async_wait_works_under_asyncio_and_trio() -> None:
    for backend in ("asyncio", "trio"):
        budget = small(4)

        async def spend(b: AppBudget = budget) -> None:
            for _ in range(6):
                await b.acquire_async()

        started = time.monotonic()
        anyio.run(spend, backend=backend)
        assert time.monotonic() - started >= 0.9, backend


def test_an_exhausted_application_drains_the_local_window() -> None:
    budget = small(10)
    budget.acquire()
    budget.observe(httpx.Headers({"x-ratelimit-remaining": "0", "x-ratelimit-limit": "250"}), status=429)
    assert not budget._try()  # nothing left locally either: the next call waits for the window
    other = small(10)
    other.observe(httpx.Headers({"x-ratelimit-remaining": "7"}))
    assert other._try()  # calls left: nothing withheld


def test_every_client_of_an_application_shares_one_budget_in_a_process() -> None:
    one = shared_budget("https://api.criteo.com app-1", "memory")
    assert one is shared_budget("https://api.criteo.com app-1", "memory")
    assert one is not shared_budget("https://api.criteo.com app-2", "memory")
    assert shared_budget("https://api.criteo.com app-3", "off") is None
    a = CatalogClient("app-4", "s", app_budget="memory")
    b = CatalogClient("app-4", "t", app_budget="memory")
    assert a.app_budget is b.app_budget is not None
    assert CatalogClient("app-4", "s", app_budget="off").app_budget is None


@pytest.mark.parametrize(
    ("spec", "says"),
    [("mongodb://x", "unknown application budget"), ("sqlite:///no/such/dir/b.db", "existing directory")],
)
def test_a_budget_that_cannot_be_used_is_a_clear_error(spec: str, says: str) -> None:
    with pytest.raises(ConfigurationError, match=says):
        app_budget(spec)


def test_the_password_of_a_redis_url_never_shows() -> None:
    with pytest.raises(ConfigurationError) as caught:
        app_budget("redis://:hunter2@127.0.0.1:1/0")
    assert "hunter2" not in str(caught.value)


def test_every_api_call_of_a_client_waits_for_the_budget() -> None:
    calls: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth2/token":  # the token endpoint is not an API call
            return httpx.Response(200, json={"access_token": "t", "expires_in": 900})
        calls.append(time.monotonic())
        return httpx.Response(200, json={"status": "VALIDATED", "errorDetails": []})

    budget = small(3)
    http = httpx.Client(transport=httpx.MockTransport(answer))
    with CatalogClient("id", "s", base_url="https://api.criteo.test", http_client=http, app_budget=budget) as c:
        for _ in range(5):
            c.get_report(TOKEN)
    assert budget.calls == 5 and calls[3] - calls[0] >= 0.9


SPENDER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from criteo_catalog_sdk.budget import app_budget
    budget = app_budget({spec!r}, calls_per_minute=10)
    taken = sum(1 for _ in range(10) if budget._try())
    print(taken)
    """
)


def _spend_in_processes(spec: str, processes: int = 3) -> list[int]:
    code = SPENDER.format(root=str(ROOT), spec=spec)
    procs = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) for _ in range(processes)
    ]
    return [int(p.communicate(timeout=60)[0].strip()) for p in procs]


def test_processes_naming_one_sqlite_file_share_one_budget(tmp_path: Path) -> None:
    taken = _spend_in_processes(f"sqlite:///{tmp_path / 'budget.sqlite3'}")
    assert sum(taken) == 10, taken  # 10 calls a minute between the three of them


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (CI installs it)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def test_processes_naming_one_redis_share_one_budget(redis_url: str) -> None:
    taken = _spend_in_processes(redis_url)
    assert sum(taken) == 10, taken


def test_a_push_against_the_simulator_with_its_budget_on_gets_no_429(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator
    sim.control.configure(calls_per_minute=12)
    products = [
        {"id": f"p{i}", "title": "T", "link": f"https://x/{i}", "imageLink": f"https://x/{i}.jpg"} for i in range(40)
    ]
    budget = AppBudget(InMemoryBucket([Rate(4, Duration.SECOND * 2)]), calls_per_minute=12)  # under the server's
    with (
        CatalogClient(
            sim.client_id,
            sim.client_secret,
            base_url=sim.base_url,
            app_budget=budget,
            polling=PollPolicy(0.05, 1.5, 0.3),
            retry=RetryPolicy(attempts=1),
        ) as client,
        client.push(products, merchant_id=sim.merchant_id, batch_size=10) as result,
    ):
        assert result.summary.upserted == 40
    statuses = [r["status"] for r in sim.control.requests() if r["route"] in ("batch", "report")]
    assert 429 not in statuses and budget.calls == len(statuses) >= 8


def test_call_window_counts_the_last_minute_and_keeps_the_total() -> None:
    from criteo_catalog_sdk.budget import CallWindow

    now = [0.0]
    window = CallWindow(lambda: now[0])
    for moment in (0.0, 30.0, 59.9, 61.0):
        now[0] = moment
        window.record()
    assert (window.count(), window.total) == (3, 4)  # the call at 0 s is over a minute old at 61 s
    now[0] = 200.0
    assert (window.count(), window.total) == (0, 4)


@pytest.mark.parametrize(
    ("delay_ms", "seconds"),
    [(1200, 1.2), (0, 0.05), (-1, 0.05), (10, 0.05), (10**9, 5.0), (None, 0.05), (1.5, 0.05)],
    ids=["estimate", "now", "never fits", "below a step", "capped", "unknown", "not an int"],
)
def test_wait_seconds(delay_ms: object, seconds: float) -> None:
    assert wait_seconds(delay_ms) == seconds


def test_a_full_window_is_waited_out_with_few_checks() -> None:
    budget = small(3)
    tries = 0
    real_try = budget._try

    def counted() -> bool:
        nonlocal tries
        tries += 1
        return real_try()

    budget._try = counted  # type: ignore[method-assign]
    for _ in range(4):  # the 4th waits about a second for the window to slide
        budget.acquire()
    assert 4 < tries <= 7  # checking every 50 ms would take about 20
