"""The README's Python examples run as written, against the simulator over loopback.

Only the environment changes: ``CRITEO_*`` point at the simulator, and the working directory holds
``catalog.jsonl`` and ``merchant_center.xml`` (copies of the examples).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

ROOT = Path(__file__).resolve().parents[2]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


@pytest.fixture
def readme_env(criteo_simulator: CriteoSimulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CRITEO_API_URL", criteo_simulator.base_url)
    monkeypatch.setenv("CRITEO_CLIENT_ID", criteo_simulator.client_id)
    monkeypatch.setenv("CRITEO_CLIENT_SECRET", criteo_simulator.client_secret)
    shutil.copy(ROOT / "examples" / "catalog.jsonl", tmp_path / "catalog.jsonl")
    shutil.copy(ROOT / "examples" / "merchant_center.xml", tmp_path / "merchant_center.xml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_block(index: int) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": f"readme_block_{index}"}
    exec(compile(BLOCKS[index], f"README.md python block {index}", "exec"), namespace)
    return namespace


def test_the_readme_has_the_examples_this_module_runs() -> None:
    assert len(BLOCKS) == 5


def test_client_example(readme_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_block(0)
    assert capsys.readouterr().out.split()[:2] == ["VALIDATED", "1"]


def test_push_example(readme_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_block(1)
    out = capsys.readouterr().out
    assert "'total': 2000" in out and "'rejectedClient': 9" in out and "'upserted': 1990" in out
    outcomes = (readme_env / "outcomes.csv").read_text(encoding="utf-8").splitlines()
    assert len(outcomes) == 2001  # a header and one row per input line
    assert (readme_env / "catalog.sqlite3").exists()


def test_simulator_fixture_example(criteo_simulator: CriteoSimulator) -> None:
    run_block(2)["test_my_sync"](criteo_simulator)
    assert [r["status"] for r in criteo_simulator.control.requests("batch")] == [503, 202]


def test_many_merchants_example(readme_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_block(3)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["123", "456"]
    assert "'upserted': 1990" in lines[0] and "'upserted': 11" in lines[1]
    assert (readme_env / "state-123.sqlite3").exists() and (readme_env / "state-456.sqlite3").exists()


def test_feeds_example(readme_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_block(4)
    out = capsys.readouterr().out
    assert "'total': 12" in out and "'upserted': 11" in out and "'rejectedClient': 1" in out
    assert "{'g:ships_from_country': 3}" in out and "(3 items) maps to no Criteo Product field" in out
