"""Shared helpers of the simulator tests."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from criteo_catalog_sdk.api_versions import ApiVersion, get_api_version
from criteo_catalog_sdk.simulator.clock import AdjustableClock, ManualClock
from criteo_catalog_sdk.simulator.config import Settings
from criteo_catalog_sdk.simulator.faults import FaultPlan
from criteo_catalog_sdk.simulator.generations import Generation, build_generations
from criteo_catalog_sdk.simulator.memory_store import MemoryStore
from criteo_catalog_sdk.simulator.replies import Reply
from criteo_catalog_sdk.simulator.routes import RouteTable
from criteo_catalog_sdk.simulator.service import CatalogService
from criteo_catalog_sdk.simulator.validation import BatchValidator
from tests.documented_examples import DOCUMENTED_BATCH

START = 1_700_000_000.0


def _as_dated_release(document: Any) -> dict[str, Any]:
    """A preview document moved to the 2027-01 release candidate's shape (facts section 8): new prefix,
    report path parameter ``id``, no statistics operation, merchantId a JSON string."""
    text = json.dumps(document).replace("/preview/catalog/", "/2027-01/marketing-solutions/catalog/")
    moved: dict[str, Any] = json.loads(text.replace("{operation-token}", "{id}"))
    for item in moved["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("name") == "operation-token":
                    parameter["name"] = "id"
    moved["paths"] = {path: item for path, item in moved["paths"].items() if "/stats/" not in path}
    entry = moved["components"]["schemas"]["ProductsCustomBatchRequestEntry"]["properties"]
    entry["merchantId"] = {"type": "string", "x-criteo-error-name": "merchantId"}
    return moved


def dated_release() -> ApiVersion:
    """A synthetic 2027-01-like generation, its published and effective specs derived from preview's."""
    preview = get_api_version("preview")
    return ApiVersion("2027-01", published=_as_dated_release(preview.published), spec=_as_dated_release(preview.spec))


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
    return BatchValidator.for_version("preview")


@pytest.fixture(scope="session")
def generations() -> dict[str, Generation]:
    return build_generations()


@pytest.fixture
def manual_clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def make_service(manual_clock: ManualClock, generations: dict[str, Generation]) -> Any:
    """A transport-free service on a manual clock."""

    def make(**settings: Any) -> CatalogService:
        return CatalogService(
            settings=Settings(**settings),
            store=MemoryStore(),
            clock=AdjustableClock(manual_clock),
            faults=FaultPlan(),
            generations=generations,
        )

    return make


_ROUTES: dict[str, RouteTable] = {}


def api_call(service: CatalogService, token: str | None, path: str, body: Any = None, query: str = "") -> Reply:
    """One API call as the ASGI app makes it: the route matched from the path among the service's generations
    (``token`` None: no Authorization header)."""
    key = ",".join(service.generations)
    table = _ROUTES.get(key)
    if table is None:
        table = _ROUTES[key] = RouteTable(g.version for g in service.generations.values())
    raw = b"" if body is None else json.dumps(body).encode()
    authorization = None if token is None else f"Bearer {token}"
    return service.api_call(table.match(path), authorization, path, query, raw)
