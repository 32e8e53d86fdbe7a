"""Batch reports: the one lenient reader, used by every path that reads them.

``get_report``, ``wait_for_report``, the push's watchers and its reconciliation all read reports
through :class:`Report` (statistics: :mod:`criteo_catalog_sdk.stats`). Lenient in what we accept:

- the status is compared case-insensitively (``validated`` is ``VALIDATED``); an unknown or missing
  status is simply not final;
- counters may be strings, integers or null (the spec changed their type in 2025); a counter that is
  not an integer (``"n/a"``) becomes ``None``;
- ``warningDetails`` / ``numberOfProductsWithWarnings`` may be absent (no documented report has them);
  a details entry that is not an object, or an issue list that is not a list, is skipped.

What was tolerated is listed in :attr:`Report.notes` and logged once per report at WARNING: never an
exception. Only a body that is not a JSON object at all raises :class:`ResponseValidationError`.
Parsing is lazy: the scalars on construction, the per-product details on first access (cached), so
reading a 1,000-error report costs little more than ``orjson.loads``. The raw body stays in ``raw``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple, TypeVar

from criteo_catalog_sdk._lenient import counter, dump, log_notes
from criteo_catalog_sdk.errors import ResponseValidationError
from criteo_catalog_sdk.stats import Stats, StatsRecord  # here too, where they were first

__all__ = [
    "KNOWN_STATUSES",
    "TERMINAL_STATUSES",
    "ProductErrors",
    "ProductWarnings",
    "Report",
    "ReportIssue",
    "ReportStatus",
    "Stats",
    "StatsRecord",
]

ReportStatus = Literal["ACCEPTED", "IN_PROGRESS", "VALIDATED", "VALIDATED_WITH_ERRORS", "FAILED"]
#: The final statuses: a report in one of them is never polled again.
TERMINAL_STATUSES: frozenset[str] = frozenset({"VALIDATED", "VALIDATED_WITH_ERRORS", "FAILED"})
KNOWN_STATUSES: frozenset[str] = TERMINAL_STATUSES | {"ACCEPTED", "IN_PROGRESS"}

T = TypeVar("T", bound=tuple[Any, ...])


class ReportIssue(NamedTuple):
    """One error or warning on one product: ``type`` (e.g. ``MissingImages``), ``message``, and
    ``is_server_related`` (the fault is Criteo's, not the product's)."""

    type: str
    message: str
    is_server_related: bool


class ProductErrors(NamedTuple):
    """The errors of one product of the batch (Criteo reports product ids lower-cased)."""

    product_id: str
    errors: tuple[ReportIssue, ...]


class ProductWarnings(NamedTuple):
    """The warnings of one product of the batch (Criteo reports product ids lower-cased)."""

    product_id: str
    warnings: tuple[ReportIssue, ...]


def _text(value: object) -> str:
    return value if type(value) is str else ("" if value is None else str(value))


def _details(raw: Mapping[str, Any], key: str, inner: str, cls: type[T], notes: list[str]) -> tuple[T, ...]:
    """``cls(productId, issues)`` for every usable entry of ``raw[key]``, in one pass.

    The hottest loop of reading a report (a 1,000-error report is ~2,300 objects): the per-issue work
    is inlined here and the tuples are built with ``tuple.__new__``. Unusable entries are skipped.
    """
    items = raw.get(key)
    if not items:
        return ()
    if type(items) is not list:
        notes.append(f"{key} is not a list: ignored")
        return ()
    out: list[T] = []
    append = out.append
    new = tuple.__new__
    issue_cls = ReportIssue
    for item in items:
        if type(item) is not dict:
            notes.append(f"{key} entry {dump(item)[:80]} is not an object: skipped")
            continue
        product_id = item.get("productId")
        if type(product_id) is not str:
            product_id = _text(product_id)
        issues = item.get(inner)
        if not issues:
            append(new(cls, (product_id, ())))
            continue
        if type(issues) is not list:
            notes.append(f"{key} of {product_id!r}: {inner} is not a list: read as none")
            append(new(cls, (product_id, ())))
            continue
        parsed: list[ReportIssue] = []
        for issue in issues:
            if type(issue) is not dict:
                notes.append(f"{key} of {product_id!r}: issue {dump(issue)[:80]} is not an object: skipped")
                continue
            kind = issue.get("type")
            message = issue.get("message")
            if type(kind) is not str or type(message) is not str:
                kind, message = _text(kind), _text(message)
            parsed.append(new(issue_cls, (kind, message, issue.get("isServerRelated") is True)))
        append(new(cls, (product_id, tuple(parsed))))
    return tuple(out)


class Report:
    """The report of a batch operation (Criteo's ``GetCatalogProductsBatchReport``).

    ``status`` is upper-cased: ``ACCEPTED``, ``IN_PROGRESS`` (not final) or ``VALIDATED``,
    ``VALIDATED_WITH_ERRORS``, ``FAILED`` (final, see :attr:`is_done`); ``""`` when the answer had
    none. Counters are ``int`` or ``None`` (null, absent or unreadable). ``notes`` lists what was read
    leniently.
    """

    __slots__ = (
        "_error_details",
        "_warning_details",
        "import_request_timestamp",
        "notes",
        "number_of_products_deleted",
        "number_of_products_in_the_batch",
        "number_of_products_upserted",
        "number_of_products_with_errors",
        "number_of_products_with_warnings",
        "raw",
        "status",
    )

    def __init__(self, raw: Mapping[str, Any]) -> None:
        if not isinstance(raw, Mapping):
            raise ResponseValidationError("unexpected report body (expected a JSON object)", body=dump(raw))
        notes: list[str] = []
        status = raw.get("status")
        if isinstance(status, str) and status.strip():
            self.status: str = status.strip().upper()
        else:
            self.status = ""
            notes.append(f"status {status!r} is not a status: not final")
        self.raw: Mapping[str, Any] = raw
        self.notes = notes
        self.import_request_timestamp: int | None = counter(
            raw.get("importRequestTimestamp"), "importRequestTimestamp", notes
        )
        self.number_of_products_in_the_batch: int | None = counter(
            raw.get("numberOfProductsInTheBatch"), "numberOfProductsInTheBatch", notes
        )
        self.number_of_products_upserted: int | None = counter(
            raw.get("numberOfProductsUpserted"), "numberOfProductsUpserted", notes
        )
        self.number_of_products_deleted: int | None = counter(
            raw.get("numberOfProductsDeleted"), "numberOfProductsDeleted", notes
        )
        self.number_of_products_with_errors: int | None = counter(
            raw.get("numberOfProductsWithErrors"), "numberOfProductsWithErrors", notes
        )
        self.number_of_products_with_warnings: int | None = counter(
            raw.get("numberOfProductsWithWarnings"), "numberOfProductsWithWarnings", notes
        )
        self._error_details: tuple[ProductErrors, ...] | None = None
        self._warning_details: tuple[ProductWarnings, ...] | None = None
        log_notes("report", notes)

    @property
    def is_done(self) -> bool:
        """Whether the status is final (``VALIDATED``, ``VALIDATED_WITH_ERRORS`` or ``FAILED``)."""
        return self.status in TERMINAL_STATUSES

    @property
    def succeeded(self) -> bool:
        """Whether the whole batch was validated without any product error."""
        return self.status == "VALIDATED"

    @property
    def imported_at(self) -> datetime.datetime | None:
        """``importRequestTimestamp`` (epoch milliseconds) as an aware UTC datetime; ``None`` when absent
        or outside the years 1..9999 that :class:`datetime.datetime` can hold (the raw value stays in
        :attr:`import_request_timestamp`)."""
        ts = self.import_request_timestamp
        if ts is None:
            return None
        try:
            return datetime.datetime.fromtimestamp(ts / 1000, tz=datetime.UTC)
        except (OverflowError, OSError, ValueError):
            return None

    @property
    def error_details(self) -> tuple[ProductErrors, ...]:
        """Per-product errors (empty when none). Built on first access."""
        if self._error_details is None:
            notes: list[str] = []
            self._error_details = _details(self.raw, "errorDetails", "errors", ProductErrors, notes)
            self._noted(notes)
        return self._error_details

    @property
    def warning_details(self) -> tuple[ProductWarnings, ...]:
        """Per-product warnings (empty when none or absent). Built on first access."""
        if self._warning_details is None:
            notes: list[str] = []
            self._warning_details = _details(self.raw, "warningDetails", "warnings", ProductWarnings, notes)
            self._noted(notes)
        return self._warning_details

    def _noted(self, notes: list[str]) -> None:
        if notes:
            self.notes.extend(notes)
            log_notes("report details", notes)

    def __repr__(self) -> str:
        return (
            f"Report(status={self.status!r}, in_batch={self.number_of_products_in_the_batch}, "
            f"upserted={self.number_of_products_upserted}, deleted={self.number_of_products_deleted}, "
            f"with_errors={self.number_of_products_with_errors})"
        )
