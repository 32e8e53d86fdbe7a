"""Batch reports and merchant statistics: the one lenient reader, used by every path that reads them.

``get_report``, ``wait_for_report``, the push's watchers and its reconciliation all read reports
through :class:`Report`; statistics through :class:`Stats`. Lenient in what we accept:

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
import json
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple, TypeVar

from criteo_catalog_sdk._logging import logger
from criteo_catalog_sdk.errors import Problem, ResponseValidationError, parse_problems

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


def _dump(raw: object) -> str:
    try:
        return json.dumps(raw, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(raw)


def _counter(raw: Mapping[str, Any], key: str, notes: list[str]) -> int | None:
    """An integer counter from a string, an integer or null; anything else is ``None`` and a note."""
    value = raw.get(key)
    if value is None:
        return None
    if type(value) is int:
        return value
    if type(value) is str:
        text = value.strip()
        if text.isascii() and (text.isdigit() or (text[:1] == "-" and text[1:].isdigit())):
            return int(text)
    elif type(value) is float and value.is_integer():
        return int(value)
    notes.append(f"{key} {value!r} is not an integer: read as unknown")
    return None


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
            notes.append(f"{key} entry {_dump(item)[:80]} is not an object: skipped")
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
                notes.append(f"{key} of {product_id!r}: issue {_dump(issue)[:80]} is not an object: skipped")
                continue
            kind = issue.get("type")
            message = issue.get("message")
            if type(kind) is not str or type(message) is not str:
                kind, message = _text(kind), _text(message)
            parsed.append(new(issue_cls, (kind, message, issue.get("isServerRelated") is True)))
        append(new(cls, (product_id, tuple(parsed))))
    return tuple(out)


def _log_notes(what: str, notes: list[str]) -> None:
    if notes:
        logger.warning("%s read leniently: %s", what, "; ".join(notes))


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
            raise ResponseValidationError("unexpected report body (expected a JSON object)", body=_dump(raw))
        notes: list[str] = []
        status = raw.get("status")
        if isinstance(status, str) and status.strip():
            self.status: str = status.strip().upper()
        else:
            self.status = ""
            notes.append(f"status {status!r} is not a status: not final")
        self.raw: Mapping[str, Any] = raw
        self.notes = notes
        self.import_request_timestamp: int | None = _counter(raw, "importRequestTimestamp", notes)
        self.number_of_products_in_the_batch: int | None = _counter(raw, "numberOfProductsInTheBatch", notes)
        self.number_of_products_upserted: int | None = _counter(raw, "numberOfProductsUpserted", notes)
        self.number_of_products_deleted: int | None = _counter(raw, "numberOfProductsDeleted", notes)
        self.number_of_products_with_errors: int | None = _counter(raw, "numberOfProductsWithErrors", notes)
        self.number_of_products_with_warnings: int | None = _counter(raw, "numberOfProductsWithWarnings", notes)
        self._error_details: tuple[ProductErrors, ...] | None = None
        self._warning_details: tuple[ProductWarnings, ...] | None = None
        _log_notes("report", notes)

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
            _log_notes("report details", notes)

    def __repr__(self) -> str:
        return (
            f"Report(status={self.status!r}, in_batch={self.number_of_products_in_the_batch}, "
            f"upserted={self.number_of_products_upserted}, deleted={self.number_of_products_deleted}, "
            f"with_errors={self.number_of_products_with_errors})"
        )


_STATS_COUNTERS = (
    ("added", "added"),
    ("blacklisted", "blacklisted"),
    ("deleted", "deleted"),
    ("displayable", "displayable"),
    ("missing_description", "missingDescription"),
    ("missing_image", "missingImage"),
    ("missing_name", "missingName"),
    ("missing_price", "missingPrice"),
    ("missing_url", "missingUrl"),
    ("non_displayable", "nonDisplayable"),
    ("out_of_stock", "outOfStock"),
    ("total", "total"),
    ("updated", "updated"),
    ("variant", "variant"),
)


class StatsRecord(NamedTuple):
    """Catalog counters for one time window (``None`` where the API sent nothing readable)."""

    start_date: datetime.datetime | None
    end_date: datetime.datetime | None
    added: int | None
    blacklisted: int | None
    deleted: int | None
    displayable: int | None
    missing_description: int | None
    missing_image: int | None
    missing_name: int | None
    missing_price: int | None
    missing_url: int | None
    non_displayable: int | None
    out_of_stock: int | None
    total: int | None
    updated: int | None
    variant: int | None


def _date(raw: Mapping[str, Any], key: str, notes: list[str]) -> datetime.datetime | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        from dateutil.parser import isoparse  # only statistics have dates: keep it out of the SDK's import

        try:
            return isoparse(value)
        except (ValueError, OverflowError):
            pass
    notes.append(f"{key} {value!r} is not an ISO 8601 date-time: read as unknown")
    return None


class Stats:
    """Catalog statistics of a merchant (Criteo's ``GetCatalogMerchantStats``).

    ``records`` holds one :class:`StatsRecord` per time window; ``errors``/``warnings`` are the
    problems the API attached to the answer; ``raw`` is the body; ``notes`` what was read leniently.
    """

    __slots__ = ("errors", "notes", "raw", "records", "warnings")

    def __init__(self, raw: Mapping[str, Any]) -> None:
        if not isinstance(raw, Mapping):
            raise ResponseValidationError("unexpected statistics body (expected a JSON object)", body=_dump(raw))
        notes: list[str] = []
        data = raw.get("data")
        records_raw: object = []
        if isinstance(data, Mapping):
            records_raw = data.get("statisticsRecordList") or []
        elif data is not None:
            notes.append("data is not an object: no records")
        if not isinstance(records_raw, list):
            notes.append("statisticsRecordList is not a list: no records")
            records_raw = []
        records = []
        for item in records_raw:
            if not isinstance(item, Mapping):
                notes.append(f"statistics record {_dump(item)[:80]} is not an object: skipped")
                continue
            counters = [_counter(item, key, notes) for _, key in _STATS_COUNTERS]
            records.append(StatsRecord(_date(item, "startDate", notes), _date(item, "endDate", notes), *counters))
        self.raw: Mapping[str, Any] = raw
        self.records: tuple[StatsRecord, ...] = tuple(records)
        self.errors: tuple[Problem, ...] = parse_problems(raw.get("errors"))
        self.warnings: tuple[Problem, ...] = parse_problems(raw.get("warnings"))
        self.notes = notes
        _log_notes("statistics", notes)

    @property
    def latest(self) -> StatsRecord | None:
        """The record whose window ends last, if any."""
        latest: StatsRecord | None = None
        for record in self.records:
            if latest is None or _ts(record.end_date) >= _ts(latest.end_date):
                latest = record
        return latest

    def __repr__(self) -> str:
        return f"Stats(records={len(self.records)}, errors={len(self.errors)})"


def _ts(when: datetime.datetime | None) -> float:
    return when.timestamp() if when is not None else float("-inf")
