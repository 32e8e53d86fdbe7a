"""A push run by a command, as a real ``criteo-catalog`` process: Ctrl-C, an unreachable API."""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

from .conftest import (
    ENTRY_POINT,
    EXAMPLE,
    closed_port,
    credentials,
    interrupt_midway,
    one_line,
    products,
    run_cli,
    write_feed,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def accepted_batches(state: Path) -> int:
    if not state.exists():
        return 0
    db = sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=5)
    try:
        return int(db.execute("SELECT COUNT(*) FROM batches WHERE token IS NOT NULL").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        db.close()


@pytest.mark.parametrize("as_json", [False, True])
def test_ctrl_c_during_a_push_exits_130_in_one_line_and_the_push_resumes(
    sim: CriteoSimulator, tmp_path: Path, as_json: bool
) -> None:
    state = tmp_path / "state.db"
    command = [ENTRY_POINT, *credentials(sim), "push", EXAMPLE, "--merchant-id", str(sim.merchant_id)]
    command += ["--state", str(state), "--batch-size", "100", "--rate-limit", "400", "--first-poll", "0.3"]
    command += ["--json"] if as_json else []
    code, stdout, stderr = interrupt_midway(command, lambda: accepted_batches(state) >= 1)
    assert code == 130, stderr.decode()
    line = one_line(stderr.decode())
    assert line == f"interrupted: the journal is consistent (state {state}); run the same command again to resume"
    if as_json:
        data = json.loads(stdout)
        assert (data["command"], data["exitCode"], data["error"]["type"]) == ("push", 130, "Interrupted")
    else:
        assert b"Traceback" not in stdout
    resumed = run_cli(*command[1:], "--rate-limit", "3000", *([] if as_json else ["--json"]))
    assert resumed.code == 1, resumed.stderr  # the feed's 9 broken products
    data = json.loads(resumed.stdout)
    assert data["resumed"] and data["counts"]["upserted"] == 1990


def test_an_unreachable_api_exits_3_naming_the_url(tmp_path: Path) -> None:
    port = closed_port()
    feed = write_feed(tmp_path / "f.jsonl", products(2))
    url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    done = run_cli("--base-url", url, "--client-id", "a", "--client-secret", "b", "--retry-deadline", "1",
                   "push", feed, "--merchant-id", "5", timeout=30)  # fmt: skip
    assert time.monotonic() - started < 10
    assert done.code == 3
    line = one_line(done.stderr)
    assert line.startswith("Error: push stopped: POST ") and url in line and "ConnectError" in line
    assert "gave up" in line or "deadline" in line
    report = run_cli("--base-url", url, "--client-id", "a", "--client-secret", "b", "--retry-deadline", "1",
                     "report", "token", "--json")  # fmt: skip
    assert report.code == 3 and url in one_line(report.stderr)
    assert json.loads(report.stdout)["error"]["type"] == "TransportError"
