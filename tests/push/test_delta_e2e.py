"""Delta sync keeps a catalog alive for months (issue 13): Criteo expires a product 30 days after its
last update, so a push that sends only changes must also re-send what has not changed in a while.

The simulator's clock and the state file's clock move together, a week at a time, over loopback; the
simulator applies expiry as Criteo documents it (``simulator/expiry.py``).
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

import pytest

from criteo_catalog_sdk import CatalogClient, PollPolicy
from criteo_catalog_sdk.push.journal import Journal
from criteo_catalog_sdk.push.validation import validate_product
from criteo_catalog_sdk.push.wire import canonical_json
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

from .conftest import product

DAY = 86_400.0
PRODUCTS = 60
WEEKS = 10  # 70 days: more than two lifetimes of an untouched product


class SharedClock:
    """Wall time plus the shift the test has applied to the simulator's clock too."""

    def __init__(self) -> None:
        self.shift = 0.0

    def __call__(self) -> float:
        return time.time() + self.shift


def weekly_pushes(sim: CriteoSimulator, state: Path, **options: object) -> list[tuple[int, int, int, int]]:
    """Push the same catalog every week (one product changes each week); per week: refreshed, upserted,
    unchanged, and products still in Criteo's catalog just before the next push."""
    clock = SharedClock()
    catalog = [product(id=f"P{i:03d}", title=f"Product {i}") for i in range(PRODUCTS)]
    weeks = []
    with CatalogClient(
        sim.client_id, sim.client_secret, base_url=sim.base_url, polling=PollPolicy(initial_delay=0.2, max_delay=0.5)
    ) as client:
        for week in range(WEEKS):
            catalog[week] = {**catalog[week], "title": f"Product {week}, week {week}"}
            with Journal(state, clock=clock) as journal:
                result = client.push(catalog, merchant_id=sim.merchant_id, state=journal, delta=True, **options)
                s = result.summary
                assert s.rejected == 0 and s.pending == 0, s
            sim.control.advance(7 * DAY)
            clock.shift += 7 * DAY
            weeks.append((s.refreshed, s.upserted, s.unchanged, len(sim.control.catalog(sim.merchant_id))))
    return weeks


def test_a_weekly_delta_push_keeps_every_product_alive(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    weeks = weekly_pushes(criteo_simulator, tmp_path / "state.db")
    assert weeks[0][:3] == (0, PRODUCTS, 0)
    # Nothing ever expires, a week after each push (the catalog is looked at just before the next one).
    assert [alive for *_, alive in weeks] == [PRODUCTS] * WEEKS
    # Unchanged products are re-sent between 20 and 25 days after their last upsert, spread over the
    # weeks rather than all at once: after day 0 every week sends the changed product and a share.
    refreshed = [r for r, *_ in weeks]
    assert refreshed[:3] == [0, 0, 0]  # days 0, 7, 14: nothing is 20 days old yet
    assert sum(refreshed) >= PRODUCTS  # each product at least once in 70 days
    assert max(refreshed) < PRODUCTS  # never the whole catalog in one push
    assert all(upserted >= 1 for _, upserted, *_ in weeks)  # the week's changed product


def test_without_refresh_the_same_pushes_let_products_expire(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    # The failure the refresh prevents, on the same simulator: refresh only after 400 days.
    weeks = weekly_pushes(criteo_simulator, tmp_path / "state.db", refresh_after=400)
    assert sum(r for r, *_ in weeks) == 0
    alive = [alive for *_, alive in weeks]
    assert alive[:3] == [PRODUCTS] * 3
    assert min(alive) < PRODUCTS // 2, alive  # after 30 days, only the products changed recently remain


@pytest.mark.parametrize("refresh_after", [7])
def test_refresh_after_sets_the_interval(
    criteo_simulator: CriteoSimulator, tmp_path: Path, refresh_after: float
) -> None:
    weeks = weekly_pushes(criteo_simulator, tmp_path / "state.db", refresh_after=refresh_after)
    # A week later every unchanged product is a week old: all of them are re-sent every week.
    assert [r + u for r, u, *_ in weeks[1:]] == [PRODUCTS] * (WEEKS - 1)


def sha256_state(state: Path, catalog: list[dict[str, object]]) -> None:
    """Make ``state`` what an SDK older than the XXH3 hash wrote: SHA-256 digests (16 bytes) in ``synced``."""
    with sqlite3.connect(state) as db:
        for p in catalog:
            normalized, _ = validate_product(p)
            assert normalized is not None
            legacy = hashlib.sha256(canonical_json(normalized)).digest()[:16]
            db.execute("UPDATE synced SET digest = ? WHERE key = ?", (legacy, str(p["id"]).lower()))


def digest_lengths(state: Path) -> dict[str, int]:
    with sqlite3.connect(state) as db:
        return dict(db.execute("SELECT key, length(digest) FROM synced"))


def test_a_state_file_with_sha256_digests_resends_only_what_changed(
    criteo_simulator: CriteoSimulator, tmp_path: Path
) -> None:
    sim, state, clock = criteo_simulator, tmp_path / "state.db", SharedClock()
    catalog = [product(id=f"L{i:02d}", title=f"Product {i}") for i in range(20)]

    def push() -> tuple[int, int, int]:
        with Journal(state, clock=clock) as journal:
            s = client.push(catalog, merchant_id=sim.merchant_id, state=journal, delta=True).summary
        assert s.rejected == 0 and s.pending == 0, s
        return s.upserted, s.refreshed, s.unchanged

    with CatalogClient(
        sim.client_id, sim.client_secret, base_url=sim.base_url, polling=PollPolicy(initial_delay=0.2, max_delay=0.5)
    ) as client:
        assert push() == (20, 0, 0)
        sha256_state(state, catalog)
        assert set(digest_lengths(state).values()) == {16}
        catalog[3] = {**catalog[3], "title": "Changed"}
        catalog[7] = {**catalog[7], "price": {"value": "1.00", "currency": "EUR"}}
        assert push() == (2, 0, 18)  # the unchanged products are not resent, the changed ones are
        lengths = digest_lengths(state)
        assert lengths.pop("l03") == lengths.pop("l07") == 17 and set(lengths.values()) == {16}
        sim.control.advance(26 * DAY)  # every product is due for its refresh: the state converges
        clock.shift += 26 * DAY
        assert push() == (0, 20, 0)
        assert set(digest_lengths(state).values()) == {17}
        assert push() == (0, 0, 20)
