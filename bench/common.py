"""What every benchmark shares: the result record, medians of interleaved runs, child processes.

Rules (issue 8): every figure is the median of at least :data:`MIN_RUNS` runs (``--smoke`` runs are
the exception: one tiny run, to prove the code works, never to judge a goal); every comparison is
measured in one process run, with the runs of both sides interleaved (A B, B A, A B, ...), as the
median of the per-round ratios (:func:`paired_ratio`), so that a change of machine load hits both
sides of a ratio alike.
"""

from __future__ import annotations

import gc
import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # the measured child processes (B5) import this module: keep it light
    from criteo_catalog_sdk.simulator.runner import ServerProcess

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
#: Runs per figure in a full benchmark run.
MIN_RUNS = 5

Comparison = Literal["<=", ">=", "<"]


@dataclass(frozen=True, slots=True)
class Goal:
    """A goal on a result's value: ``value <op> target`` (``None``: no goal, the figure is informational)."""

    op: Comparison | None
    target: float = 0.0
    text: str = ""

    def met(self, value: float) -> bool:
        """Whether ``value`` reaches the goal (always true without a goal)."""
        if self.op is None:
            return True
        if not math.isfinite(value):
            return False
        if self.op == "<=":
            return value <= self.target
        if self.op == ">=":
            return value >= self.target
        return value < self.target

    def __str__(self) -> str:
        if self.text:
            return self.text
        return "none" if self.op is None else f"{self.op} {self.target:g}"


@dataclass(slots=True)
class BenchResult:
    """One benchmark's outcome, as written to ``bench/results.json``.

    ``value``/``unit`` is the headline figure, ``goal`` what it must reach, ``met`` whether it does (a
    benchmark with several goals meets only if all are met), ``detail`` what was measured and how, in
    a sentence or two; ``metrics`` holds the secondary figures and ``runs`` the raw samples.
    """

    key: str
    title: str
    value: float
    unit: str
    goal: str
    met: bool
    detail: str
    metrics: dict[str, Any] = field(default_factory=dict)
    runs: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0

    @classmethod
    def judged(
        cls,
        key: str,
        title: str,
        value: float,
        unit: str,
        goal: Goal,
        detail: str,
        metrics: dict[str, Any],
        runs: dict[str, list[float]],
        *,
        started: float,
    ) -> BenchResult:
        """The result of a benchmark with one goal: ``goal`` says whether ``value`` meets it; ``started``, the
        ``time.perf_counter()`` reading the benchmark began at, gives its duration."""
        return cls(
            key, title, value, unit, str(goal), goal.met(value), detail, metrics, runs, time.perf_counter() - started
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON object of this result (the documented keys first)."""
        return {
            "value": _finite(self.value),
            "unit": self.unit,
            "goal": self.goal,
            "met": self.met,
            "detail": self.detail,
            "title": self.title,
            "metrics": {k: _finite(v) if isinstance(v, float) else v for k, v in self.metrics.items()},
            "runs": {k: [_finite(x) for x in v] for k, v in self.runs.items()},
            "seconds": round(self.seconds, 1),
        }


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def median(samples: Sequence[float]) -> float:
    """The median of ``samples`` (NaN for none)."""
    return statistics.median(samples) if samples else math.nan


def interleaved(
    sides: dict[str, Callable[[], float]], runs: int, *, collect: bool = True
) -> tuple[dict[str, float], dict[str, list[float]]]:
    """Run each side ``runs`` times, alternating sides, and return the medians and the samples.

    Each callable returns one sample (seconds, a rate...). Odd rounds run the sides in reverse order
    (A B, B A, A B...), so that neither side always runs first or right after the other. ``collect`` runs
    the garbage collector before every sample, so that one side does not pay for the other's garbage.
    """
    samples: dict[str, list[float]] = {name: [] for name in sides}
    order = list(sides.items())
    for round_ in range(runs):
        for name, fn in order if round_ % 2 == 0 else order[::-1]:
            if collect:
                gc.collect()
            samples[name].append(fn())
    return {name: median(values) for name, values in samples.items()}, samples


@contextmanager
def outside_collector() -> Iterator[None]:
    """Keep the objects alive now (a benchmark's input: 100,000 product dicts, millions of objects) out
    of the garbage collector's passes while the block runs (``gc.freeze``). A push streams its input, so
    its collector never walks a whole catalog; a benchmark holding one would otherwise time those walks,
    and they dwarf a fast floor (``orjson.dumps``: 0.5 us/product alone, 1.3-2 us with the walks)."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def paired_ratio(numerator: Sequence[float], denominator: Sequence[float]) -> float:
    """The median of the per-round ratios ``numerator[i] / denominator[i]`` of two interleaved sides.

    Samples of one round ran back to back, under the same machine load: their ratio cancels most of the
    load's drift, which a ratio of the two medians would not.
    """
    return median([n / d for n, d in zip(numerator, denominator, strict=True) if d > 0])


def cpu_time(fn: Callable[[], object]) -> float:
    """CPU seconds this process spends in ``fn()`` (all threads)."""
    started = time.process_time()
    fn()
    return time.process_time() - started


def wall_time(fn: Callable[[], object]) -> float:
    """Wall-clock seconds of ``fn()``."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def load_average() -> tuple[float, float, float]:
    """The 1, 5 and 15 minute load averages (zeros where the OS has none)."""
    try:
        return os.getloadavg()
    except OSError:  # pragma: no cover - not on Linux/macOS
        return (0.0, 0.0, 0.0)


def child_env() -> dict[str, str]:
    """The environment of benchmark child processes: the repository importable, output unbuffered."""
    path = os.environ.get("PYTHONPATH", "")
    return {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": str(ROOT) + (os.pathsep + path if path else ""),
    }


def server_process(args: Sequence[str]) -> ServerProcess:
    """A server of the benchmarks (``python ARGS``) in a child process, the repository importable."""
    from criteo_catalog_sdk.simulator.runner import ServerProcess

    return ServerProcess([PYTHON, *args], env=child_env(), cwd=ROOT)


def fmt(value: float, digits: int = 2) -> str:
    """A number for the table: thousands separated, ``digits`` decimals below 100."""
    if not math.isfinite(value):
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"
