"""``criteo-catalog simulator``: its optional dependency breaks only itself, in one line."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import MERCHANT_CENTER, one_line


def test_a_missing_simulator_extra_breaks_only_the_simulator() -> None:
    blocked = (
        "import sys; sys.modules['uvicorn'] = None; sys.argv[0] = 'criteo-catalog'; "
        "from criteo_catalog_sdk.cli import main; main()"
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", blocked, *args], capture_output=True, text=True, check=False)

    validate = run("validate", MERCHANT_CENTER, "--json")
    assert validate.returncode == 1 and json.loads(validate.stdout)["counts"]["valid"] == 11
    simulator = run("simulator", "--port", "0")
    assert simulator.returncode == 2
    assert "the simulator needs its extra (uvicorn is missing)" in one_line(simulator.stderr)
