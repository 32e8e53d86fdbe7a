"""Mapping a terminal batch report back to the products of the batch, pure.

The report (read by :class:`~criteo_catalog_sdk.report.Report`, the SDK's one lenient report reader)
lists only the products with errors or warnings, by **lowercased** id; every other entry of a
``VALIDATED`` or ``VALIDATED_WITH_ERRORS`` batch was applied. ``FAILED`` is less clear (the only
documented example has its single product in ``errorDetails``): entries without errors count as
applied only if the report's ``numberOfProductsUpserted`` + ``numberOfProductsDeleted`` counters cover
them; otherwise they are reported rejected (``BatchFailed``) and their delta hashes are not committed,
so they are sent again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from criteo_catalog_sdk.ids import product_key
from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.push.result import OutcomeStatus
from criteo_catalog_sdk.report import ProductErrors, ProductWarnings, Report, ReportIssue


class EntryRef(NamedTuple):
    """What reconciliation needs to know of one entry of the batch (a NamedTuple: one per product)."""

    position: int
    key: str
    product_id: str
    method: str  # "insert" | "delete"


@dataclass(frozen=True, slots=True)
class EntryOutcome:
    """The outcome of one entry of the batch according to the report."""

    position: int
    key: str
    status: OutcomeStatus  # upserted | deleted | rejected
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """What a report says of the batch's entries: ``special`` holds the outcomes of the entries it names
    (rejected, or applied with warnings), in entry order; every other entry was applied (upserted or
    deleted), with nothing to say: no object is built for them (a batch holds thousands).
    ``unmatched_*``: report details naming no entry of the batch (kept, not lost)."""

    special: tuple[EntryOutcome, ...]
    entries: Sequence[EntryRef] = ()
    unmatched_errors: tuple[tuple[str, tuple[Issue, ...]], ...] = ()
    unmatched_warnings: tuple[tuple[str, tuple[Issue, ...]], ...] = ()

    @property
    def outcomes(self) -> tuple[EntryOutcome, ...]:
        """Every entry's outcome, in entry order (built on demand)."""
        special = {o.position: o for o in self.special}
        return tuple(
            special.get(e.position)
            or EntryOutcome(e.position, e.key, "deleted" if e.method == "delete" else "upserted")
            for e in self.entries
        )


def _issues(product_id: str, found: tuple[ReportIssue, ...], kind: str) -> tuple[Issue, ...]:
    if not found:
        return (Issue("UnknownError", f"the report lists {product_id!r} with no {kind}"),)
    return tuple(Issue(i.type or "UnknownError", i.message, is_server_related=i.is_server_related) for i in found)


def _by_key(details: Iterable[ProductErrors | ProductWarnings], kind: str) -> dict[str, tuple[Issue, ...]]:
    out: dict[str, tuple[Issue, ...]] = {}
    for detail in details:
        found = detail.errors if isinstance(detail, ProductErrors) else detail.warnings
        key = product_key(detail.product_id)  # reports lowercase ids; lowering again makes the match robust
        out[key] = out.get(key, ()) + _issues(detail.product_id, found, kind)
    return out


def names_entries(report: Report) -> bool:
    """Whether reconciling ``report`` needs the batch's entries: it names products (errors, warnings),
    or it FAILED (its counters must be checked against them). The usual report does neither: every
    entry was applied, and no entry need be read back (a batch holds thousands)."""
    return bool(report.error_details or report.warning_details) or report.status == "FAILED"


def reconcile(report: Report | Mapping[str, Any], entries: Sequence[EntryRef]) -> Reconciliation:
    """Outcomes of the batch's entries from its terminal report. Raises ``ValueError`` if not terminal."""
    if not isinstance(report, Report):
        report = Report(report)
    if not report.is_done:
        raise ValueError(f"report status {report.status!r} is not terminal")
    errors = _by_key(report.error_details, "errors")
    warnings = _by_key(report.warning_details, "warnings")

    confirmed = True
    if report.status == "FAILED":
        applied = (report.number_of_products_upserted or 0) + (report.number_of_products_deleted or 0)
        clean = sum(1 for e in entries if e.key not in errors)
        confirmed = applied >= clean

    special: list[EntryOutcome] = []
    if errors or warnings or not confirmed:  # the usual report names no product: nothing to look at
        unconfirmed = (
            Issue("BatchFailed", "the batch FAILED and its counters do not confirm this product was applied"),
        )
        for e in entries:
            w = warnings.get(e.key, ())
            err = errors.get(e.key)
            if err is not None:
                special.append(EntryOutcome(e.position, e.key, "rejected", err, w))
            elif not confirmed:
                special.append(EntryOutcome(e.position, e.key, "rejected", unconfirmed, w))
            elif w:
                special.append(
                    EntryOutcome(e.position, e.key, "deleted" if e.method == "delete" else "upserted", (), w)
                )
    keys = {e.key for e in entries} if errors or warnings else set()
    return Reconciliation(
        tuple(special),
        entries,
        tuple((k, v) for k, v in errors.items() if k not in keys),
        tuple((k, v) for k, v in warnings.items() if k not in keys),
    )


def entry_refs(rows: Iterable[tuple[int, str, str, str]]) -> list[EntryRef]:
    """Build :class:`EntryRef` from ``(position, key, product_id, method)`` rows."""
    return [EntryRef(*r) for r in rows]


__all__ = ["EntryOutcome", "EntryRef", "Reconciliation", "entry_refs", "names_entries", "reconcile"]
