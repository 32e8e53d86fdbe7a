"""B6: how many products per second the simulator accepts (202) over loopback, pacing off.

    .venv/bin/python -m bench.simulator_capacity [--batch-size 1000] [--concurrency 4] [--duration 3] [--runs 5]
    .venv/bin/python -m bench.simulator_capacity --url http://127.0.0.1:8787   # --rate-limit 0 --calls-per-minute 0

Starts the simulator with ``--rate-limit 0 --calls-per-minute 0`` (no budget at all) in a child process
(or uses ``--url``), then sends request bodies from a few concurrent connections for a fixed time,
``runs`` times, and reports the median. The bodies are exactly what a push sends (realistic products, built by the SDK's
``EntryBuilder``: no ``batchId``, sorted keys) and pre-encoded, so that the figure measures the
server, not the client's encoder. The goal is >= 20,000 products/s: enough headroom for the 3000/s
of B1 and the 50,000/s of B5 to be limited by the client, not by the server.

A first batch probes the simulator; one that takes more than :data:`MAX_PROBE_SECONDS` means the full
measurement would not fit the benchmark's time budget: the probe's own rate is reported instead.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

import httpx

from bench import sim
from bench.common import MIN_RUNS, BenchResult, Goal, fmt, median
from criteo_catalog_sdk.simulator.runner import SimulatorProcess

GOAL = Goal(">=", 20_000)
MERCHANT = 123
PROBE_MERCHANT = 9_999
#: A 1,000-product batch slower than this: the simulator is far below the goal; do not insist.
MAX_PROBE_SECONDS = 1.0


async def one_run(
    url: str, token: str, payloads: list[bytes], batch_size: int, concurrency: int, duration: float
) -> float:
    """Products/s accepted while ``concurrency`` connections post ``payloads`` for ``duration`` seconds."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    accepted = 0
    other: dict[int, int] = {}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=600) as client:
        deadline = time.perf_counter() + duration
        start = time.perf_counter()

        async def worker(offset: int) -> None:
            nonlocal accepted
            i = offset
            while time.perf_counter() < deadline:
                response = await client.post(sim.BATCH_PATH, content=payloads[i % len(payloads)])
                if response.status_code == 202:
                    accepted += batch_size
                else:
                    other[response.status_code] = other.get(response.status_code, 0) + 1
                i += 1

        await asyncio.gather(*(worker(n) for n in range(concurrency)))
        elapsed = time.perf_counter() - start
    if other:
        raise RuntimeError(f"the simulator refused valid batches: {other}")
    return accepted / elapsed


def measure(
    runs: int = MIN_RUNS,
    duration: float = 3.0,
    concurrency: int = 4,
    batch_size: int = 1000,
    url: str | None = None,
    *,
    check_server: bool = True,
) -> BenchResult:
    """B6: median products/s the simulator accepts with its rate limit off.

    ``check_server``: first time one batch, and report that probe instead when the simulator is so slow
    that the full measurement would not fit the time budget.
    """
    started = time.perf_counter()
    process: SimulatorProcess | None = None
    if url is None:
        process = sim.start(0)
        url = process.base_url
    try:
        probe = sim.probe(url, PROBE_MERCHANT, batch_size) if check_server else 0.0
        token = sim.token(url)
        payloads = sim.sdk_bodies(8, MERCHANT, batch_size)
        metrics: dict[str, float | int] = {
            "probe_seconds_per_batch": probe,
            "batch_bytes": len(payloads[0]),
            "concurrency": concurrency,
        }
        if probe > MAX_PROBE_SECONDS:
            value = batch_size / probe
            detail = (
                f"NOT MEASURED IN FULL: one {batch_size:,}-product batch as the SDK sends it took {probe:.2f} s"
                f" to be accepted ({value:,.0f} products/s, single probe), so {runs} runs would not fit the time"
                " budget."
            )
            samples = [value]
        else:
            samples = []
            for _ in range(runs):
                samples.append(asyncio.run(one_run(url, token, payloads, batch_size, concurrency, duration)))
            value = median(samples)
            detail = (
                f"Batches of {batch_size:,} realistic products exactly as a push sends them"
                f" ({len(payloads[0]) / 1e6:.2f} MB, pre-encoded), {concurrency} connections, {duration:g} s per"
                f" run, simulator --rate-limit 0 --calls-per-minute 0 in its own process; median of {runs} runs."
                + (f" One batch alone: {probe * 1000:.0f} ms." if check_server else "")
            )
    finally:
        if process is not None:
            process.close()
    return BenchResult.judged(
        "B6",
        "simulator capacity, pacing off",
        value,
        "products/s",
        GOAL,
        detail,
        metrics,
        {"products_per_s": samples},
        started=started,
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: print the B6 figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--url", help="use a running simulator (started with --rate-limit 0 --calls-per-minute 0)")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=MIN_RUNS)
    args = parser.parse_args(argv)
    result = measure(args.runs, args.duration, args.concurrency, args.batch_size, args.url)
    print(f"{result.key} {result.title}: {fmt(result.value)} {result.unit} (goal {result.goal}, met {result.met})")
    print(result.detail)
    return 0 if result.met else 1


if __name__ == "__main__":
    sys.exit(main())
