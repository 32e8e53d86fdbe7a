"""B9: the client CPU of a whole push, per product: a JSON Lines feed with a state file, as the CLI pushes.

    .venv/bin/python -m bench.b9_cpu [--products 100000] [--runs 5] [--no-profile]

Each run is a child process (:func:`child`) that pushes a feed of realistic products with
``CatalogClient.push(read_feed(path), state=<fresh file>, wait=True)`` to the simulator in another
process, pacing off (``rate_limit`` far above what the simulator takes, the simulator's limits off) and
the call budget off (``app_budget="off"``), so that no waiting is measured, only work. Batches are those
of the default at Criteo's 3,000 products/s (2,250 products; ``batch_size`` set to it, since the batch
size follows the rate). The figure is the process CPU time (user + system, every thread:
``time.process_time``) from the client's creation to the result's closing, over the products (goal:
<= 30 us/product, issue 15 item 5).

The split by thread, from the same runs (``time.thread_time`` where each part runs, a few hundred
clock reads per push): the journal's worker thread (every ``PushState.journal_call``), the HTTP calls
(``CatalogClient._execute`` on their worker threads: request, auth, httpx, answer reading), the main
thread (the event loop: the reader, senders and watchers), and the rest. One more run times the main
thread's per-product steps too (feed reading: the reader's ``_chunks``; building entries:
``Reader._built``, i.e. validation, serialization, hash); its two clock reads per product cost about a
microsecond per product, so it is not one of the measured runs. Another profiles the main and journal
threads with cProfile timed by thread CPU: their costliest functions are in ``metrics``.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import itertools
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

import anyio

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
#: The threads whose CPU is timed (``other``: the rest of the process).
THREADS = ("main", "journal", "http")


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
        self.seconds = dict.fromkeys((*THREADS, "other", "read", "build"), 0.0)
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


def _instrument_reader(split: Split) -> None:
    """Time the reader's two per-product steps on the main thread (the split run only: two clock reads
    per product and chunk cost about a microsecond per product): pulling inputs from the feed (the
    reader's ``_chunks``) and building each entry (``Reader._built``: validation, serialization, hash)."""
    from criteo_catalog_sdk.push.pipeline import reader

    built = reader.Reader._built

    def timed_built(self: reader.Reader, index: int, item: Any) -> Any:
        started = time.thread_time()
        try:
            return built(self, index, item)
        finally:
            split.add("build", time.thread_time() - started)

    async def timed_chunks(products: Any) -> Any:
        iterator = iter(products)
        while True:
            started = time.thread_time()
            chunk = list(itertools.islice(iterator, reader.READ_CHUNK))
            split.add("read", time.thread_time() - started)
            if not chunk:
                return
            yield chunk
            await anyio.sleep(0)

    reader.Reader._built = timed_built  # type: ignore[method-assign]
    reader._chunks = timed_chunks


def child(feed: str, url: str, merchant_id: int, state: str, *, mode: str = "measure") -> dict[str, Any]:
    """The measured process: push ``feed`` once; returns its CPU figures.

    ``mode``: ``measure`` (threads timed per call), ``split`` (the main thread's per-product steps timed
    too), ``profile`` (the main and journal threads profiled with cProfile).
    """
    from criteo_catalog_sdk import CatalogClient
    from criteo_catalog_sdk.push.feeds import read_feed

    split = Split()
    main_profiles = Profiles() if mode == "profile" else None
    journal_profiles = Profiles() if mode == "profile" else None
    _instrument(split, journal_profiles)
    if mode == "split":
        _instrument_reader(split)

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
    split.seconds["other"] = cpu - sum(split.seconds[p] for p in THREADS)
    report: dict[str, Any] = {"upserted": upserted, "batches": batches, "cpu": cpu, "wall": wall, **split.seconds}
    if main_profiles is not None and journal_profiles is not None:
        report["main_profile"] = main_profiles.top()
        report["journal_profile"] = journal_profiles.top()
    return report


def run_child(feed: Path, url: str, merchant_id: int, state: Path, mode: str = "measure") -> dict[str, Any]:
    """One push in a child process; returns its report."""
    command = [PYTHON, "-m", "bench.b9_cpu", "--child", str(feed), "--url", url, "--merchant", str(merchant_id)]
    command += ["--state", str(state), "--mode", mode]
    done = subprocess.run(command, capture_output=True, text=True, env=child_env(), cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the B9 child failed ({done.returncode}): {done.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if report["upserted"] <= 0:
        raise RuntimeError(f"the B9 push upserted nothing: {report}")
    return report


def measure(n: int = 100_000, runs: int = MIN_RUNS, *, profile: bool = True) -> BenchResult:
    """B9: median client CPU of a whole push per product, with its split (and a profile, if asked)."""
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="criteo-bench-b9-"))
    process = sim.start(0)
    reports: list[dict[str, Any]] = []
    try:
        feed = tmp / "feed.jsonl"
        size = catalog.write_feed(feed, n, prefix="CPU")
        url = process.base_url
        for run in range(runs):
            reports.append(run_child(feed, url, FIRST_MERCHANT + run, tmp / f"state-{run}.sqlite3"))
        split = run_child(feed, url, FIRST_MERCHANT + runs, tmp / "split.sqlite3", "split")
        profiled: dict[str, Any] = {}
        if profile:
            profiled = run_child(feed, url, FIRST_MERCHANT + runs + 1, tmp / "profile.sqlite3", "profile")
    finally:
        process.close()
        shutil.rmtree(tmp, ignore_errors=True)
    if any(r["upserted"] != n for r in [*reports, split]):
        raise RuntimeError(f"a B9 push did not upsert every product: {[r['upserted'] for r in reports]}")
    us = {key: median([r[key] for r in reports]) / n * 1e6 for key in ("cpu", *THREADS, "other")}
    value = us["cpu"]
    one = {key: split[key] / n * 1e6 for key in ("cpu", "main", "read", "build")}
    pipeline = one["main"] - one["read"] - one["build"]
    # One run's absolute figures move with the machine's load; its shares of the main thread much less.
    shares = {key: one[key] / one["main"] for key in ("read", "build")} | {"pipeline": pipeline / one["main"]}
    detail = (
        f"CatalogClient.push(read_feed(feed), state=<fresh SQLite file>) of {n:,} realistic products"
        f" ({size / 1e6:.0f} MB JSON Lines) in a child process, to the simulator in its own process with its limits"
        f" off; rate_limit={NO_PACING:g} (pacing off), batch_size={BATCH:,} (the default batches at 3,000/s:"
        f" {median([r['batches'] for r in reports]):.0f} batches), app_budget=off, wait=True. Process CPU (user +"
        f" sys, all threads), median of {runs} runs: {value:.1f} us/product"
        f" ({median([r['wall'] for r in reports]):.1f} s wall). By thread (us/product): main (event loop)"
        f" {us['main']:.1f}, journal {us['journal']:.1f}, HTTP calls {us['http']:.1f}, other {us['other']:.1f}."
        f" The main thread of one more run with its per-product steps timed (that run: {one['cpu']:.1f} in all,"
        f" main {one['main']:.1f}): feed reading {shares['read']:.0%} ({one['read']:.1f}), building entries"
        f" (validation, serialization, hash) {shares['build']:.0%} ({one['build']:.1f}), the rest of the"
        f" pipeline {shares['pipeline']:.0%} ({pipeline:.1f})."
    )
    metrics: dict[str, Any] = {
        "products": n,
        "us_per_product": value,
        **{f"{k}_us_per_product": v for k, v in us.items() if k != "cpu"},
        "split_run_us_per_product": one["cpu"],
        "split_main_us_per_product": one["main"],
        "read_us_per_product": one["read"],
        "build_us_per_product": one["build"],
        "pipeline_us_per_product": pipeline,
        **{f"main_share_{key}": value for key, value in shares.items()},
        "wall_seconds": median([r["wall"] for r in reports]),
    }
    if profiled:
        metrics["main_thread_profile"] = profiled.get("main_profile", [])
        metrics["journal_thread_profile"] = profiled.get("journal_profile", [])
        detail += (
            " Costliest own CPU time under cProfile (one more run; it inflates small functions), main thread: "
            + ", ".join(profiled.get("main_profile", [])[:5])
            + "; journal thread: "
            + ", ".join(profiled.get("journal_profile", [])[:5])
            + "."
        )
    samples = {f"{k}_seconds": [r[k] for r in reports] for k in ("cpu", *THREADS, "other", "wall")}
    title = f"client CPU of a whole push, {n:,} products, JSON Lines feed + state file"
    return BenchResult.judged("B9", title, value, "us/product", GOAL, detail, metrics, samples, started=started)


def main(argv: list[str] | None = None) -> int:
    """Command line: print the B9 figures (or, with ``--child``, be the measured push)."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--child", metavar="FEED", help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--merchant", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--state", help=argparse.SUPPRESS)
    ap.add_argument("--mode", default="measure", choices=("measure", "split", "profile"), help=argparse.SUPPRESS)
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=MIN_RUNS)
    ap.add_argument("--no-profile", action="store_true", help="skip the profiled run")
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.url, args.merchant, args.state, mode=args.mode)))
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
