"""The expiry rule: 30 days after the last update, or the product's expirationDate (up to a year)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from criteo_catalog_sdk.push.wire import expiration_of as parse_expiration
from criteo_catalog_sdk.simulator.expiry import DAY, expires_at

UPDATED = datetime(2026, 12, 1, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-11", datetime(2026, 12, 11, tzinfo=UTC)),
        ("2026-12-11T12:30:00", datetime(2026, 12, 11, 12, 30, tzinfo=UTC)),
        ("2026-12-11T12:30:00Z", datetime(2026, 12, 11, 12, 30, tzinfo=UTC)),
        ("2026-12-11T13:30:00+01:00", datetime(2026, 12, 11, 12, 30, tzinfo=UTC)),
        (" 2026-12-11 ", datetime(2026, 12, 11, tzinfo=UTC)),
    ],
)
def test_iso_dates_and_date_times(value: str, expected: datetime) -> None:
    assert parse_expiration(value) == expected.timestamp()


@pytest.mark.parametrize("value", [None, "", "  ", "11/12/2026", "next week", "2026-02-30", 20261211, ["2026-12-11"]])
def test_unreadable_expiration_dates(value: object) -> None:
    assert parse_expiration(value) is None


@pytest.mark.parametrize(
    ("expiration", "lifetime_days"),
    [
        (None, 30),  # no expirationDate: 30 days
        ("not a date", 30),  # unreadable: ignored
        ("2026-12-11", 10),  # earlier than 30 days: honoured
        ("2027-01-30", 60),  # later than 30 days: honoured...
        ("2027-12-01", 365),  # ... up to a year
        ("2030-01-01", 365),  # capped at a year
        ("2026-11-01", 0),  # already past: leaves as soon as it lands
    ],
)
def test_when_a_product_leaves(expiration: str | None, lifetime_days: int) -> None:
    product = {"id": "a"} if expiration is None else {"id": "a", "expirationDate": expiration}
    assert expires_at(product, UPDATED) == UPDATED + lifetime_days * DAY
