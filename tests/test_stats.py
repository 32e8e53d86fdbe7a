"""Reading merchant statistics leniently."""

from __future__ import annotations

import datetime

import pytest

from criteo_catalog_sdk import ResponseValidationError, Stats

STATS_BODY = {
    "data": {
        "statisticsRecordList": [
            {
                "added": "5",
                "blacklisted": "0",
                "deleted": "1",
                "displayable": "100",
                "endDate": "2024-05-02T00:00:00Z",
                "missingDescription": "2",
                "missingImage": "0",
                "missingName": "0",
                "missingPrice": "3",
                "missingUrl": "0",
                "nonDisplayable": "4",
                "outOfStock": "7",
                "startDate": "2024-05-01T00:00:00Z",
                "total": "104",
                "updated": 9,
                "variant": "0",
            }
        ]
    },
    "errors": [],
    "warnings": [],
}


def test_stats_parse() -> None:
    stats = Stats(STATS_BODY)
    assert len(stats.records) == 1
    record = stats.records[0]
    assert record.total == 104
    assert record.updated == 9
    assert record.out_of_stock == 7
    assert record.start_date == datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
    assert stats.latest is record
    assert stats.errors == ()


def test_stats_are_read_leniently() -> None:
    assert Stats({"data": None}).records == ()
    assert Stats({}).latest is None
    with_errors = Stats({"data": None, "errors": [{"code": "x", "title": "T", "traceId": "1"}]})
    assert with_errors.errors[0].code == "x"
    lots = Stats({"data": {"statisticsRecordList": [{"total": "lots", "added": "2"}]}})
    assert (lots.records[0].total, lots.records[0].added, len(lots.notes)) == (None, 2, 1)
    yesterday = Stats({"data": {"statisticsRecordList": [{"endDate": "yesterday"}]}})
    assert yesterday.records[0].end_date is None and yesterday.notes
    assert Stats({"data": 3}).records == ()
    with pytest.raises(ResponseValidationError):
        Stats([])  # type: ignore[arg-type]
