"""The benchmarks of issues 8 and 15 at tiny sizes, so that they never rot.

Runs ``bench/run.py --smoke`` as ``make bench`` runs ``bench/run.py`` (a fresh process: it starts the
simulator and other servers as child processes) and checks the shape and sanity of what it writes.
Timing goals are deliberately not asserted: they live in the full benchmark only.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from bench.common import Goal
from bench.run import KEYS, table

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED_KEYS = {"value", "unit", "goal", "met", "detail"}


@pytest.mark.slow
def test_every_benchmark_runs_at_smoke_size(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--smoke", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(out.read_text())
    assert set(results) == {*KEYS, "_meta"}
    for key in KEYS:
        r = results[key]
        assert set(r) >= DOCUMENTED_KEYS, key
        assert isinstance(r["value"], float | int), (key, r)
        assert math.isfinite(r["value"]) and r["value"] > 0, (key, r["value"])
        assert isinstance(r["met"], bool), key
        assert r["unit"] and r["goal"] and r["detail"], key
        assert all(x is None or x >= 0 for samples in r["runs"].values() for x in samples), key
    assert results["_meta"]["smoke"] is True
    assert len(results["_meta"]["load_average_before"]) == 3
    # Sanity beyond "positive": the figures mean what they say.
    assert results["B5"]["metrics"]["big_mb"] < 1000
    assert results["B1"]["metrics"]["batch_requests"] >= 1
    assert results["B7"]["metrics"]["sdk_ms"] > 0
    assert results["B1"]["metrics"]["calls_per_minute"] == 250  # B1 runs with the call budget on
    assert results["B1"]["metrics"]["calls_per_push"] >= results["B1"]["metrics"]["plan_calls"]
    for variant in ("many", "shared", "separate"):  # every way of pushing an agency ran and was counted
        assert results["B8"]["metrics"][f"{variant}_calls"] >= results["B8"]["metrics"]["plan_calls"], variant
    # The processes of the shared variant spent one budget: it holds every call of theirs.
    assert results["B8"]["runs"]["shared_budget_rows"] == results["B8"]["runs"]["shared_calls"]
    b9 = results["B9"]["metrics"]
    assert b9["journal_us_per_product"] > 0 and b9["http_us_per_product"] > 0
    assert b9["read_us_per_product"] > 0 and b9["build_us_per_product"] > 0  # the split run timed the reader
    assert b9["main_thread_profile"] and b9["journal_thread_profile"]
    # The table printed (and pasted into the README) lists every benchmark.
    for key in KEYS:
        assert f"| {key} |" in done.stdout


def test_only_rejects_unknown_keys() -> None:
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--only", "B99", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "unknown benchmarks" in done.stderr


def test_goals() -> None:
    assert Goal("<=", 1.05).met(1.05) and not Goal("<=", 1.05).met(1.06)
    assert Goal(">=", 0.9).met(0.95) and not Goal(">=", 0.9).met(float("nan"))
    assert Goal(None).met(123.0) and str(Goal(None)) == "none"
    assert str(Goal("<", 250)) == "< 250"


def test_table_marks_unmet_goals() -> None:
    row = {"value": 1.2, "unit": "x", "goal": "<= 1.05", "met": False, "detail": "a | b", "title": "t"}
    text = table({"B1": row, "B2": {**row, "value": None, "met": True}})
    assert "| B1 | t | 1.20 x | <= 1.05 | **no** | a / b |" in text
    assert "| B2 | t | n/a | <= 1.05 | yes |" in text
