"""B9: the client CPU of a whole push, per product: a JSON Lines feed with a state file, as the CLI pushes.

    .venv/bin/python -m bench.b9_cpu [--products 100000] [--runs 5] [--no-profile]

Each run is a child process (:func:`child`) that pushes a feed of realistic products with
``CatalogClient.push(read_feed(path), state=<fresh file>, wait=True)`` to the simulator in another
process, pacing off (``rate_limit`` far above what the simulator takes, the simulator's limits off) and
the call budget off (``app_budget="off"``), so that no waiting is measured, only work. Batches are those
of the default at Criteo's 3,000 products/s (2,700 products; ``batch_size`` set to it, since the batch
size follows the rate). The figure is the process CPU time (user + system, every thread:
``time.process_time``) from the client's creation to the result's closing, over the products (goal:
<= 30 us/product, issue 15 item 5).

The split, from the same run: the CPU of the journal's worker thread (every ``PushState.journal_call``,
measured with ``time.thread_time`` inside the call), of the HTTP calls (``CatalogClient._execute`` on
its worker threads: request, auth, httpx, answer reading), the main thread (event loop: feed reading,
the SDK path of B2 without the body join, the pipeline's stages) and the rest. The main thread is split
further by two passes over the feed after the push: reading it alone (``read_feed``), and reading it
with the SDK path (``EntryBuilder.insert`` + ``Chunker.add``). One more run (not measured) profiles the
main thread and the journal thread with cProfile: their costliest functions are in ``metrics``.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import json
import pstats
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from bench import catalog, sim
from bench.b1_push import POLL
from bench.common import MIN_RUNS, PYTHON, ROOT, BenchResult, Goal, child_env, fmt, median
from criteo_catalog_sdk.push.options import PushOptions
from criteo_catalog_sdk.push.pipeline import effective_batch_size

T = TypeVar("T")
GOAL = Goal("<=", 30.0)
#: Products per second the pacer allows: far more than the simulator takes (pacing off).
NO_PACING = 1_000_000.0
FIRST_MERCHANT = 30_000
#: Entries per batch: the default at Criteo's 3,000 products/s (the batch size follows the rate).
BATCH = effective_batch_size(PushOptions())
PARTS = ("main", "journal", "http", "other")


class Profiles:
    """One cProfile per thread, timed by that thread's CPU clock (waits cost nothing), merged at the end."""

    def __init__(self) -> None:
        self._profiles: dict[int, cProfile.Profile] = {}

    def of_this_thread(self) -> cProfile.Profile:
        """This thread's profile (made on first use)."""
        ident = threading.get_ident()
        if ident not in self._profiles:
            self._profiles[ident] = cProfile.Profile(time.thread_time)
        return self._profiles[ident]

    def top(self, count: int = 12) -> list[str]:
        """The ``count`` functions with the most own CPU time, as 'share name' lines (share of the total)."""
        if not self._profiles:
            return []
        stats = pstats.Stats(*self._profiles.values(), stream=io.StringIO())
        rows = []
        for (filename, line, name), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
            where = filename.split("site-packages/")[-1].split("criteo_catalog_sdk/")[-1]
            rows.append((tottime, f"{where}:{line}({name})"))
        total = sum(t for t, _ in rows)
        rows.sort(reverse=True)
        return [f"{t / total:.0%} {name}" for t, name in rows[:count] if total > 0]


class Split:
    """CPU seconds per part of the push, added from several threads."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(PARTS, 0.0)
        self._lock = threading.Lock()

    def add(self, part: str, seconds: float) -> None:
        """Add a thread's CPU seconds to ``part``."""
        with self._lock:
            self.seconds[part] += seconds

    def timed(self, part: str, fn: Callable[[], T], profiles: Profiles | None = None) -> T:
        """``fn()`` on this thread, its thread CPU time added to ``part`` (and profiled, if asked)."""
        started = time.thread_time()
        profile = profiles.of_this_thread() if profiles is not None else None
        if profile is not None:
            profile.enable()
        try:
            return fn()
        finally:
            if profile is not None:
                profile.disable()
            self.add(part, time.thread_time() - started)


def _instrument(split: Split, journal_profiles: Profiles | None) -> None:
    """Time the journal's and the HTTP calls where they run (this child process only)."""
    from criteo_catalog_sdk.client import CatalogClient
    from criteo_catalog_sdk.push.pipeline.state import PushState

    journal_call = PushState.journal_call
    execute = CatalogClient._execute

    async def timed_journal_call(self: PushState, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        call = functools.partial(fn, *args, **kwargs)
        return await journal_call(self, lambda: split.timed("journal", call, journal_profiles))

    def timed_execute(self: CatalogClient, call: Any) -> Any:
        return split.timed("http", lambda: execute(self, call))

    PushState.journal_call = timed_journal_call  # type: ignore[method-assign]
    CatalogClient._execute = timed_execute  # type: ignore[method-assign]


def child(feed: str, url: str, merchant_id: int, state: str, *, profile: bool = False) -> dict[str, Any]:
    """The measured process: push ``feed`` once, then time the feed passes; returns the figures."""
    from criteo_catalog_sdk import CatalogClient
    from criteo_catalog_sdk.push.chunking import Chunker
    from criteo_catalog_sdk.push.feeds import FeedRecord, read_feed
    from criteo_catalog_sdk.push.wire import EntryBuilder, PreparedEntry

    split = Split()
    main_profiles = Profiles() if profile else None
    journal_profiles = Profiles() if profile else None
    _instrument(split, journal_profiles)

    def push() -> tuple[int, int]:
        with CatalogClient("bench-b9", "bench", base_url=url, polling=POLL, app_budget="off") as client:
            result = client.push(
                read_feed(feed), merchant_id=merchant_id, state=state, rate_limit=NO_PACING, batch_size=BATCH
            )
            with result:
                return result.summary.upserted, result.batches

    cpu, wall = time.process_time(), time.perf_counter()
    upserted, batches = split.timed("main", push, main_profiles)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    split.seconds["other"] = cpu - sum(split.seconds[p] for p in PARTS if p != "other")

    started = time.process_time()
    products = sum(1 for _ in read_feed(feed))
    read_cpu = time.process_time() - started
    started = time.process_time()
    builder, chunker = EntryBuilder(merchant_id), Chunker(BATCH)
    for record in read_feed(feed):
        if type(record) is FeedRecord:
            entry = builder.insert(record.line, record.product)
            if type(entry) is PreparedEntry:
                chunker.add(entry)
    chunker.flush()
    build_cpu = time.process_time() - started
    report: dict[str, Any] = {
        "products": products,
        "upserted": upserted,
        "batches": batches,
        "cpu": cpu,
        "wall": wall,
        **split.seconds,
        "read": read_cpu,
        "sdk_path": build_cpu - read_cpu,
    }
    if main_profiles is not None and journal_profiles is not None:
        report["main_profile"] = main_profiles.top()
        report["journal_profile"] = journal_profiles.top()
    return report


def run_child(feed: Path, url: str, merchant_id: int, state: Path, *, profile: bool = False) -> dict[str, Any]:
    """One measured push in a child process; returns its report."""
    command = [PYTHON, "-m", "bench.b9_cpu", "--child", str(feed), "--url", url, "--merchant", str(merchant_id)]
    command += ["--state", str(state), *(["--profile"] if profile else [])]
    done = subprocess.run(command, capture_output=True, text=True, env=child_env(), cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the B9 child failed ({done.returncode}): {done.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def measure(n: int = 100_000, runs: int = MIN_RUNS, *, profile: bool = True) -> BenchResult:
    """B9: median client CPU of a whole push per product, with its split (and a profile, if asked)."""
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="criteo-bench-b9-"))
    process = sim.start(0)
    reports: list[dict[str, Any]] = []
    profiled: dict[str, Any] = {}
    try:
        feed = tmp / "feed.jsonl"
        size = catalog.write_feed(feed, n, prefix="CPU")
        for run in range(runs):
            report = run_child(feed, process.base_url, FIRST_MERCHANT + run, tmp / f"state-{run}.sqlite3")
            if report["upserted"] != n:
                raise RuntimeError(f"the B9 push did not upsert every product: {report}")
            reports.append(report)
        if profile:
            profiled = run_child(feed, process.base_url, FIRST_MERCHANT + runs, tmp / "profiled.sqlite3", profile=True)
    finally:
        process.close()
        shutil.rmtree(tmp, ignore_errors=True)
    us = {key: median([r[key] for r in reports]) / n * 1e6 for key in ("cpu", *PARTS, "read", "sdk_path")}
    value = us["cpu"]
    loop_rest = us["main"] - us["read"] - us["sdk_path"]
    detail = (
        f"CatalogClient.push(read_feed(feed), state=<fresh SQLite file>) of {n:,} realistic products"
        f" ({size / 1e6:.0f} MB JSON Lines) in a child process, to the simulator in its own process with its limits"
        f" off; rate_limit={NO_PACING:g} (pacing off), batch_size={BATCH:,} (the default batches at 3,000/s:"
        f" {median([r['batches'] for r in reports]):.0f} batches), app_budget=off,"
        f" wait=True. Process CPU (user + sys, all threads), median of {runs} runs: {value:.1f} us/product"
        f" ({median([r['wall'] for r in reports]):.1f} s wall). Split (us/product): main thread {us['main']:.1f}"
        f" (of which feed reading {us['read']:.1f}, SDK entry path {us['sdk_path']:.1f}, pipeline and event loop"
        f" {loop_rest:.1f}), journal thread {us['journal']:.1f}, HTTP calls {us['http']:.1f}, other"
        f" {us['other']:.1f}."
    )
    metrics: dict[str, Any] = {
        "products": n,
        "us_per_product": value,
        **{f"{k}_us_per_product": v for k, v in us.items() if k != "cpu"},
        "loop_rest_us_per_product": loop_rest,
        "wall_seconds": median([r["wall"] for r in reports]),
    }
    if profiled:
        metrics["main_thread_profile"] = profiled.get("main_profile", [])
        metrics["journal_thread_profile"] = profiled.get("journal_profile", [])
        detail += (
            " Costliest own time, main thread: "
            + ", ".join(profiled.get("main_profile", [])[:5])
            + "; journal thread: "
            + ", ".join(profiled.get("journal_profile", [])[:5])
            + " (cProfile, one more run)."
        )
    samples = {f"{k}_seconds": [r[k] for r in reports] for k in ("cpu", *PARTS, "read", "sdk_path", "wall")}
    return BenchResult(
        "B9",
        f"client CPU of a whole push, {n:,} products, JSON Lines feed + state file",
        value,
        "us/product",
        str(GOAL),
        GOAL.met(value),
        detail,
        metrics,
        samples,
        time.perf_counter() - started,
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: print the B9 figures (or, with ``--child``, be the measured push)."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--child", metavar="FEED", help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--merchant", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--state", help=argparse.SUPPRESS)
    ap.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=MIN_RUNS)
    ap.add_argument("--no-profile", action="store_true", help="skip the profiled run")
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.url, args.merchant, args.state, profile=args.profile)))
        return 0
    result = measure(args.products, args.runs, profile=not args.no_profile)
    print(f"{result.key} {result.title}: {fmt(result.value)} {result.unit} (goal {result.goal}, met {result.met})")
    print(result.detail)
    for key in ("main_thread_profile", "journal_thread_profile"):
        for line in result.metrics.get(key, []):
            print(f"  {key.split('_')[0]}: {line}")
    return 0 if result.met else 1


if __name__ == "__main__":
    sys.exit(main())
