"""Delta sync: send, refresh before expiry, or skip."""

from __future__ import annotations

import hashlib

import pytest

from criteo_catalog_sdk.push.delta import DAY, REFRESH_SPREAD_DAYS, Delta, decide, refresh_interval
from criteo_catalog_sdk.push.journal import SyncedRow
from criteo_catalog_sdk.push.validation import validate_product
from criteo_catalog_sdk.push.wire import EntryBuilder, PreparedEntry, canonical_json

from .conftest import product

B = EntryBuilder(1)


def entry(pid: str = "A", **over: object) -> PreparedEntry:
    e = B.insert(1, product(id=pid, **over))
    assert isinstance(e, PreparedEntry)
    return e


def row(e: PreparedEntry, synced_at: float = 0.0, expires_at: float | None = None) -> SyncedRow:
    assert e.digest is not None
    return SyncedRow(e.key, e.product_id, e.digest, synced_at, expires_at)


def legacy_row(pid: str = "A", synced_at: float = 0.0, **over: object) -> SyncedRow:
    """The row a state file written before XXH3 holds: the first 16 bytes of SHA-256 of the canonical JSON."""
    normalized, _ = validate_product(product(id=pid, **over))
    assert normalized is not None
    digest = hashlib.sha256(canonical_json(normalized)).digest()[:16]
    return SyncedRow(pid.lower(), pid, digest, synced_at, None)


def test_new_changed_and_deleted_products_are_sent() -> None:
    e = entry()
    assert decide(e, None, 0, None) is Delta.SEND
    assert decide(e, row(entry(title="other")), 0, None) is Delta.SEND
    d = B.delete(2, "A")
    assert isinstance(d, PreparedEntry) and decide(d, row(e), 0, None) is Delta.SEND


@pytest.mark.parametrize(
    ("stored", "age_days", "expected"),
    [({}, 1, Delta.UNCHANGED), ({}, 26, Delta.REFRESH), ({"title": "before"}, 1, Delta.SEND),
     ({"price": {"value": "1.00", "currency": "EUR"}}, 1, Delta.SEND), ({"channel": "online"}, 1, Delta.UNCHANGED)],
)  # fmt: skip
def test_legacy_sha256_digests_of_older_state_files_are_still_understood(
    stored: dict[str, object], age_days: float, expected: Delta
) -> None:
    # Unchanged products are not resent because their state predates the hash; changed ones are.
    assert decide(entry(), legacy_row(**stored), age_days * DAY, None) is expected


@pytest.mark.parametrize(
    ("age_days", "refresh_after", "expected"),
    [(1, None, Delta.UNCHANGED), (19.9, None, Delta.UNCHANGED), (25.1, None, Delta.REFRESH), (3, 2.0, Delta.REFRESH),
     (1.9, 2.0, Delta.UNCHANGED)],
)  # fmt: skip
def test_unchanged_products_are_refreshed_before_they_expire(
    age_days: float, refresh_after: float | None, expected: Delta
) -> None:
    e = entry()
    assert decide(e, row(e, synced_at=0.0), age_days * DAY, refresh_after) is expected


def test_an_earlier_expiration_date_comes_first() -> None:
    e = entry()
    assert decide(e, row(e, 0.0, expires_at=5 * DAY), 4 * DAY, None) is Delta.UNCHANGED
    assert decide(e, row(e, 0.0, expires_at=5 * DAY), 5 * DAY, None) is Delta.REFRESH


def test_the_default_interval_is_spread_deterministically_between_20_and_25_days() -> None:
    intervals = [refresh_interval(f"sku-{i}") / DAY for i in range(2_000)]
    low, high = REFRESH_SPREAD_DAYS
    assert all(low <= d < high for d in intervals)
    assert max(intervals) - min(intervals) > 4.5  # spread over the range, not one day
    assert len({round(d) for d in intervals}) >= 5
    assert refresh_interval("sku-1") == refresh_interval("sku-1")  # the same on every run
    assert refresh_interval("sku-1", 3.0) == 3 * DAY
