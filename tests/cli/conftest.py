"""Helpers of the CLI tests: run ``criteo-catalog`` in process (CliRunner) or as a real subprocess, against
the simulator over loopback, and check ``--json`` outputs against the shipped JSON Schema."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from jsonschema import Draft202012Validator

from criteo_catalog_sdk.cli import main
from criteo_catalog_sdk.cli.output import output_schema
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator
from tests.push.conftest import product as full_product

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "catalog.jsonl")
MERCHANT_CENTER = str(ROOT / "examples" / "merchant_center.xml")
#: Reports of the test simulator are final 0.3 s after acceptance: poll from then on.
FAST = ["--first-poll", "0.3"]
ENTRY_POINT = str(Path(sys.executable).with_name("criteo-catalog"))
SCHEMA = output_schema()
_ROOT_VALIDATOR = Draft202012Validator(SCHEMA)


def product(**over: Any) -> dict[str, Any]:
    """A valid product with only the required fields and a price, with overrides."""
    optional: dict[str, Any] = {"description": None, "brand": None, "additionalImageLinks": None, "adult": None}
    return full_product(**{**optional, **over})


def products(n: int, prefix: str = "P", **over: Any) -> list[dict[str, Any]]:
    return [product(id=f"{prefix}{i}", title=f"Title {i}", **over) for i in range(n)]


def write_feed(path: Path, lines: list[Any]) -> str:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines), encoding="utf-8")
    return str(path)


def credentials(sim: CriteoSimulator) -> list[str]:
    return ["--base-url", sim.base_url, "--client-id", sim.client_id, "--client-secret", sim.client_secret]


def invoke(sim: CriteoSimulator | None, *args: str, input: str | bytes | None = None, env: Any = None) -> Result:
    """``criteo-catalog [credentials of sim] ARGS`` in process; exceptions are not caught (none may escape)."""
    head = [] if sim is None else credentials(sim)
    return CliRunner(env=env).invoke(main, [*head, *args], input=input, catch_exceptions=False)


def one_json(result: Result, definition: str) -> dict[str, Any]:
    """The one JSON object on stdout, valid against the schema (the whole and the given ``$defs`` entry)."""
    value = json.loads(result.stdout)  # exactly one JSON document: anything else makes this fail
    assert_schema(value, definition)
    assert value["exitCode"] == result.exit_code
    return value


def assert_schema(value: Any, definition: str) -> None:
    _ROOT_VALIDATOR.validate(value)
    Draft202012Validator({"$ref": f"#/$defs/{definition}", "$defs": SCHEMA["$defs"]}).validate(value)
    assert value["ok"] == (value["exitCode"] == 0)


def one_line(text: str) -> str:
    """The single line of ``text`` (a failure says one line on stderr, never a traceback)."""
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Completed:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, timeout: float = 60, env: dict[str, str] | None = None) -> Completed:
    """The real ``criteo-catalog`` entry point in a subprocess."""
    environ = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    done = subprocess.run([ENTRY_POINT, *args], capture_output=True, timeout=timeout, env=environ, check=False)
    return Completed(done.returncode, done.stdout.decode(), done.stderr.decode())


@pytest.fixture
def sim(criteo_simulator: CriteoSimulator) -> CriteoSimulator:
    """The simulator, without Criteo's application budget (tests make many calls in a row)."""
    criteo_simulator.control.configure(calls_per_minute=0)
    return criteo_simulator


def interrupt_midway(command: list[str], started: Callable[[], bool]) -> tuple[int, bytes, bytes]:
    """Run ``command``, send it SIGINT once ``started()`` holds (30 s at most); its exit code, stdout, stderr."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})
    try:
        deadline = time.monotonic() + 30
        while not started() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        assert proc.poll() is None, "the command ended before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    return proc.returncode, stdout, stderr


def interrupt_report_wait(sim: CriteoSimulator, token: str, *args: str) -> tuple[int, bytes, bytes]:
    """``report TOKEN --wait`` run by the entry point, sent Ctrl-C (SIGINT) once it polls the report (see
    :func:`interrupt_midway`)."""
    sim.control.clear_requests()
    command = [ENTRY_POINT, *credentials(sim), "report", token, "--wait", "--first-poll", "0.05", *args]
    return interrupt_midway(command, lambda: bool(sim.control.requests("report")))
