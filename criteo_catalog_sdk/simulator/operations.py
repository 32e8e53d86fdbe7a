"""Batch operations: what an accepted batch will do, and its status over time (pure)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from criteo_catalog_sdk.simulator.catalog import product_flags
from criteo_catalog_sdk.simulator.products import Issue, ProductLimits, check_id, check_product
from criteo_catalog_sdk.simulator.validation import merchant_id_of, product_key

ACCEPTED = "ACCEPTED"
IN_PROGRESS = "IN_PROGRESS"
VALIDATED = "VALIDATED"
VALIDATED_WITH_ERRORS = "VALIDATED_WITH_ERRORS"
FAILED = "FAILED"
TERMINAL = frozenset({VALIDATED, VALIDATED_WITH_ERRORS, FAILED})

# (merchant, lowercased id, product as sent or None for a delete, its stats flags)
Change = tuple[int, str, dict[str, Any] | None, int]
# (lowercased product id, [(type, message), ...])
ProductIssues = tuple[str, list[Issue]]


@dataclass(frozen=True, slots=True)
class Timing:
    """How long an operation stays in each state, and how long its report is kept."""

    accepted_seconds: float = 1.0
    processing_seconds: float = 2.0
    retention_seconds: float = 4 * 86400.0


@dataclass(slots=True)
class Operation:
    """One accepted batch and its outcome (fixed at acceptance, revealed when processing ends)."""

    operation_id: str
    merchant_id: int
    token: str
    client_id: str
    created_at: float
    in_progress_at: float
    done_at: float
    expires_at: float
    products: int
    upserted: int
    deleted: int
    errors: list[ProductIssues] = field(default_factory=list)
    warnings: list[ProductIssues] = field(default_factory=list)
    # Catalog changes not yet applied; None once applied (or never: an operation that was lost).
    changes: list[Change] | None = None
    lost: bool = False

    @property
    def final_status(self) -> str:
        """VALIDATED without errors, FAILED when every product has one, VALIDATED_WITH_ERRORS otherwise."""
        if not self.errors:
            return VALIDATED
        if len(self.errors) >= self.products:
            return FAILED
        return VALIDATED_WITH_ERRORS

    def status_at(self, now: float) -> str:
        """The status a report shows at time ``now``."""
        if now < self.in_progress_at:
            return ACCEPTED
        if now < self.done_at:
            return IN_PROGRESS
        return self.final_status

    def expired(self, now: float) -> bool:
        """Whether the report is past its retention."""
        return now >= self.expires_at

    def to_record(self) -> dict[str, Any]:
        """A JSON-serialisable form (SQLite store)."""
        return {
            "operationId": self.operation_id,
            "merchantId": self.merchant_id,
            "token": self.token,
            "clientId": self.client_id,
            "createdAt": self.created_at,
            "inProgressAt": self.in_progress_at,
            "doneAt": self.done_at,
            "expiresAt": self.expires_at,
            "products": self.products,
            "upserted": self.upserted,
            "deleted": self.deleted,
            "errors": [[pid, [list(i) for i in issues]] for pid, issues in self.errors],
            "warnings": [[pid, [list(i) for i in issues]] for pid, issues in self.warnings],
            "changes": None if self.changes is None else [list(c) for c in self.changes],
            "lost": self.lost,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Operation:
        """Inverse of :meth:`to_record`."""

        def issues(items: Iterable[Any]) -> list[ProductIssues]:
            return [(pid, [(t, m) for t, m in found]) for pid, found in items]

        changes = record.get("changes")
        return cls(
            operation_id=record["operationId"],
            merchant_id=record["merchantId"],
            token=record["token"],
            client_id=record.get("clientId", ""),
            created_at=record["createdAt"],
            in_progress_at=record["inProgressAt"],
            done_at=record["doneAt"],
            expires_at=record["expiresAt"],
            products=record["products"],
            upserted=record["upserted"],
            deleted=record["deleted"],
            errors=issues(record["errors"]),
            warnings=issues(record["warnings"]),
            changes=None if changes is None else [(m, k, p, f) for m, k, p, f in changes],
            lost=record.get("lost", False),
        )


def encode(product: Mapping[str, Any]) -> str:
    """A product as compact JSON text (the SQLite store keeps products so)."""
    return json.dumps(product, ensure_ascii=False, separators=(",", ":"))


def build_operation(
    entries: list[dict[str, Any]],
    *,
    operation_id: str,
    token: str,
    client_id: str,
    now: float,
    timing: Timing,
    limits: ProductLimits,
) -> Operation:
    """Check every entry of a valid batch and record what it will do once processed."""
    errors: list[ProductIssues] = []
    warnings: list[ProductIssues] = []
    changes: list[Change] = []
    upserted = deleted = 0
    for entry in entries:
        merchant = merchant_id_of(entry)
        found_warnings: list[Issue] = []
        product = entry.get("product")
        if entry["method"] == "insert":
            if isinstance(product, dict):
                product_id = product.get("id")
                found_errors, found_warnings = check_product(product, limits)
            else:
                product_id = entry.get("productId")
                found_errors = [("MissingID", "An insert entry carries no product.")]
        else:
            product_id = product_key(entry)
            found_errors = check_id(product_id, limits)
        key = product_id.lower() if isinstance(product_id, str) else ""
        if found_errors:
            errors.append((key, found_errors))
        elif entry["method"] == "insert" and isinstance(product, dict):
            changes.append((merchant, key, product, product_flags(product)))
            upserted += 1
        else:
            changes.append((merchant, key, None, 0))
            deleted += 1
        if found_warnings:
            warnings.append((key, found_warnings))
    in_progress_at = now + timing.accepted_seconds
    return Operation(
        operation_id=operation_id,
        merchant_id=merchant_id_of(entries[0]),
        token=token,
        client_id=client_id,
        created_at=now,
        in_progress_at=in_progress_at,
        done_at=in_progress_at + timing.processing_seconds,
        expires_at=now + timing.retention_seconds,
        products=len(entries),
        upserted=upserted,
        deleted=deleted,
        errors=errors,
        warnings=warnings,
        changes=changes,
    )
