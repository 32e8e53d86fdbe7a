"""What the stats endpoint counts over a merchant's catalog, kept up to date incrementally (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class CatalogCounters:
    """Counters over a merchant's whole catalog."""

    total: int = 0
    missing_description: int = 0
    missing_price: int = 0
    out_of_stock: int = 0
    variant: int = 0
    non_displayable: int = 0


@dataclass(slots=True)
class WindowCounters:
    """Changes applied within the stats window."""

    added: int = 0
    updated: int = 0
    deleted: int = 0


# Catalog flags kept per product so that stats never rescan a catalog.
MISSING_DESCRIPTION = 1
MISSING_PRICE = 2
OUT_OF_STOCK = 4
VARIANT = 8


def product_flags(product: Mapping[str, Any]) -> int:
    """The stats flags of a catalogued product."""
    flags = 0
    description = product.get("description")
    if not (isinstance(description, str) and description.strip()):
        flags |= MISSING_DESCRIPTION
    price = product.get("price")
    if not (isinstance(price, dict) and price.get("value")):
        flags |= MISSING_PRICE
    availability = product.get("availability")
    if isinstance(availability, str) and availability.strip().lower().replace("_", " ") == "out of stock":
        flags |= OUT_OF_STOCK
    if product.get("itemGroupId"):
        flags |= VARIANT
    return flags


def count_flags(counters: CatalogCounters, flags: int, sign: int) -> None:
    """Add (sign=1) or remove (sign=-1) one product with ``flags`` from ``counters``."""
    counters.total += sign
    if flags & MISSING_DESCRIPTION:
        counters.missing_description += sign
    if flags & MISSING_PRICE:
        counters.missing_price += sign
    if flags & OUT_OF_STOCK:
        counters.out_of_stock += sign
    if flags & VARIANT:
        counters.variant += sign
    # Not displayable: nothing to show a price for, or nothing to sell.
    if flags & (MISSING_PRICE | OUT_OF_STOCK):
        counters.non_displayable += sign
