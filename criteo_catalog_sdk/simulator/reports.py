"""The JSON bodies of the report and stats answers, in either response shape.

``documented`` (default) mirrors Criteo's examples: reports without ``warningDetails`` and
``numberOfProductsWithWarnings``, counters as strings; stats counters as integers (Criteo's stats page
types them as 64-bit integers). ``spec`` carries every field the published spec requires, counters
typed as it types them (strings).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from criteo_catalog_sdk.simulator.catalog import CatalogCounters, WindowCounters
from criteo_catalog_sdk.simulator.operations import TERMINAL, Operation, ProductIssues

ResponseShape = Literal["documented", "spec"]
SHAPES: tuple[ResponseShape, ...] = ("documented", "spec")


def _details(items: list[ProductIssues], key: str) -> list[dict[str, Any]]:
    return [
        {"productId": pid, key: [{"type": t, "message": m, "isServerRelated": False} for t, m in issues]}
        for pid, issues in items
    ]


def render_report(operation: Operation, now: float, shape: ResponseShape) -> dict[str, Any]:
    """The report of ``operation`` as seen at ``now``."""
    status = operation.status_at(now)
    done = status in TERMINAL
    body: dict[str, Any] = {
        "status": status,
        "importRequestTimestamp": str(int(operation.created_at * 1000)),
        "numberOfProductsInTheBatch": str(operation.products),
        "numberOfProductsUpserted": str(operation.upserted if done else 0),
        "numberOfProductsDeleted": str(operation.deleted if done else 0),
        "numberOfProductsWithErrors": str(len(operation.errors) if done else 0),
    }
    if shape == "spec":
        body["numberOfProductsWithWarnings"] = str(len(operation.warnings) if done else 0)
    body["errorDetails"] = _details(operation.errors, "errors") if done else []
    if shape == "spec":
        body["warningDetails"] = _details(operation.warnings, "warnings") if done else []
    return body


def iso8601(epoch: float) -> str:
    """RFC 3339 UTC date-time with a Z."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def render_stats(
    catalog: CatalogCounters, window: WindowCounters, start: float, end: float, shape: ResponseShape
) -> dict[str, Any]:
    """The stats body: one record covering ``start``..``end``."""
    displayable = catalog.total - catalog.non_displayable
    counters = {
        "added": window.added,
        "blacklisted": 0,
        "deleted": window.deleted,
        "displayable": displayable,
        "missingDescription": catalog.missing_description,
        "missingImage": 0,  # products without an image are rejected (MissingImages), never catalogued
        "missingName": 0,
        "missingPrice": catalog.missing_price,
        "missingUrl": 0,
        "nonDisplayable": catalog.non_displayable,
        "outOfStock": catalog.out_of_stock,
        "total": catalog.total,
        "updated": window.updated,
        "variant": catalog.variant,
    }
    record: dict[str, Any] = {k: (str(v) if shape == "spec" else v) for k, v in counters.items()}
    record["startDate"] = iso8601(start)
    record["endDate"] = iso8601(end)
    return {"data": {"statisticsRecordList": [record]}, "errors": [], "warnings": []}
