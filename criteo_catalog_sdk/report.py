"""Batch reports and merchant statistics, read leniently from the raw JSON.

:class:`Report` accepts every documented report: counters as strings, integers or null (the spec
changed their type in 2025), with or without ``warningDetails``/``numberOfProductsWithWarnings``
(no documented example has them), and any status string (an unknown one is simply not final).
It parses lazily: the scalar fields are checked on construction, the per-product details are built on
first access and cached, so reading a 1,000-error report costs little more than ``json.loads``.
The raw body stays available as ``raw``.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple, TypeVar

from criteo_catalog_sdk.errors import Problem, ResponseValidationError

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
    "parse_problems",
]

ReportStatus = Literal["ACCEPTED", "IN_PROGRESS", "VALIDATED", "VALIDATED_WITH_ERRORS", "FAILED"]
TERMINAL_STATUSES: frozenset[str] = frozenset({"VALIDATED", "VALIDATED_WITH_ERRORS", "FAILED"})
KNOWN_STATUSES: frozenset[str] = TERMINAL_STATUSES | {"ACCEPTED", "IN_PROGRESS"}

_INT32_MAX = 2**31 - 1
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


def _invalid(what: str, raw: object) -> ResponseValidationError:
    return ResponseValidationError(f"unexpected {what}", body=_dump(raw))


def _dump(raw: object) -> str:
    try:
        return json.dumps(raw, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(raw)


def _counter(raw: Mapping[str, Any], key: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if type(value) is int:
        return value
    if type(value) is str:
        text = value.strip()
        if text.isdigit() or (text[:1] == "-" and text[1:].isdigit()):
            return int(text)
    elif type(value) is float and value.is_integer():
        return int(value)
    raise _invalid(f"{key} {value!r} (expected an integer, a digit string or null)", raw)


def _text(value: object) -> str:
    return value if type(value) is str else ("" if value is None else str(value))


def _details(raw: Mapping[str, Any], key: str, inner: str, cls: type[T]) -> tuple[T, ...]:
    """``cls(productId, issues)`` for every entry of ``raw[key]``, in one pass.

    The hottest loop of reading a report (a 1,000-error report is ~2,300 objects): the per-issue
    work is inlined here, and the tuples are built with ``tuple.__new__``.
    """
    items = raw.get(key) or ()
    out: list[T] = []
    append = out.append
    new = tuple.__new__
    issue_cls = ReportIssue
    for item in items:
        if type(item) is not dict:
            raise _invalid(f"{key} entry {item!r}", raw)
        product_id = item.get("productId")
        if type(product_id) is not str:
            product_id = _text(product_id)
        issues = item.get(inner)
        if not issues:
            append(new(cls, (product_id, ())))
            continue
        if type(issues) is not list:
            raise _invalid(f"{key} (expected a list)", raw)
        parsed: list[ReportIssue] = []
        for issue in issues:
            if type(issue) is not dict:
                raise _invalid(f"{key} entry {issue!r}", raw)
            kind = issue.get("type")
            message = issue.get("message")
            if type(kind) is not str or type(message) is not str:
                kind, message = _text(kind), _text(message)
            parsed.append(new(issue_cls, (kind, message, issue.get("isServerRelated") is True)))
        append(new(cls, (product_id, tuple(parsed))))
    return tuple(out)


class Report:
    """The report of a batch operation (``GET /preview/catalog/products/batch/report/{token}``).

    ``status`` is one of ``ACCEPTED``, ``IN_PROGRESS`` (not final) or ``VALIDATED``,
    ``VALIDATED_WITH_ERRORS``, ``FAILED`` (final, see :attr:`is_done`). Counters are ``int`` or ``None``
    when the API sent null or nothing.
    """

    __slots__ = (
        "_error_details",
        "_warning_details",
        "import_request_timestamp",
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
            raise _invalid("report body (expected a JSON object)", raw)
        status = raw.get("status")
        if not isinstance(status, str) or not status:
            raise _invalid(f"report status {status!r}", raw)
        details = raw.get("errorDetails")
        if details is not None and not isinstance(details, list):
            raise _invalid("errorDetails (expected a list)", raw)
        warnings = raw.get("warningDetails")
        if warnings is not None and not isinstance(warnings, list):
            raise _invalid("warningDetails (expected a list)", raw)
        self.raw: Mapping[str, Any] = raw
        self.status: str = status
        self.import_request_timestamp: int | None = _counter(raw, "importRequestTimestamp")
        self.number_of_products_in_the_batch: int | None = _counter(raw, "numberOfProductsInTheBatch")
        self.number_of_products_upserted: int | None = _counter(raw, "numberOfProductsUpserted")
        self.number_of_products_deleted: int | None = _counter(raw, "numberOfProductsDeleted")
        self.number_of_products_with_errors: int | None = _counter(raw, "numberOfProductsWithErrors")
        self.number_of_products_with_warnings: int | None = _counter(raw, "numberOfProductsWithWarnings")
        self._error_details: tuple[ProductErrors, ...] | None = None
        self._warning_details: tuple[ProductWarnings, ...] | None = None

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
        """Per-product errors (empty when none). Built on first access; a malformed entry raises
        :class:`ResponseValidationError` here."""
        if self._error_details is None:
            self._error_details = _details(self.raw, "errorDetails", "errors", ProductErrors)
        return self._error_details

    @property
    def warning_details(self) -> tuple[ProductWarnings, ...]:
        """Per-product warnings (empty when none or absent). Built on first access."""
        if self._warning_details is None:
            self._warning_details = _details(self.raw, "warningDetails", "warnings", ProductWarnings)
        return self._warning_details

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
    """Catalog counters for one time window (``None`` where the API sent nothing)."""

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


def _date(raw: Mapping[str, Any], key: str, body: object) -> datetime.datetime | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        from dateutil.parser import isoparse  # only statistics have dates: keep it out of the SDK's import

        try:
            return isoparse(value)
        except (ValueError, OverflowError):
            pass
    raise _invalid(f"{key} {value!r} (expected an ISO 8601 date-time)", body)


def parse_problems(items: object) -> tuple[Problem, ...]:
    """Problems from the ``errors`` or ``warnings`` list of an envelope; leniently (missing fields: "")."""
    if not isinstance(items, list):
        return ()
    out = []
    for item in items:
        if isinstance(item, dict):
            get = item.get
            out.append(
                Problem(
                    code=str(get("code") or ""),
                    title=str(get("title") or ""),
                    detail=str(get("detail") or ""),
                    type=str(get("type") or ""),
                    instance=str(get("instance") or ""),
                    trace_id=str(get("traceId") or ""),
                )
            )
    return tuple(out)


class Stats:
    """Catalog statistics of a merchant (``GET /preview/catalog/stats/merchants/{id}``).

    ``records`` holds one :class:`StatsRecord` per time window; ``errors``/``warnings`` are the
    problems the API attached to the answer; ``raw`` is the body.
    """

    __slots__ = ("errors", "raw", "records", "warnings")

    def __init__(self, raw: Mapping[str, Any]) -> None:
        if not isinstance(raw, Mapping):
            raise _invalid("statistics body (expected a JSON object)", raw)
        data = raw.get("data")
        records_raw: object = []
        if data is not None:
            if not isinstance(data, dict):
                raise _invalid("statistics data (expected an object)", raw)
            records_raw = data.get("statisticsRecordList") or []
        if not isinstance(records_raw, list):
            raise _invalid("statisticsRecordList (expected a list)", raw)
        records = []
        for item in records_raw:
            if not isinstance(item, dict):
                raise _invalid(f"statistics record {item!r}", raw)
            counters = [_stats_counter(item, key, raw) for _, key in _STATS_COUNTERS]
            records.append(StatsRecord(_date(item, "startDate", raw), _date(item, "endDate", raw), *counters))
        self.raw: Mapping[str, Any] = raw
        self.records: tuple[StatsRecord, ...] = tuple(records)
        self.errors: tuple[Problem, ...] = parse_problems(raw.get("errors"))
        self.warnings: tuple[Problem, ...] = parse_problems(raw.get("warnings"))

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


def _stats_counter(item: Mapping[str, Any], key: str, body: object) -> int | None:
    try:
        return _counter(item, key)
    except ResponseValidationError as exc:
        raise _invalid(str(exc).removeprefix("unexpected "), body) from None
