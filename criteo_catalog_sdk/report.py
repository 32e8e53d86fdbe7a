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
A body that is a well-typed report (every detail an object of strings and booleans, as the spec
says) is decoded by :meth:`Report.from_json` straight into the detail structs, without building the
dicts first; any other body takes the lenient path, ``Report(decoded)``, whose details are built on
first access. Both read the same values. The decoded body is in ``raw``.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal, TypeVar

import msgspec

from criteo_catalog_sdk._lenient import counter, dump, loads, log_notes
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

T = TypeVar("T", "ProductErrors", "ProductWarnings")

# The detail types are msgspec structs, decoded straight from the body. A report holds thousands:
# ``gc=False`` keeps them out of the garbage collector's lists (they hold strings, booleans and a
# tuple of issues, never a cycle). They unpack like the named tuples they were.


class ReportIssue(msgspec.Struct, frozen=True, gc=False):
    """One error or warning on one product: ``type`` (e.g. ``MissingImages``), ``message``, and
    ``is_server_related`` (the fault is Criteo's, not the product's)."""

    type: str = ""
    message: str = ""
    is_server_related: bool = msgspec.field(default=False, name="isServerRelated")

    def __iter__(self) -> Iterator[str | bool]:
        """``type, message, is_server_related``, for unpacking."""
        return iter((self.type, self.message, self.is_server_related))


class ProductErrors(msgspec.Struct, frozen=True, gc=False):
    """The errors of one product of the batch (Criteo reports product ids lower-cased)."""

    product_id: str = msgspec.field(default="", name="productId")
    errors: tuple[ReportIssue, ...] = ()

    def __iter__(self) -> Iterator[str | tuple[ReportIssue, ...]]:
        """``product_id, errors``, for unpacking."""
        return iter((self.product_id, self.errors))


class ProductWarnings(msgspec.Struct, frozen=True, gc=False):
    """The warnings of one product of the batch (Criteo reports product ids lower-cased)."""

    product_id: str = msgspec.field(default="", name="productId")
    warnings: tuple[ReportIssue, ...] = ()

    def __iter__(self) -> Iterator[str | tuple[ReportIssue, ...]]:
        """``product_id, warnings``, for unpacking."""
        return iter((self.product_id, self.warnings))


class _WellTypedReport(msgspec.Struct):
    """A report body whose details are as the spec types them (absent keys read as the lenient
    reader reads them); the scalars stay as sent, for :class:`Report` to read leniently."""

    status: Any = None
    importRequestTimestamp: Any = None
    numberOfProductsInTheBatch: Any = None
    numberOfProductsUpserted: Any = None
    numberOfProductsDeleted: Any = None
    numberOfProductsWithErrors: Any = None
    numberOfProductsWithWarnings: Any = None
    errorDetails: tuple[ProductErrors, ...] | None = None
    warningDetails: tuple[ProductWarnings, ...] | None = None


_WELL_TYPED_REPORT = msgspec.json.Decoder(_WellTypedReport)

#: The counters of a report: attribute, JSON name.
_COUNTERS = (
    ("import_request_timestamp", "importRequestTimestamp"),
    ("number_of_products_in_the_batch", "numberOfProductsInTheBatch"),
    ("number_of_products_upserted", "numberOfProductsUpserted"),
    ("number_of_products_deleted", "numberOfProductsDeleted"),
    ("number_of_products_with_errors", "numberOfProductsWithErrors"),
    ("number_of_products_with_warnings", "numberOfProductsWithWarnings"),
)


def _text(value: object) -> str:
    return value if type(value) is str else ("" if value is None else str(value))


def _details(raw: Mapping[str, Any], key: str, inner: str, cls: type[T], notes: list[str]) -> tuple[T, ...]:
    """``cls(productId, issues)`` for every usable entry of ``raw[key]``, in one pass.

    The lenient twin of :data:`_WELL_TYPED_REPORT`'s decoding, for bodies it refuses: it must read
    every body that one reads as that one does (a test checks it). Unusable entries are skipped.
    """
    items = raw.get(key)
    if not items:
        return ()
    if type(items) is not list:
        notes.append(f"{key} is not a list: ignored")
        return ()
    out: list[T] = []
    append = out.append
    for item in items:
        if type(item) is not dict:
            notes.append(f"{key} entry {dump(item)[:80]} is not an object: skipped")
            continue
        product_id = item.get("productId")
        if type(product_id) is not str:
            product_id = _text(product_id)
        issues = item.get(inner)
        if not issues:
            append(cls(product_id, ()))
            continue
        if type(issues) is not list:
            notes.append(f"{key} of {product_id!r}: {inner} is not a list: read as none")
            append(cls(product_id, ()))
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
            parsed.append(ReportIssue(kind, message, issue.get("isServerRelated") is True))
        append(cls(product_id, tuple(parsed)))
    return tuple(out)


class Report:
    """The report of a batch operation (Criteo's ``GetCatalogProductsBatchReport``).

    ``status`` is upper-cased: ``ACCEPTED``, ``IN_PROGRESS`` (not final) or ``VALIDATED``,
    ``VALIDATED_WITH_ERRORS``, ``FAILED`` (final, see :attr:`is_done`); ``""`` when the answer had
    none. Counters are ``int`` or ``None`` (null, absent or unreadable). ``notes`` lists what was read
    leniently.
    """

    __slots__ = (
        "_body",
        "_error_details",
        "_raw",
        "_warning_details",
        "import_request_timestamp",
        "notes",
        "number_of_products_deleted",
        "number_of_products_in_the_batch",
        "number_of_products_upserted",
        "number_of_products_with_errors",
        "number_of_products_with_warnings",
        "status",
    )

    status: str
    notes: list[str]
    import_request_timestamp: int | None
    number_of_products_in_the_batch: int | None
    number_of_products_upserted: int | None
    number_of_products_deleted: int | None
    number_of_products_with_errors: int | None
    number_of_products_with_warnings: int | None

    def __init__(self, raw: Mapping[str, Any]) -> None:
        """The report of a decoded body, read leniently; its details are read on first access."""
        if not isinstance(raw, Mapping):
            raise ResponseValidationError("unexpected report body (expected a JSON object)", body=dump(raw))
        self._raw: Mapping[str, Any] | None = raw
        self._body: bytes | None = None
        self._error_details: tuple[ProductErrors, ...] | None = None
        self._warning_details: tuple[ProductWarnings, ...] | None = None
        self._read_scalars(raw.get)

    @classmethod
    def from_json(cls, body: bytes) -> Report | None:
        """The report of a JSON body, its details decoded straight into their structs; ``None`` when the
        body is not a well-typed report (not JSON, not an object, a detail of another type): read
        it with ``Report(decoded)``, which reads anything leniently."""
        try:
            wire = _WELL_TYPED_REPORT.decode(body)
        except msgspec.DecodeError:  # ValidationError included
            return None
        report = cls.__new__(cls)
        report._raw = None
        report._body = body
        report._error_details = wire.errorDetails or ()
        report._warning_details = wire.warningDetails or ()
        report._read_scalars(wire.__getattribute__)
        return report

    def _read_scalars(self, get: Callable[[str], Any]) -> None:
        """The status and the counters, from ``get(json_name)``; what was odd is noted and logged."""
        notes: list[str] = []
        status = get("status")
        if isinstance(status, str) and status.strip():
            self.status = status.strip().upper()
        else:
            self.status = ""
            notes.append(f"status {status!r} is not a status: not final")
        self.notes = notes
        for attribute, key in _COUNTERS:
            setattr(self, attribute, counter(get(key), key, notes))
        log_notes("report", notes)

    @property
    def raw(self) -> Mapping[str, Any]:
        """The body, decoded (on first access for a report read by :meth:`from_json`)."""
        if self._raw is None:
            self._raw = loads(self._body or b"{}")
        return self._raw

    def to_json(self) -> str:
        """The body as JSON text: as it was received for a report read by :meth:`from_json` (not decoded
        and encoded again), else :attr:`raw` encoded."""
        if self._body is not None:
            return self._body.decode("utf-8", errors="replace")
        return json.dumps(self.raw, default=str)

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
