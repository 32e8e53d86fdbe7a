"""The simulator as the benchmarks use it: a child process on 127.0.0.1, port 0, fast report processing.

A child process, so that the client under test and the server do not share one GIL. Reports are final
within :data:`PROCESSING_SECONDS` (``--accepted-seconds 0``), so that ``wait=True`` measures the
client, not the simulator's imitation of Criteo's processing delay.

:func:`probe` times one realistic 1,000-product batch, built by the SDK, with the rate limit out of
the way: the benchmarks that need the simulator to take thousands of products per second check it
first, and report a too-slow simulator instead of running for an hour.
"""

from __future__ import annotations

import time

import httpx

from bench import catalog
from bench.common import median
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
