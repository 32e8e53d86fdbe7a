"""B1: a whole push end to end, ``client.push`` to the simulator over loopback at 3000 products/s.

    .venv/bin/python -m bench.b1_push [--products 60000] [--runs 5]

The simulator (its own process) enforces Criteo's 3000 products/s per merchant and finishes each
operation :data:`bench.sim.PROCESSING_SECONDS` after accepting it. Each run pushes the same products
to a fresh merchant (a full rate-limit bucket, an empty catalog) with ``CatalogClient.push`` and its
defaults (batches of 1000, 4 in flight, ``rate_limit=3000``) and ``wait=True``: the push is done when
every report is in and every product has its outcome. The poll policy suits a server whose operations
finish in well under a second: first poll :data:`POLL`.initial_delay after the 202, then x1.5 up to 1 s.

Figures: the median wall time over the floor ``N / 3000`` s (goal <= 1.05), and the share of batch
requests the simulator answered 429 (goal <= 1%; from its own request log).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from bench import catalog, sim
from bench.common import MIN_RUNS, BenchResult, fmt, median
from criteo_catalog_sdk import CatalogClient, PollPolicy, ProgressEvent
from criteo_catalog_sdk.simulator.handle import SimulatorControl

RATE = 3000.0
RATIO_GOAL = 1.05
THROTTLE_GOAL = 0.01
POLL = PollPolicy(initial_delay=0.2, multiplier=1.5, max_delay=1.0)
FIRST_MERCHANT = 1000
PROBE_MERCHANT = 9_999


def one_push(url: str, products: list[dict[str, Any]], merchant_id: int, rate: float) -> dict[str, Any]:
    """Push ``products`` once; returns the wall time, the outcome counts and the 429s seen."""
    events: list[ProgressEvent] = []
    with CatalogClient("bench", "bench", base_url=url, polling=POLL) as client:
        started = time.perf_counter()
        result = client.push(products, merchant_id=merchant_id, rate_limit=rate, on_progress=events.append)
        wall = time.perf_counter() - started
    with result:
        summary = result.summary
    if summary.upserted != len(products):
        raise RuntimeError(f"the push did not upsert every product: {summary}")
    return {"wall": wall, "batches": result.batches, "throttled": events[-1].throttled if events else 0}


def measure(n: int = 60_000, runs: int = MIN_RUNS, rate: float = RATE, *, check_server: bool = True) -> BenchResult:
    """B1: median wall time of a push over ``n / rate``, and the share of 429 answers.

    ``check_server``: first time one batch on the simulator, and do not run when it is too slow to take
    ``rate`` products/s (the smoke run, whose batches are small, skips the check).
    """
    started = time.perf_counter()
    floor = n / rate
    products = catalog.products(n, prefix="E2E")
    process = sim.start(rate)
    walls: list[float] = []
    shares: list[float] = []
    throttled_total = requests_total = 0
    try:
        url = process.base_url
        probe = sim.probe(url, PROBE_MERCHANT) if check_server else 0.0
        # At the limit a batch of 1000 leaves every 1000 / rate s; the server must take less than that.
        budget = 1000 / rate * 0.8
        if probe > budget:
            detail = (
                f"NOT RUN: the simulator took {probe:.2f} s to accept one 1,000-product batch as the SDK sends"
                f" it, more than the {budget:.2f} s a batch may take at {rate:,.0f} products/s: the push would be"
                f" bound by the server (see B6), not by the SDK or the rate limit."
            )
            return BenchResult(
                "B1",
                f"end-to-end push, {n:,} products at {rate:,.0f}/s (wall / floor)",
                float("nan"),
                "x floor",
                f"<= {RATIO_GOAL}; 429s <= {THROTTLE_GOAL:.0%}",
                False,
                detail,
                {"probe_seconds_per_batch": probe, "products": n},
                {},
                time.perf_counter() - started,
            )
        with SimulatorControl(url) as control:
            for run in range(runs):
                control.clear_requests()
                outcome = one_push(url, products, FIRST_MERCHANT + run, rate)
                statuses = [r["status"] for r in control.requests("batch")]
                throttled = statuses.count(429)
                walls.append(outcome["wall"])
                shares.append(throttled / len(statuses) if statuses else 0.0)
                throttled_total += throttled
                requests_total += len(statuses)
    finally:
        process.close()
    wall = median(walls)
    ratio = wall / floor
    share = median(shares)
    met = ratio <= RATIO_GOAL and share <= THROTTLE_GOAL
    detail = (
        f"CatalogClient.push of {n:,} realistic products (list of dicts) to the simulator in its own process"
        f" (--rate-limit {rate:g}, operations final {sim.PROCESSING_SECONDS:g} s after the 202), defaults: batches"
        f" of 1000, 4 in flight, rate_limit={rate:g}; wait=True with PollPolicy(initial_delay={POLL.initial_delay:g},"
        f" multiplier={POLL.multiplier:g}, max_delay={POLL.max_delay:g}). Median of {runs} runs: {wall:.2f} s"
        f" against the floor {floor:.2f} s; 429 answers: {share:.1%} of batch requests (median per run;"
        f" {throttled_total} of {requests_total} over all runs)."
    )
    return BenchResult(
        "B1",
        f"end-to-end push, {n:,} products at {rate:,.0f}/s (wall / floor)",
        ratio,
        "x floor",
        f"<= {RATIO_GOAL}; 429s <= {THROTTLE_GOAL:.0%}",
        met,
        detail,
        {
            "wall_seconds": wall,
            "floor_seconds": floor,
            "throttled_share": share,
            "throttled": throttled_total,
            "batch_requests": requests_total,
            "products": n,
        },
        {"wall_seconds": walls, "throttled_share": shares},
        time.perf_counter() - started,
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: print the B1 figures."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--products", type=int, default=60_000)
    ap.add_argument("--runs", type=int, default=MIN_RUNS)
    ap.add_argument("--rate", type=float, default=RATE)
    args = ap.parse_args(argv)
    result = measure(args.products, args.runs, args.rate)
    print(f"{result.key} {result.title}: {fmt(result.value)} {result.unit} (goal {result.goal}, met {result.met})")
    print(result.detail)
    return 0 if result.met else 1


if __name__ == "__main__":
    sys.exit(main())
