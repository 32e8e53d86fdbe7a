"""The simulator as the benchmarks use it: a child process on 127.0.0.1, port 0, fast report processing.

A child process, so that the client under test and the server do not share one GIL. Reports are final
within :data:`PROCESSING_SECONDS` (``--accepted-seconds 0``), so that ``wait=True`` measures the
client, not the simulator's imitation of Criteo's processing delay.

:func:`probe` times one realistic 1,000-product batch, built by the SDK, with the rate limit out of
the way: the benchmarks that need the simulator to take thousands of products per second check it
first, and report a too-slow simulator instead of running for an hour.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

import httpx

from bench import catalog
from bench.common import median
from criteo_catalog_sdk.budget import DEFAULT_CALLS_PER_MINUTE
from criteo_catalog_sdk.push.wire import EntryBuilder, PreparedEntry, batch_body
from criteo_catalog_sdk.simulator.runner import SimulatorProcess

BATCH_PATH = "/preview/catalog/products/batch"
#: Seconds an operation of the benchmark simulator takes from 202 to a final report.
PROCESSING_SECONDS = 0.1


def start(rate_limit: float, *extra: str, calls_per_minute: int = 0) -> SimulatorProcess:
    """A started simulator process (``rate_limit`` products/s per merchant, 0: off).

    ``calls_per_minute``: the application's call budget (the simulator's default is Criteo's 250). Off
    here by default: these benchmarks measure products/s, server capacity and client memory, which a
    budget of calls would cap first.
    """
    process = SimulatorProcess(
        [
            "--host",
            "127.0.0.1",
            "--rate-limit",
            f"{rate_limit:g}",
            "--calls-per-minute",
            str(calls_per_minute),
            "--accepted-seconds",
            "0",
            "--processing-seconds",
            f"{PROCESSING_SECONDS:g}",
            *extra,
        ]
    )
    process.start()
    return process


def token(url: str) -> str:
    """A bearer token of the simulator (any client id and secret are accepted)."""
    answer = httpx.post(
        f"{url}/oauth2/token", data={"grant_type": "client_credentials", "client_id": "bench", "client_secret": "bench"}
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def sdk_bodies(count: int, merchant_id: int, batch_size: int = 1000, *, prefix: str = "CAP") -> list[bytes]:
    """``count`` request bodies of ``batch_size`` distinct realistic products, exactly as a push sends them."""
    builder = EntryBuilder(merchant_id)
    items = catalog.iter_products(count * batch_size, prefix=prefix)
    out = []
    for _ in range(count):
        entries = []
        for position in range(batch_size):
            entry = builder.insert(position, next(items))
            if type(entry) is not PreparedEntry:
                raise AssertionError(f"unexpected rejection: {entry}")
            entries.append(entry.data)
        out.append(batch_body(entries))
    return out


def probe(url: str, merchant_id: int, batch_size: int = 1000, samples: int = 1) -> float:
    """Median seconds the simulator takes to accept one ``batch_size``-product batch (202), ``samples`` batches.

    Send it to a merchant the benchmark does not use (the batch costs rate-limit tokens).
    """
    headers = {"Authorization": f"Bearer {token(url)}", "Content-Type": "application/json"}
    bodies = sdk_bodies(samples, merchant_id, batch_size, prefix="PROBE")
    times = []
    with httpx.Client(base_url=url, headers=headers, timeout=600) as client:
        for body in bodies:
            started = time.perf_counter()
            answer = client.post(BATCH_PATH, content=body)
            times.append(time.perf_counter() - started)
            if answer.status_code != 202:
                raise RuntimeError(f"the simulator answered {answer.status_code} to a valid batch: {answer.text[:300]}")
    return median(times)


#: Criteo's application budget (facts section 3), as the simulator enforces it when asked.
CALLS_PER_MINUTE = DEFAULT_CALLS_PER_MINUTE
#: The routes that spend the application's budget (the token endpoint does not).
API_ROUTES = ("batch", "report", "stats")


def route_of(path: str) -> str:
    """The simulator route of a request path: token, batch, report, stats or other."""
    if path.endswith("/oauth2/token"):
        return "token"
    if "/products/batch/report/" in path:
        return "report"
    if path.endswith("/products/batch"):
        return "batch"
    if "/stats/merchants/" in path:
        return "stats"
    return "other"


def logged_calls(requests: list[dict[str, Any]], client_id: str | None = None) -> dict[str, int]:
    """API calls of the simulator's request log (of ``client_id``, if given): per route, and their 429s."""
    counts = {"calls": 0, "throttled": 0, **{route: 0 for route in API_ROUTES}}
    for record in requests:
        if record["route"] not in API_ROUTES or (client_id is not None and record.get("clientId") != client_id):
            continue
        counts["calls"] += 1
        counts[record["route"]] += 1
        counts["throttled"] += record["status"] == 429
    return counts


class ThrottleTally:
    """Which budget refused each 429 a client got, from the answers themselves: an httpx response hook.

    The simulator's 429 carries the ``x-ratelimit-*`` of the limit that refused it: the application's
    call budget (``x-ratelimit-limit`` = calls per minute) or the merchant's products per second (=
    that rate). Its request log does not say which, hence this tally on the client side.
    """

    def __init__(self, rate_limit: float, calls_per_minute: int = CALLS_PER_MINUTE) -> None:
        self._products = str(math.floor(rate_limit))
        self._calls = str(math.floor(calls_per_minute / 60.0 * 60.0))
        self._lock = threading.Lock()
        self.counts: dict[str, int] = {"answers": 0, "app": 0, "products": 0, "unknown": 0}

    def hook(self, response: httpx.Response) -> None:
        """Count one answer (``httpx.Client(event_hooks={"response": [tally.hook]})``)."""
        if route_of(response.request.url.path) not in API_ROUTES:
            return
        kind = None
        if response.status_code == 429:
            limit = response.headers.get("x-ratelimit-limit")
            kind = "app" if limit == self._calls else "products" if limit == self._products else "unknown"
        with self._lock:
            self.counts["answers"] += 1
            if kind is not None:
                self.counts[kind] += 1

    def http_client(self) -> httpx.Client:
        """An ``httpx.Client`` that counts its answers here (for ``CatalogClient(http_client=...)``)."""
        return httpx.Client(event_hooks={"response": [self.hook]}, timeout=httpx.Timeout(60.0, connect=10.0))
