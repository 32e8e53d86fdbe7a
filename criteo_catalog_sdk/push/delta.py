"""Delta sync decisions, pure: send a product, refresh it before it expires, or skip it as unchanged.

The state (:mod:`criteo_catalog_sdk.push.journal.synced`) holds, per product Criteo is known to hold,
the content hash of the version it confirmed (either format:
:func:`~criteo_catalog_sdk.push.wire.same_content`), when it confirmed it, and the product's
``expirationDate``. Criteo expires a product 30 days after its last update unless its
``expirationDate`` says otherwise (facts section 3), so a catalog kept in sync by sending only changes
would empty itself after a month. A product is therefore:

- **sent** when it is new, changed, or its version at Criteo is unknown (no usable row);
- **refreshed** (sent as it is) once its last confirmed upsert is older than ``refresh_after`` days,
  by default a per-product interval spread deterministically between 20 and 25 days (so that the
  refreshes of a catalog pushed in one day do not all fall on one later day), or sooner when its
  ``expirationDate`` comes first;
- **unchanged** (not sent) otherwise.
"""

from __future__ import annotations

import enum
import hashlib
from typing import Final

from criteo_catalog_sdk.push.journal.synced import SyncedRow
from criteo_catalog_sdk.push.wire import PreparedEntry, expiration_of, same_content

__all__ = ["DAY", "REFRESH_SPREAD_DAYS", "Delta", "decide", "expiration_of", "refresh_interval"]

DAY: Final = 86_400.0
#: The default refresh interval of a product lies between these many days (Criteo expires at 30).
REFRESH_SPREAD_DAYS: Final = (20.0, 25.0)


class Delta(enum.Enum):
    """What to do with a product on a delta push."""

    SEND = "send"
    REFRESH = "refresh"
    UNCHANGED = "unchanged"


def refresh_interval(key: str, refresh_after_days: float | None = None) -> float:
    """Seconds after its last confirmed upsert when a product is refreshed: ``refresh_after_days``, or
    a point between 20 and 25 days fixed by the product's key (the same on every run and machine)."""
    if refresh_after_days is not None:
        return refresh_after_days * DAY
    low, high = REFRESH_SPREAD_DAYS
    share = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") / 2**64
    return (low + (high - low) * share) * DAY


def decide(entry: PreparedEntry, synced: SyncedRow | None, now: float, refresh_after_days: float | None) -> Delta:
    """What delta sync does with one prepared entry, given the product's synced row (``None``: unknown)."""
    if entry.method != "insert" or synced is None or not same_content(entry, synced.digest):
        return Delta.SEND
    due = synced.synced_at + refresh_interval(entry.key, refresh_after_days)
    if synced.expires_at is not None:
        due = min(due, synced.expires_at)
    return Delta.REFRESH if now >= due else Delta.UNCHANGED
