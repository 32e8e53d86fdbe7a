"""A real ``push`` subprocess killed with SIGKILL midway, then resumed with the same state file:
every product is accounted for and the batches accepted before the kill are not sent again."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

from .conftest import ROOT

EXAMPLE = str(ROOT / "examples" / "catalog.jsonl")

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def journal_rows(state: Path, sql: str) -> list[tuple[object, ...]]:
    if not state.exists():
        return []
    db = sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=5)
    try:
        return db.execute(sql).fetchall()
    except sqlite3.OperationalError:  # the schema is not there yet
        return []
    finally:
        db.close()


def test_killed_push_resumes_without_resending(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    state = tmp_path / "state.db"
    command = [
        sys.executable,
        "-m",
        "criteo_catalog_sdk.cli",
        "--base-url",
        sim.base_url,
        "--client-id",
        sim.client_id,
        "--client-secret",
        sim.client_secret,
        "push",
        EXAMPLE,
        "--merchant-id",
        str(sim.merchant_id),
        "--state",
        str(state),
        "--batch-size",
        "100",
        "--rate-limit",
        "800",  # 20 batches over ~2.5 s: plenty of time to kill it midway
        "--json",
        "--first-poll",
        "0.3",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            accepted = journal_rows(state, "SELECT COUNT(*) FROM batches WHERE token IS NOT NULL")
            if accepted and int(str(accepted[0][0])) >= 4:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the push ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert proc.returncode == -signal.SIGKILL

    before = dict(journal_rows(state, "SELECT batch_id, token FROM batches WHERE token IS NOT NULL"))
    runs = journal_rows(state, "SELECT state FROM runs")
    assert before and runs == [("running",)]
    ops_before = {o["operationToken"] for o in sim.control.operations()}
    assert set(before.values()) <= ops_before

    resumed = subprocess.run(command, capture_output=True, env=env, timeout=120, check=False)
    assert resumed.returncode == 1, resumed.stderr.decode()  # the 9 broken products of the feed
    data = json.loads(resumed.stdout)
    counts = data["counts"]
    assert (counts["total"], counts["upserted"], counts["rejected"]) == (2000, 1990, 9) and data["resumed"]

    # Every product accounted for: the journal's outcome of each line, and the simulated catalog.
    statuses = dict(journal_rows(state, "SELECT status, COUNT(*) FROM items GROUP BY status"))
    assert statuses == {"upserted": 1990, "rejected": 9, "superseded": 1}
    assert len(sim.control.catalog(sim.merchant_id)) == 1990

    # Batches accepted before the kill kept their token and were sent exactly once.
    after = dict(journal_rows(state, "SELECT batch_id, token FROM batches"))
    sends = dict(journal_rows(state, "SELECT batch_id, sends FROM batches"))
    for batch_id, token in before.items():
        assert after[batch_id] == token and sends[batch_id] == 1
    tokens = [o["operationToken"] for o in sim.control.operations()]
    assert all(tokens.count(t) == 1 for t in before.values())
    # Nothing else was sent twice either, beyond batches in flight at the kill (sent, answer never seen).
    in_flight = len(ops_before) - len(before)
    assert len(tokens) <= len(after) + in_flight
    assert journal_rows(state, "SELECT state FROM runs") == [("finished",)]
