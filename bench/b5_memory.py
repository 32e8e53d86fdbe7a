"""B5: peak memory of a push of a 1,000,000-product feed against a 10,000-product one, for a JSON Lines
feed and for a Google Merchant Center XML (RSS 2.0) feed of the same products.

    .venv/bin/python -m bench.b5_memory [--products 1000000] [--small 10000] [--runs 5] [--formats jsonl,xml]

The feeds are generated into a temporary folder (deleted afterwards). Each push runs in a child
process of its own (``python -m bench.b5_memory --child ...``): ``CatalogClient.push(read_feed(path))``
with ``wait=True``, as ``criteo-catalog push FEED`` does (its heap set up to stay flat,
:func:`criteo_catalog_sdk.heap.keep_memory_flat`), against the simulator in another process,
whose rate limit is raised to :data:`RATE` products/s so that a million products take about a
minute. The figure is the peak resident set size of that child (``VmHWM``, see :func:`peak_rss_mb`),
large feed over small feed (goal <= 1.2), and the large feed's peak in MB (goal < 250), for each
format; the headline is the worse ratio of the two.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import catalog, sim
from bench.common import MIN_RUNS, PYTHON, ROOT, BenchResult, child_env, fmt, median

RATE = 50_000.0
FORMATS = ("jsonl", "xml")
_WRITERS = {"jsonl": catalog.write_feed, "xml": catalog.write_xml_feed}
RATIO_GOAL = 1.2
ABSOLUTE_GOAL_MB = 250.0
PROBE_MERCHANT = 9_999
#: A 1,000-product batch slower than this: the simulator would take far too long for a million.
MAX_PROBE_SECONDS = 0.25


def child(feed: str, url: str, merchant_id: int, rate: float) -> None:
    """The measured process: push ``feed`` and print one JSON line (summary, seconds)."""
    from criteo_catalog_sdk import CatalogClient, PollPolicy
    from criteo_catalog_sdk.heap import keep_memory_flat
    from criteo_catalog_sdk.push.feeds import read_feed

    keep_memory_flat()  # as the command line does at start (criteo_catalog_sdk.heap)

    polling = PollPolicy(initial_delay=0.2, multiplier=1.5, max_delay=1.0)
    started = time.perf_counter()
    with CatalogClient("bench", "bench", base_url=url, polling=polling, app_budget="off") as client:
        result = client.push(read_feed(feed), merchant_id=merchant_id, rate_limit=rate)
    with result:
        summary = result.summary
        batches = result.batches
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - started,
                "total": summary.total,
                "upserted": summary.upserted,
                "batches": batches,
                "peak_mb": peak_rss_mb(),
            }
        )
    )


def peak_rss_mb() -> float:
    """This process's peak resident set size since it started its program, in MB.

    Linux: ``VmHWM`` of ``/proc/self/status``. Not ``ru_maxrss``: that one survives ``exec`` and so counts
    the pages the child shared with its parent between ``fork`` and ``exec`` (the parent's whole RSS).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage / (1024 * 1024 if sys.platform == "darwin" else 1024)


def run_child(feed: Path, url: str, merchant_id: int, rate: float) -> dict[str, Any]:
    """Run one measured push in a child process; returns its report, with ``peak_mb`` (its peak RSS)."""
    command = [
        PYTHON,
        "-m",
        "bench.b5_memory",
        "--child",
        str(feed),
        "--url",
        url,
        "--merchant",
        str(merchant_id),
        "--rate",
        f"{rate:g}",
    ]
    done = subprocess.run(command, capture_output=True, text=True, env=child_env(), cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the push child failed ({done.returncode}): {done.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def measure(
    n: int = 1_000_000,
    small: int = 10_000,
    runs: int = MIN_RUNS,
    big_runs: int | None = None,
    *,
    check_server: bool = True,
    formats: tuple[str, ...] = FORMATS,
) -> BenchResult:
    """B5: median peak RSS of pushing ``n`` products over that of ``small`` products (child processes),
    for each of ``formats``; the headline is the worse ratio.

    ``big_runs`` (default ``runs``): pushes of each big feed. ``check_server``: first time one batch on the
    simulator, and do not run when a million products would take far too long.
    """
    started = time.perf_counter()
    big_runs = runs if big_runs is None else big_runs
    tmp = Path(tempfile.mkdtemp(prefix="criteo-bench-b5-"))
    process = sim.start(RATE)
    what = " and ".join({"jsonl": "JSON Lines", "xml": "Merchant Center XML"}[f] for f in formats)
    title = f"peak RSS, push of a {n:,}-product feed / {small:,} ({what})"
    goal = f"<= {RATIO_GOAL}; < {ABSOLUTE_GOAL_MB:g} MB"
    try:
        url = process.base_url
        probe = sim.probe(url, PROBE_MERCHANT) if check_server else 0.0
        if probe > MAX_PROBE_SECONDS:
            detail = (
                f"NOT RUN: the simulator took {probe:.2f} s to accept one 1,000-product batch as the SDK sends it:"
                f" {n:,} products would take over {n / 1000 * probe / 60:.0f} minutes (see B6)."
            )
            return BenchResult(
                "B5",
                title,
                float("nan"),
                "x small feed",
                goal,
                False,
                detail,
                {"probe_seconds_per_batch": probe},
                {},
                time.perf_counter() - started,
            )
        figures = {fmt: _measure_format(fmt, tmp, url, n, small, runs, big_runs) for fmt in formats}
    finally:
        process.close()
        shutil.rmtree(tmp, ignore_errors=True)
    metrics: dict[str, Any] = {}
    samples: dict[str, Any] = {}
    details = []
    for name, (peaks, seconds, size) in figures.items():
        key = "" if name == "jsonl" else f"{name}_"  # the JSON Lines figures keep their historical names
        small_mb, big_mb = median(peaks["small_mb"]), median(peaks["big_mb"])
        metrics.update(
            {
                f"{key}big_mb": big_mb,
                f"{key}small_mb": small_mb,
                f"{key}ratio": big_mb / small_mb,
                f"{key}big_push_seconds": median(seconds),
                f"{key}feed_bytes": size,
            }
        )
        samples.update({f"{key}small_mb": peaks["small_mb"], f"{key}big_mb": peaks["big_mb"]})
        samples[f"{key}big_push_seconds"] = seconds
        details.append(
            f"{name}: {n:,} products ({size / 1e6:,.0f} MB feed): {big_mb:.1f} MB, median of {big_runs} (a push took"
            f" {median(seconds):.0f} s); {small:,} products: {small_mb:.1f} MB, median of {runs}; ratio"
            f" {big_mb / small_mb:.2f}"
        )
    ratios = [metrics[f"{'' if f == 'jsonl' else f + '_'}ratio"] for f in formats]
    bigs = [metrics[f"{'' if f == 'jsonl' else f + '_'}big_mb"] for f in formats]
    met = max(ratios) <= RATIO_GOAL and max(bigs) < ABSOLUTE_GOAL_MB
    detail = (
        f"Peak RSS (VmHWM) of a child process running CatalogClient.push(read_feed(path), wait=True,"
        f" rate_limit={RATE:g}) against the simulator (--rate-limit {RATE:g}, own process), journal in a temporary"
        f" SQLite file. " + ". ".join(details) + "."
    )
    return BenchResult(
        "B5", title, max(ratios), "x small feed", goal, met, detail, metrics, samples, time.perf_counter() - started
    )


def _measure_format(
    fmt: str, tmp: Path, url: str, n: int, small: int, runs: int, big_runs: int
) -> tuple[dict[str, list[float]], list[float], int]:
    """Peaks (small_mb, big_mb samples), big push seconds and big feed size of one format."""
    suffix = ".jsonl" if fmt == "jsonl" else ".xml"
    big_feed, small_feed = tmp / f"big{suffix}", tmp / f"small{suffix}"
    big_bytes = _WRITERS[fmt](big_feed, n, prefix="BIG")
    _WRITERS[fmt](small_feed, small, prefix="SMALL")
    peaks: dict[str, list[float]] = {"small_mb": [], "big_mb": []}
    seconds: list[float] = []
    merchant = 2000 if fmt == "jsonl" else 3000
    try:
        for run in range(max(runs, big_runs)):
            for size, feed, count, size_runs in (("small", small_feed, small, runs), ("big", big_feed, n, big_runs)):
                if run >= size_runs:
                    continue
                merchant += 1
                report = run_child(feed, url, merchant, RATE)
                if report["upserted"] != count:
                    raise RuntimeError(f"the {size} {fmt} push did not upsert every product: {report}")
                peaks[f"{size}_mb"].append(report["peak_mb"])
                if size == "big":
                    seconds.append(report["seconds"])
    finally:
        big_feed.unlink(missing_ok=True)  # a million XML items take over a GB
        small_feed.unlink(missing_ok=True)
    return peaks, seconds, big_bytes


def main(argv: list[str] | None = None) -> int:
    """Command line: print the B5 figures (or, with ``--child``, be the measured push)."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--child", metavar="FEED", help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--merchant", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--rate", type=float, default=RATE, help=argparse.SUPPRESS)
    ap.add_argument("--products", type=int, default=1_000_000)
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=MIN_RUNS)
    ap.add_argument("--big-runs", type=int, default=None, help="runs of the big feed (default: --runs)")
    ap.add_argument("--formats", default=",".join(FORMATS), help="feed formats to measure (default: jsonl,xml)")
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, args.url, args.merchant, args.rate)
        return 0
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    if not formats or set(formats) - set(FORMATS):
        ap.error(f"--formats: choose among {', '.join(FORMATS)}")
    result = measure(args.products, args.small, args.runs, args.big_runs, formats=formats)
    print(f"{result.key} {result.title}: {fmt(result.value)} {result.unit} (goal {result.goal}, met {result.met})")
    print(result.detail)
    return 0 if result.met else 1


if __name__ == "__main__":
    sys.exit(main())
