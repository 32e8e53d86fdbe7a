"""Merchant statistics (Criteo's ``GetCatalogMerchantStats``), read leniently.

Counters may be strings, integers or null; one that is not an integer becomes ``None``; a date that is
not ISO 8601 becomes ``None``; a record that is not an object is skipped. What was tolerated is listed
in :attr:`Stats.notes` and logged once at WARNING. Only a body that is not a JSON object raises
:class:`~criteo_catalog_sdk.errors.ResponseValidationError`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, NamedTuple

from criteo_catalog_sdk._lenient import counter, dump, log_notes
from criteo_catalog_sdk.errors import Problem, ResponseValidationError, parse_problems

__all__ = ["Stats", "StatsRecord"]

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
            raise ResponseValidationError("unexpected statistics body (expected a JSON object)", body=dump(raw))
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
                notes.append(f"statistics record {dump(item)[:80]} is not an object: skipped")
                continue
            counters = [counter(item.get(key), key, notes) for _, key in _STATS_COUNTERS]
            records.append(StatsRecord(_date(item, "startDate", notes), _date(item, "endDate", notes), *counters))
        self.raw: Mapping[str, Any] = raw
        self.records: tuple[StatsRecord, ...] = tuple(records)
        self.errors: tuple[Problem, ...] = parse_problems(raw.get("errors"))
        self.warnings: tuple[Problem, ...] = parse_problems(raw.get("warnings"))
        self.notes = notes
        log_notes("statistics", notes)

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
