"""Crash and resume: a push in a subprocess killed with SIGKILL at seeded random moments, then resumed with
the same state file, against the simulator in its own process.

Each trial pushes a seeded feed (products that fail the SDK's checks, unreadable lines, products Criteo
rejects, products that appear twice with other content: the later line must win) and kills the push one
to ``crash_max_kills`` times, either ``N`` ms after its first batch was journaled or when the journal
shows ``K`` accepted batches; then it runs the same push to the end. Every other trial then pushes a newer
version of the feed (10 % changed, 3 % removed, 1 % of products twice, see ``DELTA_DUPLICATES``) with
``delta`` and ``delete_missing``, kills it once and resumes it. After each: the simulator's catalog
equals the feed's (no stale version anywhere), every line has exactly one outcome, and the products the
API received more than once, counted per crash from the simulator's operations that the journal never
learnt of (the 202 was lost with the process), are at most the in-flight window,
``concurrency x batch_size``. The batches accepted before a kill are never
sent again. Each subprocess logs at DEBUG; its output, state file and exports are audited for secrets.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from criteo_catalog_sdk.push.journal import Journal

from ._support import CLIENT_ID, MERCHANT_ID, SECRET, SEED, SIZES
from .conftest import Simulator
from .feeds import Feed, catalog_difference, check_accounting, make_feed
from .figures import Figures
from .secret_audit import SecretAudit

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

DRIVER = Path(__file__).with_name("push_driver.py")
BATCH_SIZE = 100
CONCURRENCY = 4
RATE_LIMIT = 1500.0
WINDOW = CONCURRENCY * BATCH_SIZE
# Every answer takes a little while, so that requests really are in flight when the process dies.
SERVER_LATENCY = 0.03
PUSH_TIMEOUT = 300.0
# Duplicated products in the newer feed pushed with delta sync: the later line must win even when the
# older one is sent while its chunk of inputs is routed (see test_no_stale_overwrite.py, same-chunk).
DELTA_DUPLICATES = 0.01


def journal_rows(state: Path, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a query on a push's state file, read-only (empty if the schema is not there yet)."""
    if not state.exists():
        return []
    db = sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=10)
    try:
        return db.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        db.close()


def accepted_batches(state: Path) -> int:
    rows = journal_rows(state, "SELECT COUNT(*) FROM batches WHERE token IS NOT NULL")
    return int(rows[0][0]) if rows else 0


def recorded_batches(state: Path) -> int:
    rows = journal_rows(state, "SELECT COUNT(*) FROM batches")
    return int(rows[0][0]) if rows else 0


def journal_tokens(state: Path) -> dict[int, str]:
    return {
        int(b): str(t) for b, t in journal_rows(state, "SELECT batch_id, token FROM batches WHERE token IS NOT NULL")
    }


@dataclass
class Crash:
    """One SIGKILL: when, and what the simulator had accepted by then."""

    how: str
    operations: dict[str, int]  # operation token -> products, as the simulator saw them after the kill
    journal: dict[int, str]  # batch id -> token, as journaled at the kill


@dataclass
class Phase:
    """One push of a feed: its kills and the final run."""

    name: str
    crashes: list[Crash] = field(default_factory=list)
    finished_before_kill: int = 0
    resent: list[int] = field(default_factory=list)  # products received twice, per crash


@dataclass
class Trial:
    """The subprocesses of one trial, with their environment, outputs and audit."""

    sim: Simulator
    audit: SecretAudit
    workdir: Path
    rng: random.Random
    via: str
    runs: int = field(default=0, init=False)
    env: dict[str, str] = field(init=False, repr=False)  # holds the client secret

    def __post_init__(self) -> None:
        self.env = {
            **os.environ,
            "CRITEO_CLIENT_ID": CLIENT_ID,
            "CRITEO_CLIENT_SECRET": SECRET,
            "CRITEO_API_URL": self.sim.base_url,
            "CRITEO_CATALOG_LOG": "debug",
            "PYTHONUNBUFFERED": "1",
        }

    def command(self, feed: Path, state: Path, out: Path, *, delta: bool) -> list[str]:
        command = [sys.executable, str(DRIVER), str(feed), str(out), "--state", str(state)]
        command += ["--merchant-id", str(MERCHANT_ID), "--batch-size", str(BATCH_SIZE)]
        command += ["--concurrency", str(CONCURRENCY), "--rate-limit", str(RATE_LIMIT), "--via", self.via]
        return command + (["--delta", "--delete-missing"] if delta else [])

    def start(self, feed: Path, state: Path, *, delta: bool) -> tuple[subprocess.Popen[bytes], Path]:
        self.runs += 1
        out = self.workdir / f"run{self.runs}"
        out.mkdir()
        stdout = open(out / "stdout", "wb")  # noqa: SIM115 - closed by finish()
        stderr = open(out / "stderr", "wb")  # noqa: SIM115 - closed by finish()
        proc = subprocess.Popen(self.command(feed, state, out, delta=delta), stdout=stdout, stderr=stderr, env=self.env)
        stdout.close()
        stderr.close()
        return proc, out

    def collect(self, out: Path) -> None:
        """Audit what a run left: its output, its tokens, its exports."""
        self.audit.token_file(out / "tokens.txt")
        for name in ("stdout", "stderr", "result.json", "result.csv"):
            self.audit.file(f"{out.name}/{name}", out / name)

    def kill_when(self, proc: subprocess.Popen[bytes], state: Path, ready: Callable[[], bool]) -> bool:
        """SIGKILL ``proc`` once ``ready()``; False if it ended first."""
        deadline = time.monotonic() + PUSH_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return False
            if ready():
                proc.send_signal(signal.SIGKILL)
                proc.wait(30)
                return True
            time.sleep(0.005)
        proc.kill()
        proc.wait(30)
        raise AssertionError("the push neither ended nor reached the kill point in time")

    def crash(self, feed: Path, state: Path, *, delta: bool, phase: Phase, total_batches: int) -> bool:
        """Start the push and SIGKILL it at a random moment; False if it finished first (nothing to resume)."""
        proc, out = self.start(feed, state, delta=delta)
        try:
            if self.rng.random() < 0.5:
                already = accepted_batches(state)
                k = already + self.rng.randint(1, max(1, (total_batches - already) // 2))
                how = f"after {k} accepted batches"
                killed = self.kill_when(proc, state, lambda: accepted_batches(state) >= k)
            else:
                recorded = recorded_batches(state)
                delay = self.rng.uniform(0.0, 0.8 * total_batches * BATCH_SIZE / RATE_LIMIT)
                how = f"{delay * 1000:.0f} ms after its first batch was journaled"
                first: list[float] = []

                def ready() -> bool:
                    if not first and recorded_batches(state) > recorded:
                        first.append(time.monotonic())
                    return bool(first) and time.monotonic() - first[0] >= delay

                killed = self.kill_when(proc, state, ready)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(30)
        self.collect(out)
        if not killed:
            phase.finished_before_kill += 1
            assert proc.returncode in (0, 1), (out / "stderr").read_text()[-3000:]
            return False
        assert proc.returncode == -signal.SIGKILL
        assert journal_rows(state, "SELECT state FROM runs ORDER BY run_id DESC LIMIT 1") == [("running",)]
        time.sleep(0.3)  # a request that left before the kill is answered (to no one) meanwhile
        operations = {op["operationToken"]: int(op["products"]) for op in self.sim.control.operations()}
        phase.crashes.append(Crash(how, operations, journal_tokens(state)))
        return True

    def finish(self, feed: Path, state: Path, *, delta: bool) -> int:
        proc, out = self.start(feed, state, delta=delta)
        try:
            code = proc.wait(PUSH_TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(30)
        self.collect(out)
        assert code in (0, 1), (out / "stderr").read_text()[-3000:]
        return code


def check_phase(
    trial: Trial,
    phase: Phase,
    feed: Feed,
    state: Path,
    *,
    delta: bool = False,
    catalog_before: dict[str, Any] | None = None,
    operations_before: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The checks after a phase's final run; returns its figures."""
    control = trial.sim.control
    expected = feed.expected_catalog()
    catalog = control.catalog(MERCHANT_ID)
    difference = catalog_difference(catalog, expected)
    assert not difference, f"{phase.name}: {difference}"

    # delete_missing: the products of the previous catalog that the newer feed no longer has.
    deleted = frozenset(set(catalog_before or {}) - set(expected))
    assert journal_rows(state, "SELECT DISTINCT state FROM runs") == [("finished",)]
    with Journal(state) as journal:
        run_id = max(_run_ids(state))
        statuses = check_accounting(
            journal.outcomes.iterate(run_id), feed, delta=delta, deleted_keys=deleted, warnings_reported=False
        )
        summary = journal.outcomes.summary(run_id)

    # Batches accepted before a kill kept their token: they were not sent again.
    final = journal_tokens(state)
    for crash in phase.crashes:
        for batch_id, token in crash.journal.items():
            assert final.get(batch_id) == token, f"batch {batch_id} accepted before a kill was sent again"

    # Products the API received twice: the operations of each crash window the journal never learnt of.
    operations = {op["operationToken"]: int(op["products"]) for op in control.operations()}
    known = set(final.values())
    seen: set[str] = set(operations_before)
    phase.resent = []
    for crash in phase.crashes:
        new = set(crash.operations) - seen
        orphans = [t for t in new if t not in known]
        resent = sum(crash.operations[t] for t in orphans)
        assert len(orphans) <= CONCURRENCY and resent <= WINDOW, f"{crash.how}: {len(orphans)} orphans, {resent} resent"
        phase.resent.append(resent)
        seen |= set(crash.operations)
    late = [t for t in set(operations) - seen if t not in known]
    assert not late, f"{len(late)} operations of the final run are unknown to its journal"
    trial.audit.file(f"{phase.name}-state", state)
    return {
        "lines": len(feed.accountable()),
        "kills": len(phase.crashes),
        "kill_moments": [c.how for c in phase.crashes],
        "finished_before_kill": phase.finished_before_kill,
        "resent_per_crash": phase.resent,
        "max_resent": max(phase.resent, default=0),
        "window": WINDOW,
        "statuses": dict(sorted(statuses.items())),
        "deleted": summary.deleted,
        "catalog": len(catalog),
    }


def _run_ids(state: Path) -> list[int]:
    return [int(r[0]) for r in journal_rows(state, "SELECT run_id FROM runs")]


def test_sigkill_at_random_moments_then_resume(
    simulator: Simulator, audit: SecretAudit, figures: Figures, tmp_path: Path
) -> None:
    started = time.monotonic()
    trials: list[dict[str, Any]] = []
    for index in range(SIZES.crash_trials):
        rng = random.Random(SEED * 1009 + index)
        control = simulator.control
        control.reset()
        control.configure(latency_seconds=SERVER_LATENCY)
        workdir = tmp_path / f"trial{index}"
        workdir.mkdir()
        via = "cli" if index % 2 == 1 else "api"
        trial = Trial(simulator, audit, workdir, rng, via)
        state = workdir / "state.sqlite3"
        n = SIZES.crash_products
        batches = n // BATCH_SIZE + 1

        feed = make_feed(n, SEED + index, dup_fraction=0.01, dup_gap=2 * BATCH_SIZE)
        path = feed.write(workdir / "feed-v1.jsonl")
        first = Phase("v1")
        for _ in range(rng.randint(1, SIZES.crash_max_kills)):
            if not trial.crash(path, state, delta=False, phase=first, total_batches=batches):
                break
        else:
            trial.finish(path, state, delta=False)
        result: dict[str, Any] = {"trial": index, "via": via, "v1": check_phase(trial, first, feed, state)}

        if index % 2 == 0:  # a newer version of the feed, delta + delete_missing, killed and resumed
            catalog_before = control.catalog(MERCHANT_ID)
            operations_before = frozenset(op["operationToken"] for op in control.operations())
            newer = make_feed(
                n, SEED + index, generation=1, unreadable=False, dup_fraction=DELTA_DUPLICATES, dup_gap=2 * BATCH_SIZE
            )
            path2 = newer.write(workdir / "feed-v2.jsonl")
            second = Phase("v2")
            # Only the changed (10 %) and removed (3 %) products are sent: the kill moments scale to that.
            sent_batches = int(0.13 * n) // BATCH_SIZE + 1
            if trial.crash(path2, state, delta=True, phase=second, total_batches=sent_batches):
                trial.finish(path2, state, delta=True)
            result["v2"] = check_phase(
                trial,
                second,
                newer,
                state,
                delta=True,
                catalog_before=catalog_before,
                operations_before=operations_before,
            )
            assert result["v2"]["deleted"] == len(set(catalog_before) - set(newer.expected_catalog()))
        if via == "cli":  # the command that ran
            stderr = "".join(p.read_text(errors="replace") for p in sorted(workdir.glob("run*/stderr")))
            result["cli_entry"] = "criteo-catalog" if "driver: running criteo-catalog push" in stderr else "unknown"
        trials.append(result)

    kills = sum(t[p]["kills"] for t in trials for p in ("v1", "v2") if p in t)
    assert kills >= SIZES.crash_trials, "most kills must land while the push runs"
    secrets = audit.verify()
    assert secrets["tokens_checked"] > 0
    resent = [r for t in trials for p in ("v1", "v2") if p in t for r in t[p]["resent_per_crash"]]
    figures.record(
        "crash_resume",
        {
            "trials": len(trials),
            "kills": kills,
            "products_per_feed": SIZES.crash_products,
            "batch_size": BATCH_SIZE,
            "concurrency": CONCURRENCY,
            "window": WINDOW,
            "max_resent_per_crash": max(resent, default=0),
            "mean_resent_per_crash": round(sum(resent) / len(resent), 1) if resent else 0,
            "wall_s": round(time.monotonic() - started, 1),
            "secrets_audit": secrets,
            "per_trial": {str(t["trial"]): t for t in trials},
        },
    )
