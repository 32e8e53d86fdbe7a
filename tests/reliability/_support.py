"""Shared settings of the reliability suite: its sizes, mode and seed, and the credentials it uses.

Sizes come from ``CRITEO_RELIABILITY``: ``full`` (``make reliability``: the issue's sizes) or anything
else, the default, for the short variant that ``make test`` and CI run. ``CRITEO_RELIABILITY_SEED``
changes the seed of every random choice (feeds, faults, kill moments, hypothesis).

The rest of the shared pieces: ``feeds`` (seeded feeds, their expected outcome, the accounting check),
``secret_audit`` (the secrets audit), ``figures`` (the figures recorder).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORT_PATH = ROOT / "reports" / "reliability.json"

MODE = "full" if os.environ.get("CRITEO_RELIABILITY", "").strip().lower() == "full" else "short"
FULL = MODE == "full"
SEED = int(os.environ.get("CRITEO_RELIABILITY_SEED", "20240917"))

# A distinctive secret (URL-safe, so that its form-encoded spelling is the same string) and the
# client it belongs to. The simulator accepts only this pair.
CLIENT_ID = "reliability-client"
SECRET = "Rel1ab-S3CRET-never-log-4e7f9c2a81"
STATIC_TOKEN = "reliability-static-token-5b21"
MERCHANT_ID = 4242


@dataclass(frozen=True)
class Sizes:
    """How big each experiment is."""

    soak_products: int
    soak_batch_size: int
    crash_trials: int
    crash_products: int
    crash_max_kills: int
    hypothesis_examples: int
    schemathesis_examples: int
    schemathesis_coverage: bool  # the coverage phase: ~850 requests whatever the examples


def _full_or_short(full: int, short: int) -> int:
    return full if FULL else short


SIZES = Sizes(
    soak_products=_full_or_short(50_000, 3_000),
    soak_batch_size=_full_or_short(1000, 250),
    crash_trials=_full_or_short(6, 2),
    crash_products=_full_or_short(10_000, 1_200),
    crash_max_kills=_full_or_short(3, 2),
    hypothesis_examples=_full_or_short(400, 40),
    schemathesis_examples=_full_or_short(100, 15),
    schemathesis_coverage=FULL,
)
