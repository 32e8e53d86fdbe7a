"""The figures recorder: each experiment's figures, printed, in the terminal summary and in
``reports/reliability.json``."""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ._support import MODE, REPORT_PATH, SEED, SIZES


class Figures:
    """Figures of the run: printed as they come, in the terminal summary, and in ``reports/reliability.json``
    (one section per mode, one entry per experiment, so a short run never overwrites a full run's)."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, Any]] = {}

    def record(self, name: str, figures: Mapping[str, Any]) -> None:
        """Keep (and print) an experiment's figures."""
        entry = {"recorded_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"), **figures}
        self.data[name] = entry
        print(f"\n[reliability {MODE}] {name}: {json.dumps(entry, sort_keys=True)}", file=sys.stderr)

    def lines(self) -> Iterator[str]:
        """Human-readable lines for the terminal summary."""
        for name, entry in self.data.items():
            shown = ", ".join(f"{k}={v}" for k, v in entry.items() if k != "recorded_at" and not isinstance(v, dict))
            yield f"{name}: {shown}"
            for k, v in entry.items():
                if isinstance(v, dict):
                    yield f"    {k}: {json.dumps(v, sort_keys=True)}"

    def save(self, path: Path = REPORT_PATH) -> None:
        """Merge this run's figures into the report file."""
        if not self.data:
            return
        try:
            existing = json.loads(path.read_text())
        except (OSError, ValueError):
            existing = {}
        if not isinstance(existing, dict):
            existing = {}
        section = existing.get(MODE) if isinstance(existing.get(MODE), dict) else {}
        results = section.get("results") if isinstance(section.get("results"), dict) else {}
        results.update(self.data)
        existing[MODE] = {
            "mode": MODE,
            "seed": SEED,
            "sizes": SIZES.__dict__,
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "updated_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "results": results,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(existing, indent=2, sort_keys=True) + "\n")


FIGURES = Figures()
