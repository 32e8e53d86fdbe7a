"""What an import loads, seen from a fresh interpreter (the test process has loaded everything already)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable


def loaded_by(statement: str, modules: Iterable[str]) -> list[str]:
    """Which of ``modules`` a fresh interpreter holds after running ``statement`` (its imports), sorted."""
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(set({sorted(modules)!r}) & set(sys.modules))))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))
