"""B4: sending 1,000-product batches over loopback: the SDK's clients against plain httpx, pacing off.

    .venv/bin/python -m bench.b4_send [--runs 11] [--batches 100]

Both sides send the same pre-encoded request bodies (1,000 realistic products, built once by the
SDK's :class:`~criteo_catalog_sdk.push.wire.EntryBuilder`) to :mod:`bench.fast_server`, a minimal
server in its own process, and read the operation token from each 202. Plain httpx: a bare
``httpx.Client``/``AsyncClient`` with a fixed bearer header, ``post(content=body)``, check 202, take
``.json()["operationToken"]``. SDK: ``CatalogClient.submit_encoded_batch`` /
``AsyncCatalogClient.submit_encoded_batch`` (OAuth2 auth flow, request building, retry wrapper,
typed answer reading), with the application call budget off (``app_budget="off"``: the fast server has
none, and a budget of 250 calls per minute would measure the budget, not the client). Two shapes:
sequential (sync clients) and 4 in flight (async clients, the push's default concurrency). The figure
is the worse of the two ratios of requests/s.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import Any

import httpx

from bench import sim
from bench.common import BenchResult, Goal, fmt, interleaved, paired_ratio, server_process
from criteo_catalog_sdk import AsyncCatalogClient, CatalogClient

GOAL = Goal(">=", 0.9)
MERCHANT = 4242
BATCH_PATH = "/preview/catalog/products/batch"
CONCURRENCY = 4
#: More, shorter runs than elsewhere: a sample is a fraction of a second of loopback traffic, the most
#: exposed of all figures to other processes of the machine.
RUNS = 11


def _rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


def plain_sync(client: httpx.Client, payloads: list[bytes], n: int) -> float:
    """Requests/s of ``n`` sequential posts with a bare ``httpx.Client``."""
    started = time.perf_counter()
    for i in range(n):
        response = client.post(BATCH_PATH, content=payloads[i % len(payloads)])
        if response.status_code != 202 or not response.json()["operationToken"]:
            raise AssertionError(f"unexpected answer {response.status_code}")
    return _rate(n, time.perf_counter() - started)


def sdk_sync(client: CatalogClient, payloads: list[bytes], n: int) -> float:
    """Requests/s of ``n`` sequential ``submit_encoded_batch`` calls."""
    started = time.perf_counter()
    for i in range(n):
        client.submit_encoded_batch(payloads[i % len(payloads)])
    return _rate(n, time.perf_counter() - started)


async def _in_flight(send: Any, n: int) -> float:
    counter = iter(range(n))

    async def worker() -> None:
        for i in counter:
            await send(i)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return _rate(n, time.perf_counter() - started)


async def plain_async(client: httpx.AsyncClient, payloads: list[bytes], n: int) -> float:
    """Requests/s of ``n`` posts, :data:`CONCURRENCY` in flight, with a bare ``httpx.AsyncClient``."""

    async def send(i: int) -> None:
        response = await client.post(BATCH_PATH, content=payloads[i % len(payloads)])
        if response.status_code != 202 or not response.json()["operationToken"]:
            raise AssertionError(f"unexpected answer {response.status_code}")

    return await _in_flight(send, n)


async def sdk_async(client: AsyncCatalogClient, payloads: list[bytes], n: int) -> float:
    """Requests/s of ``n`` ``submit_encoded_batch`` calls, :data:`CONCURRENCY` in flight."""

    async def send(i: int) -> None:
        await client.submit_encoded_batch(payloads[i % len(payloads)])

    return await _in_flight(send, n)


def measure(runs: int = RUNS, batches: int = 100, batch_size: int = 1000) -> BenchResult:
    """B4: requests/s of the SDK's clients over plain httpx's, sequential and 4 in flight."""
    started = time.perf_counter()
    payloads = sim.sdk_bodies(min(batches, 8), MERCHANT, batch_size, prefix="SEND")
    with server_process(["-m", "bench.fast_server"]) as server:
        url = server.base_url
        headers = {"Authorization": f"Bearer {sim.token(url)}", "Content-Type": "application/json"}
        limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
        loop = asyncio.new_event_loop()
        try:
            with (
                httpx.Client(base_url=url, headers=headers, timeout=60) as plain,
                CatalogClient("bench", "bench", base_url=url, app_budget="off") as sdk,
            ):
                aplain = httpx.AsyncClient(base_url=url, headers=headers, timeout=60, limits=limits)
                asdk = AsyncCatalogClient("bench", "bench", base_url=url, app_budget="off")
                # Warm up: connections, the SDK's token, code paths.
                plain_sync(plain, payloads, 3)
                sdk_sync(sdk, payloads, 3)
                loop.run_until_complete(plain_async(aplain, payloads, 8))
                loop.run_until_complete(sdk_async(asdk, payloads, 8))
                medians, samples = interleaved(
                    {
                        "plain_sync": lambda: plain_sync(plain, payloads, batches),
                        "sdk_sync": lambda: sdk_sync(sdk, payloads, batches),
                        "plain_async": lambda: loop.run_until_complete(plain_async(aplain, payloads, batches)),
                        "sdk_async": lambda: loop.run_until_complete(sdk_async(asdk, payloads, batches)),
                    },
                    runs,
                )
                loop.run_until_complete(aplain.aclose())
                loop.run_until_complete(asdk.aclose())
        finally:
            loop.close()
    sync_ratio = paired_ratio(samples["sdk_sync"], samples["plain_sync"])
    async_ratio = paired_ratio(samples["sdk_async"], samples["plain_async"])
    value = min(sync_ratio, async_ratio)
    detail = (
        f"{batches} batches of {batch_size:,} products ({len(payloads[0]) / 1e6:.2f} MB, pre-encoded, same bytes"
        f" both sides) per sample to a minimal asyncio HTTP server in its own process (bench/fast_server.py),"
        f" requests/s, medians of {runs} interleaved runs (ratios: median of the per-round ratios)."
        f" Sequential: plain httpx.Client"
        f" {fmt(medians['plain_sync'])} req/s, CatalogClient.submit_encoded_batch {fmt(medians['sdk_sync'])}"
        f" ({sync_ratio:.2f}x). {CONCURRENCY} in flight: plain httpx.AsyncClient {fmt(medians['plain_async'])}"
        f" req/s, AsyncCatalogClient {fmt(medians['sdk_async'])} ({async_ratio:.2f}x). Value: the worse ratio."
    )
    return BenchResult.judged(
        "B4",
        "loopback send, 1,000-product batches (SDK / plain httpx)",
        value,
        "x plain httpx",
        GOAL,
        detail,
        {
            "sync_ratio": sync_ratio,
            "async_ratio": async_ratio,
            "batch_bytes": len(payloads[0]),
            **{f"{k}_req_per_s": v for k, v in medians.items()},
        },
        samples,
        started=started,
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: print the B4 figures."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--runs", type=int, default=RUNS)
    ap.add_argument("--batches", type=int, default=100)
    args = ap.parse_args(argv)
    result = measure(args.runs, args.batches)
    print(f"{result.key} {result.title}: {fmt(result.value)} {result.unit} (goal {result.goal}, met {result.met})")
    print(result.detail)
    return 0 if result.met else 1


if __name__ == "__main__":
    sys.exit(main())
