"""Mapping a terminal batch report back to the products of the batch, pure.

The report (Criteo's JSON shape, facts sheet section 6) lists only the products with errors or
warnings, by **lowercased** id; every other entry of a ``VALIDATED`` or ``VALIDATED_WITH_ERRORS``
batch was applied. ``FAILED`` is less clear (the only documented example has its single product in
``errorDetails``): entries without errors count as applied only if the report's
``numberOfProductsUpserted`` + ``numberOfProductsDeleted`` counters cover them; otherwise they are
reported rejected (``BatchFailed``) and their delta hashes are not committed, so they are sent again.

Accepts the report as a plain mapping so that the client layer's ``Report`` model can hand over its
raw JSON; counters may be strings, integers or null.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from criteo_catalog_sdk.push.result import Issue, OutcomeStatus

TERMINAL_STATUSES: Final = frozenset({"VALIDATED", "VALIDATED_WITH_ERRORS", "FAILED"})


@dataclass(frozen=True, slots=True)
class EntryRef:
    """What reconciliation needs to know of one entry of the batch."""

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
    """Per-entry outcomes, plus report details naming no entry of the batch (kept, not lost)."""

    outcomes: tuple[EntryOutcome, ...]
    unmatched_errors: tuple[tuple[str, tuple[Issue, ...]], ...] = ()
    unmatched_warnings: tuple[tuple[str, tuple[Issue, ...]], ...] = ()


def report_status(report: Mapping[str, Any]) -> str:
    """The report's status, upper-cased (``""`` if missing)."""
    status = report.get("status")
    return status.upper() if isinstance(status, str) else ""


def is_terminal(report: Mapping[str, Any]) -> bool:
    """Whether the report is final (VALIDATED, VALIDATED_WITH_ERRORS or FAILED)."""
    return report_status(report) in TERMINAL_STATUSES


def counter(report: Mapping[str, Any], name: str) -> int | None:
    """A report counter as an int; they come as strings, integers or null."""
    v = report.get(name)
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        try:
            return int(v)
        except ValueError:
            return None
    return None


def _issues(items: Any, kind: str) -> tuple[Issue, ...]:
    out: list[Issue] = []
    if isinstance(items, list):
        for it in items:
            if isinstance(it, Mapping):
                server = it.get("isServerRelated")
                out.append(
                    Issue(
                        type=str(it.get("type") or "UnknownError"),
                        message=str(it.get("message") or ""),
                        is_server_related=server if isinstance(server, bool) else None,
                    )
                )
    if not out:
        out.append(Issue("UnknownError", f"the report lists the product with no {kind}"))
    return tuple(out)


def _details(report: Mapping[str, Any], name: str, inner: str) -> dict[str, tuple[Issue, ...]]:
    out: dict[str, tuple[Issue, ...]] = {}
    details = report.get(name)
    if not isinstance(details, list):
        return out
    for d in details:
        if not isinstance(d, Mapping):
            continue
        pid = d.get("productId")
        if not isinstance(pid, str):
            continue
        key = pid.lower()  # reports lowercase ids; lowering again makes the match robust
        out[key] = out.get(key, ()) + _issues(d.get(inner), inner)
    return out


def reconcile(report: Mapping[str, Any], entries: Sequence[EntryRef]) -> Reconciliation:
    """Outcomes of the batch's entries from its terminal report. Raises ``ValueError`` if not terminal."""
    status = report_status(report)
    if status not in TERMINAL_STATUSES:
        raise ValueError(f"report status {report.get('status')!r} is not terminal")
    errors = _details(report, "errorDetails", "errors")
    warnings = _details(report, "warningDetails", "warnings")

    confirmed = True
    if status == "FAILED":
        applied = (counter(report, "numberOfProductsUpserted") or 0) + (counter(report, "numberOfProductsDeleted") or 0)
        clean = sum(1 for e in entries if e.key not in errors)
        confirmed = applied >= clean

    keys = set()
    outcomes: list[EntryOutcome] = []
    for e in entries:
        keys.add(e.key)
        w = warnings.get(e.key, ())
        err = errors.get(e.key)
        if err is not None:
            outcomes.append(EntryOutcome(e.position, e.key, "rejected", err, w))
        elif not confirmed:
            msg = "the batch FAILED and its counters do not confirm this product was applied"
            outcomes.append(EntryOutcome(e.position, e.key, "rejected", (Issue("BatchFailed", msg),), w))
        else:
            outcomes.append(EntryOutcome(e.position, e.key, "deleted" if e.method == "delete" else "upserted", (), w))
    return Reconciliation(
        tuple(outcomes),
        tuple((k, v) for k, v in errors.items() if k not in keys),
        tuple((k, v) for k, v in warnings.items() if k not in keys),
    )


def entry_refs(rows: Iterable[tuple[int, str, str, str]]) -> list[EntryRef]:
    """Build :class:`EntryRef` from ``(position, key, product_id, method)`` rows."""
    return [EntryRef(*r) for r in rows]


__all__ = [
    "TERMINAL_STATUSES",
    "EntryOutcome",
    "EntryRef",
    "Reconciliation",
    "counter",
    "entry_refs",
    "is_terminal",
    "reconcile",
    "report_status",
]
