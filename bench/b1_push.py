"""B1: a whole push end to end, ``client.push`` to the simulator over loopback, both of Criteo's bounds on.

    .venv/bin/python -m bench.b1_push [--products 60000] [--runs 5] [--budget off]

The simulator (its own process) enforces Criteo's two bounds: 3000 products/s per merchant and 250
API calls per minute per application (batches and report polls alike); it finishes each operation
:data:`bench.sim.PROCESSING_SECONDS` after accepting it. Each run pushes the same products to a fresh
merchant as a fresh application (a client id of its own: full budgets on both sides, as a push that
starts a quiet minute) with ``CatalogClient.push``, the client's default call budget (one in memory,
250 per minute, named explicitly so that ``CRITEO_APP_BUDGET`` cannot change it), default
:class:`~criteo_catalog_sdk.push.options.PushOptions` (batches of three quarters of a second of budget: 2,250 products
at 3,000/s; 4 in flight) and ``wait=True``: the push is done when every report is in and every product
has its outcome. The poll policy suits a server whose operations finish in well under a second: first
poll :data:`POLL`.initial_delay per 1,000 products after the 202, then x1.5 up to 1 s.

Figures: the median wall time over the floor ``max(N / 3000 s, calls the plan needs / 250 per minute)``
(the plan: one call per batch and one poll per batch; goal <= 1.05), the share of API calls answered 429
(goal <= 1%; from the simulator's request log), split by the budget that refused them (from the
answers' ``x-ratelimit-limit``, see :class:`bench.sim.ThrottleTally`). ``--budget off``: the push of
issue 8, products/s only (no call budget on either side).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from typing import Any

from bench import catalog, sim
from bench.common import MIN_RUNS, BenchResult, fmt, median
from criteo_catalog_sdk import CatalogClient, PollPolicy
from criteo_catalog_sdk.push.options import PushOptions
from criteo_catalog_sdk.push.pipeline import effective_batch_size
from criteo_catalog_sdk.simulator.handle import SimulatorControl

RATE = 3000.0
RATIO_GOAL = 1.05
THROTTLE_GOAL = 0.01
POLL = PollPolicy(initial_delay=0.2, multiplier=1.5, max_delay=1.0)
FIRST_MERCHANT = 1000
PROBE_MERCHANT = 9_999


def plan_calls(n: int, rate: float, batch_size: int | None = None) -> tuple[int, int]:
    """The batches a push of ``n`` products makes at ``rate`` products/s (by default, or with a
    ``batch_size`` cap), and the fewest API calls it can make: one per batch and one report poll per batch."""
    options = (
        PushOptions(rate_limit=rate) if batch_size is None else PushOptions(rate_limit=rate, batch_size=batch_size)
    )
    batches = math.ceil(n / effective_batch_size(options))
    return batches, 2 * batches


def call_floor(calls: int, calls_per_minute: int) -> float:
    """Seconds ``calls`` API calls take at ``calls_per_minute`` (0: no budget)."""
    return calls / calls_per_minute * 60.0 if calls_per_minute else 0.0


def one_push(
    url: str, products: list[dict[str, Any]], merchant_id: int, rate: float, client_id: str, budget: str
) -> dict[str, Any]:
    """Push ``products`` once as application ``client_id``; returns the wall time, batches and the 429s
    the client got, by the budget that refused them."""
    tally = sim.ThrottleTally(rate)
    with (
        tally.http_client() as http,
        CatalogClient(client_id, "bench", base_url=url, polling=POLL, http_client=http, app_budget=budget) as client,
    ):
        started = time.perf_counter()
        result = client.push(products, merchant_id=merchant_id, rate_limit=rate)
        wall = time.perf_counter() - started
    with result:
        summary = result.summary
    if summary.upserted != len(products):
        raise RuntimeError(f"the push did not upsert every product: {summary}")
    return {"wall": wall, "batches": result.batches, **tally.counts}


def measure(
    n: int = 60_000, runs: int = MIN_RUNS, rate: float = RATE, *, budget: bool = True, check_server: bool = True
) -> BenchResult:
    """B1: median wall time of a push over its floor, and the share of 429 answers.

    ``budget``: the simulator enforces Criteo's 250 calls per minute and the client has its default
    in-memory budget (``False``: neither). ``check_server``: first time one batch on the simulator, and
    do not run when it is too slow to take ``rate`` products/s (the smoke run skips the check).
    """
    started = time.perf_counter()
    cpm = sim.CALLS_PER_MINUTE if budget else 0
    batches, needed = plan_calls(n, rate)
    size = effective_batch_size(PushOptions(rate_limit=rate))
    floor = max(n / rate, call_floor(needed, cpm))
    title = f"end-to-end push, {n:,} products at {rate:,.0f}/s" + (", 250 calls/min" if budget else "")
    goal = f"<= {RATIO_GOAL}; 429s <= {THROTTLE_GOAL:.0%}"
    products = catalog.products(n, prefix="E2E")
    process = sim.start(rate, calls_per_minute=cpm)
    walls: list[float] = []
    shares: list[float] = []
    calls: list[float] = []
    totals = {"calls": 0, "throttled": 0, "app": 0, "products": 0, "batch": 0, "report": 0}
    try:
        url = process.base_url
        probe = sim.probe(url, PROBE_MERCHANT) if check_server else 0.0
        # At the limit 1,000 products leave every 1000 / rate s; the server must take them faster.
        allowed = 1000 / rate * 0.8
        if probe > allowed:
            detail = (
                f"NOT RUN: the simulator took {probe:.2f} s to accept one 1,000-product batch as the SDK sends"
                f" it, more than the {allowed:.2f} s a batch may take at {rate:,.0f} products/s: the push would be"
                f" bound by the server (see B6), not by the SDK or the rate limit."
            )
            metrics = {"probe_seconds_per_batch": probe, "products": n}
            return BenchResult(
                "B1", title, float("nan"), "x floor", goal, False, detail, metrics, {}, time.perf_counter() - started
            )
        with SimulatorControl(url) as control:
            for run in range(runs):
                control.clear_requests()
                client_id = f"bench-b1-{run}"
                outcome = one_push(url, products, FIRST_MERCHANT + run, rate, client_id, "memory" if budget else "off")
                logged = sim.logged_calls(control.requests(), client_id)
                walls.append(outcome["wall"])
                shares.append(logged["throttled"] / logged["calls"] if logged["calls"] else 0.0)
                calls.append(logged["calls"])
                for key in ("calls", "throttled", "batch", "report"):
                    totals[key] += logged[key]
                totals["app"] += outcome["app"]
                totals["products"] += outcome["products"]
    finally:
        process.close()
    wall = median(walls)
    ratio = wall / floor
    share = median(shares)
    met = ratio <= RATIO_GOAL and share <= THROTTLE_GOAL
    bound = (
        f"the floor max({n:,} / {rate:g} s, {needed} calls / {cpm} per minute) = {floor:.2f} s"
        if budget
        else f"the floor {n:,} / {rate:g} = {floor:.2f} s"
    )
    detail = (
        f"CatalogClient.push of {n:,} realistic products (list of dicts) to the simulator in its own process"
        f" (--rate-limit {rate:g} --calls-per-minute {cpm}, operations final {sim.PROCESSING_SECONDS:g} s after"
        f" the 202), each run a fresh application and merchant; app_budget={'memory' if budget else 'off'},"
        f" default PushOptions (batches of {size:,}: {batches} batches, 4 in flight, rate_limit={rate:g});"
        f" wait=True with PollPolicy(initial_delay={POLL.initial_delay:g}, multiplier={POLL.multiplier:g},"
        f" max_delay={POLL.max_delay:g}). Median of {runs} runs: {wall:.2f} s against {bound}; API calls made:"
        f" {median(calls):.0f} per push (the plan's fewest: {needed}); 429 answers: {share:.1%} of calls (median"
        f" per run; {totals['throttled']} of {totals['calls']} over all runs: {totals['products']} from the"
        f" products/s budget, {totals['app']} from the call budget)."
    )
    return BenchResult(
        "B1",
        title,
        ratio,
        "x floor",
        goal,
        met,
        detail,
        {
            "wall_seconds": wall,
            "floor_seconds": floor,
            "throttled_share": share,
            "throttled": totals["throttled"],
            "throttled_app": totals["app"],
            "throttled_products": totals["products"],
            "batch_requests": totals["batch"],
            "report_requests": totals["report"],
            "calls_per_push": median(calls),
            "plan_calls": needed,
            "calls_per_minute": cpm,
            "products": n,
        },
        {"wall_seconds": walls, "throttled_share": shares, "calls": calls},
        time.perf_counter() - started,
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: print the B1 figures."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--products", type=int, default=60_000)
    ap.add_argument("--runs", type=int, default=MIN_RUNS)
    ap.add_argument("--rate", type=float, default=RATE)
    ap.add_argument("--budget", choices=("on", "off"), default="on", help="the call budget (default: on)")
    args = ap.parse_args(argv)
    result = measure(args.products, args.runs, args.rate, budget=args.budget == "on")
    print(f"{result.key} {result.title}: {fmt(result.value)} {result.unit} (goal {result.goal}, met {result.met})")
    print(result.detail)
    return 0 if result.met else 1


if __name__ == "__main__":
    sys.exit(main())
