"""When a catalogued product expires (pure).

Facts section 3: "a product expires 30 days after its last update unless expirationDate says otherwise
(up to 1 year)". The simulator reads it so:

- the clock of a product starts when an accepted upsert of it is applied (its operation's ``done_at``);
  re-sending it, even unchanged, restarts it;
- without a readable ``expirationDate`` it leaves the catalog 30 days later;
- with one (ISO 8601 date, midnight UTC, or date-time, naive meaning UTC) it leaves at that moment,
  earlier or later than 30 days, but never more than a year after the update; an ``expirationDate``
  already past makes it leave as soon as it lands (it still counts as upserted in the report);
- an ``expirationDate`` that is not ISO 8601 is ignored (30 days), as Criteo documents no error for it.

An expired product leaves the catalog and every stats counter; the stats window counts it as
``deleted`` at its expiry time (the only field of the stats record for products that left).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from criteo_catalog_sdk.push.delta import DAY
from criteo_catalog_sdk.push.wire import expiration_of  # the SDK's reading of expirationDate, shared

DEFAULT_LIFETIME_SECONDS = 30 * DAY
MAX_LIFETIME_SECONDS = 365 * DAY


def expires_at(product: Mapping[str, Any], updated_at: float) -> float:
    """When a product upserted at ``updated_at`` leaves the catalog."""
    explicit = expiration_of(product.get("expirationDate"))
    if explicit is None:
        return updated_at + DEFAULT_LIFETIME_SECONDS
    return max(updated_at, min(explicit, updated_at + MAX_LIFETIME_SECONDS))
