"""Shared helpers of the simulator tests."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from criteo_catalog_sdk.simulator.clock import AdjustableClock, ManualClock
from criteo_catalog_sdk.simulator.config import Settings
from criteo_catalog_sdk.simulator.faults import FaultPlan
from criteo_catalog_sdk.simulator.service import CatalogService
from criteo_catalog_sdk.simulator.state import MemoryStore
from criteo_catalog_sdk.simulator.validation import BatchValidator

# Seed 001, "Examples for the batch endpoint", 202 request.
DOCUMENTED_PRODUCT: dict[str, Any] = {
    "id": "id",
    "title": "myTitle",
    "description": "myDescription",
    "link": "https://www.advertiser.com/myProduct",
    "imageLink": "https://www.advertiser.com/300x200/myProduct",
    "brand": "",
    "googleProductCategory": None,
    "gtin": "123456789",
    "price": {"currency": "EUR", "value": "49.99"},
    "availability": "in stock",
}
DOCUMENTED_BATCH: dict[str, Any] = {
    "entries": [
        {"batchId": 0, "merchantId": "123", "method": "insert", "product": DOCUMENTED_PRODUCT, "feedId": "string"}
    ]
}
START = 1_700_000_000.0


def documented_batch() -> dict[str, Any]:
    return copy.deepcopy(DOCUMENTED_BATCH)


def product(product_id: str, **fields: Any) -> dict[str, Any]:
    base = {
        "id": product_id,
        "title": f"Title of {product_id}",
        "link": f"https://shop.example/p/{product_id}",
        "imageLink": f"https://shop.example/i/{product_id}.jpg",
        "channel": "online",
    }
    base.update(fields)
    return base


def insert(product_id: str, merchant: int = 123, **fields: Any) -> dict[str, Any]:
    return {"merchantId": merchant, "method": "insert", "product": product(product_id, **fields)}


def delete(product_id: str, merchant: int = 123) -> dict[str, Any]:
    return {"merchantId": merchant, "method": "delete", "productId": product_id}


@pytest.fixture(scope="session")
def validator() -> BatchValidator:
    return BatchValidator.from_spec()


@pytest.fixture
def manual_clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def make_service(manual_clock: ManualClock, validator: BatchValidator) -> Any:
    """A transport-free service on a manual clock."""

    def make(**settings: Any) -> CatalogService:
        return CatalogService(
            settings=Settings(**settings),
            store=MemoryStore(),
            clock=AdjustableClock(manual_clock),
            faults=FaultPlan(),
            validator=validator,
        )

    return make
