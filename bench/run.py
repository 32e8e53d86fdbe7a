"""Run the benchmarks of issues 8 and 15 (B1..B9), write ``bench/results.json`` and print the results table.

    .venv/bin/python bench/run.py                  # everything (make bench), under 10 minutes
    .venv/bin/python bench/run.py --only B1,B3     # some; their entries of the results file are replaced
    .venv/bin/python bench/run.py --smoke --out /tmp/r.json   # tiny sizes, seconds: proves the code runs

Every figure is a median of at least 5 runs (B5's big pushes excepted: see its detail),
every comparison a ratio measured in this process run with interleaved runs. Timing goals are only
judged by full runs: a ``--smoke`` run says nothing about them. The machine's load average is
recorded with the results: on a loaded machine, rerun what failed with ``--only`` once it is quieter.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script (bench/run.py): make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

KEYS = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9")
DEFAULT_OUT = Path(__file__).resolve().parent / "results.json"


def _benchmarks(smoke: bool) -> dict[str, Callable[[], Any]]:
    """The benchmark of each key, at full or smoke size."""
    from bench import (
        b1_push,
        b3_report,
        b4_send,
        b5_memory,
        b7_import,
        b8_agency,
        b9_cpu,
        push_cpu,
        simulator_capacity,
    )

    if smoke:
        return {
            "B1": lambda: b1_push.measure(600, runs=1, check_server=False),
            "B2": lambda: push_cpu.measure(1000, runs=1),
            "B3": lambda: b3_report.measure(runs=1, repeat=2),
            "B4": lambda: b4_send.measure(runs=1, batches=4, batch_size=100),
            "B5": lambda: b5_memory.measure(1000, 100, runs=1, check_server=False),
            "B6": lambda: simulator_capacity.measure(
                runs=1, duration=0.3, concurrency=2, batch_size=100, check_server=False
            ),
            "B7": lambda: b7_import.measure(runs=1),
            "B8": lambda: b8_agency.measure(merchants=2, n=600, runs=1),
            "B9": lambda: b9_cpu.measure(1000, runs=1),
        }
    return {
        "B1": lambda: b1_push.measure(),
        "B2": lambda: push_cpu.measure(),
        # 11 runs: the ratio of two ~2 ms figures wobbles with the machine's load; its median does much less.
        "B3": lambda: b3_report.measure(runs=11),
        "B4": lambda: b4_send.measure(),
        # The big feeds at 200,000 products (20x the small one, pushed once each: a peak RSS is a
        # high-water mark, not a timing), five pushes of the small ones: the million-product feeds (a JSON
        # Lines push ~1.5 min, an XML one ~3.5 min) would not fit in 10 minutes with B8 and B9.
        # `python -m bench.b5_memory` runs the million (README).
        "B5": lambda: b5_memory.measure(200_000, big_runs=1),
        "B6": lambda: simulator_capacity.measure(),
        "B7": lambda: b7_import.measure(),
        # Issue 15's agency is 3 merchants x 100,000 products: 15 runs of it (5 of each way) would take
        # about 9 minutes. 24,000 per merchant keeps B8 under 3 minutes; `python -m bench.b8_agency` runs
        # the 100,000 (README).
        "B8": lambda: b8_agency.measure(n=24_000),
        "B9": lambda: b9_cpu.measure(),
    }


def table(results: dict[str, dict[str, Any]]) -> str:
    """The results as a Markdown table (value, goal, met, detail)."""
    from bench.common import fmt

    lines = ["| | benchmark | value | goal | met | detail |", "|---|---|---|---|---|---|"]
    for key in KEYS:
        r = results.get(key)
        if r is None:
            continue
        value = "n/a" if r["value"] is None else f"{fmt(r['value'])} {r['unit']}"
        met = "yes" if r["met"] else "**no**"
        detail = str(r["detail"]).replace("|", "/")
        lines.append(f"| {key} | {r.get('title', '')} | {value} | {r['goal']} | {met} | {detail} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the selected benchmarks; exit status 1 if a goal is not met (a full run) or one crashed."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, one run each: proves the code works")
    ap.add_argument("--only", default="", help="comma-separated keys, e.g. B1,B3")
    ap.add_argument("--out", type=Path, default=None, help=f"results file (default {DEFAULT_OUT}; smoke: none)")
    args = ap.parse_args(argv)

    from bench.common import BenchResult, load_average

    only = [k.strip().upper() for k in args.only.split(",") if k.strip()]
    unknown = sorted(set(only) - set(KEYS))
    if unknown:
        ap.error(f"unknown benchmarks {unknown}: choose among {', '.join(KEYS)}")
    selected = only or list(KEYS)
    out = args.out if args.out is not None else (None if args.smoke else DEFAULT_OUT)
    benchmarks = _benchmarks(args.smoke)

    started = time.perf_counter()
    load_before = load_average()
    print(f"load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} on {os.cpu_count()} CPUs")
    results: dict[str, dict[str, Any]] = {}
    failed = False
    for key in selected:
        print(f"{key} ...", end=" ", flush=True)
        t = time.perf_counter()
        try:
            result: BenchResult = benchmarks[key]()
        except Exception:
            failed = True
            print("CRASHED")
            traceback.print_exc()
            results[key] = {
                "value": None,
                "unit": "",
                "goal": "",
                "met": False,
                "detail": "crashed: " + traceback.format_exc(limit=3).strip().splitlines()[-1],
                "title": "",
            }
            continue
        results[key] = result.to_json()
        print(
            f"{result.value:.4g} {result.unit} (goal {result.goal}: {'met' if result.met else 'NOT met'}) "
            f"in {time.perf_counter() - t:.0f} s"
        )
    load_after = load_average()

    merged: dict[str, Any] = {}
    if out is not None and only and out.exists():
        try:
            merged = json.loads(out.read_text())
        except ValueError:
            merged = {}
    merged.update(results)
    meta = merged.get("_meta", {}) if only else {}
    meta.update(
        {
            "command": " ".join(
                [Path(sys.executable).name, "bench/run.py", *(argv if argv is not None else sys.argv[1:])]
            ),
            "finished": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - started, 1),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in load_after],
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "smoke": args.smoke,
        }
    )
    merged["_meta"] = meta
    ordered = {k: merged[k] for k in KEYS if k in merged} | {"_meta": meta}
    if out is not None:
        out.write_text(json.dumps(ordered, indent=2) + "\n")
    print()
    print(table(ordered))
    print(
        f"\n{len(results)} benchmark(s) in {time.perf_counter() - started:.0f} s; load average"
        f" {load_before[0]:.2f} before, {load_after[0]:.2f} after" + (f"; results in {out}" if out is not None else "")
    )
    if args.smoke:
        return 1 if failed else 0
    return 1 if failed or not all(r["met"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
