"""What the hostile-input tests share: the watchdog that turns a hang into a failure, the dry-run push
that accounts for every item, the hypothesis settings, and the counters their figures are made of."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from criteo_catalog_sdk.push import pipeline
from criteo_catalog_sdk.push.feeds import FeedError, FeedItem, FeedRecord
from criteo_catalog_sdk.push.options import PushOptions
from criteo_catalog_sdk.push.validation import validate_product

from ._support import SIZES

T = TypeVar("T")
BUDGET = 30.0  # seconds per example, far above the slowest seen (a hang, not slowness, trips it)
STATS: Counter[str] = Counter()
SLOWEST: dict[str, float] = {}

HYPOTHESIS = settings(
    max_examples=SIZES.hypothesis_examples,
    deadline=None,  # the watchdog catches hangs; wall-clock deadlines are flaky on shared CI runners
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    database=None,
    derandomize=False,
)


def within_budget(label: str, fn: Callable[[], T]) -> T:
    """Run ``fn`` on a watchdog thread; fail if it does not finish within :data:`BUDGET`."""
    box: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            box.append(fn())
        except BaseException as exc:  # re-raised below, with the example
            failure.append(exc)

    started = time.perf_counter()
    thread = threading.Thread(target=target, name=f"watchdog-{label}", daemon=True)
    thread.start()
    thread.join(BUDGET)
    assert not thread.is_alive(), f"{label}: no answer after {BUDGET:.0f} s (a hang)"
    SLOWEST[label] = max(SLOWEST.get(label, 0.0), time.perf_counter() - started)
    if failure:
        raise failure[0]
    return box[0]


def dry_run(items: list[FeedItem]) -> dict[str, Any]:
    """Push the items through the whole pipeline without sending anything (validation, wire, journal)."""

    async def run() -> dict[str, Any]:
        job = pipeline.MerchantPush(1, items, options=PushOptions(dry_run=True, batch_size=50))
        result = await pipeline.push(None, job)
        with result:
            positions = Counter(o.position for o in result)
            return {"summary": result.summary, "positions": positions}

    return asyncio.run(run())


def check_items(label: str, items: list[FeedItem]) -> None:
    """Every record validates without an exception; the dry run gives one outcome per item."""
    for item in items:
        assert isinstance(item, FeedRecord | FeedError)
        if isinstance(item, FeedRecord):
            assert isinstance(item.product, dict)
            norm, issues = validate_product(item.product)
            assert (norm is None) == bool(issues), (item.line, issues)
            STATS[f"{label}_records"] += 1
            STATS[f"{label}_valid" if norm is not None else f"{label}_invalid"] += 1
        else:
            assert item.message
            STATS[f"{label}_errors"] += 1
    outcome = dry_run(items)
    assert outcome["summary"].total == len(items)
    assert outcome["positions"] == Counter(item.line for item in items)
    STATS[f"{label}_examples"] += 1


# Any JSON value, for fields and bodies that should hold something else.
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
