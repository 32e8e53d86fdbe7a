"""Reading reports and statistics leniently (and cheaply)."""

from __future__ import annotations

import datetime
import json
import time
from typing import Any

import pytest

from criteo_catalog_sdk import ProductErrors, Report, ReportIssue, ResponseValidationError, Stats

from .fakes import documented_examples, report_body


@pytest.mark.parametrize(
    "example",
    [e for e in documented_examples() if e.endpoint == "report" and e.status == 200],
    ids=lambda e: e.id,
)
def test_every_documented_report_parses(example: Any) -> None:
    raw = json.loads(example.body)
    report = Report(raw)
    assert report.status == raw["status"]
    assert report.number_of_products_in_the_batch == int(raw["numberOfProductsInTheBatch"])
    assert report.number_of_products_with_warnings is None  # absent from every documented report
    assert report.warning_details == ()
    assert report.raw is raw


def test_documented_failed_report_details() -> None:
    failed = next(e for e in documented_examples() if e.endpoint == "report" and b"FAILED" in e.body)
    report = Report(json.loads(failed.body))
    assert report.is_done
    assert not report.succeeded
    assert report.number_of_products_with_errors == 1
    assert report.error_details == (
        ProductErrors("test-v3-1615818478409", (ReportIssue("OverlargeBigImage", '{"Length":1042}', False),)),
    )
    assert report.imported_at == datetime.datetime(2021, 3, 15, 14, 28, 16, 157000, tzinfo=datetime.UTC)


@pytest.mark.parametrize("millis", [2**62, -(2**62), 253402300800000])
def test_imported_at_beyond_what_datetime_holds_is_none(millis: int) -> None:
    # 253402300800000 ms is 10000-01-01: a valid int64 the API may send, with no datetime view.
    failed = next(e for e in documented_examples() if e.endpoint == "report" and b"FAILED" in e.body)
    report = Report({**json.loads(failed.body), "importRequestTimestamp": str(millis)})
    assert report.imported_at is None
    assert report.import_request_timestamp == millis


@pytest.mark.parametrize(
    ("status", "done"),
    [
        ("ACCEPTED", False),
        ("IN_PROGRESS", False),
        ("VALIDATED", True),
        ("VALIDATED_WITH_ERRORS", True),
        ("FAILED", True),
        ("SOMETHING_NEW", False),
    ],
)
def test_is_done(status: str, done: bool) -> None:
    assert Report(report_body(status)).is_done is done


@pytest.mark.parametrize(("value", "expected"), [("7", 7), (7, 7), (None, None), ("0", 0), (7.0, 7)])
def test_counters_from_string_int_or_null(value: object, expected: int | None) -> None:
    report = Report(report_body(numberOfProductsUpserted=value, numberOfProductsWithWarnings=value))
    assert report.number_of_products_upserted == expected
    assert report.number_of_products_with_warnings == expected


def test_report_with_warnings_and_spec_shape() -> None:
    raw = report_body(
        "VALIDATED_WITH_ERRORS",
        numberOfProductsWithWarnings="1",
        errorDetails=[
            {"productId": "a", "errors": [{"type": "MissingImages", "message": "m", "isServerRelated": True}]}
        ],
        warningDetails=[
            {"productId": "b", "warnings": [{"type": "InvalidBadgeUrl", "message": "w", "isServerRelated": False}]}
        ],
    )
    report = Report(raw)
    assert report.number_of_products_with_warnings == 1
    assert report.error_details[0].errors[0] == ReportIssue("MissingImages", "m", True)
    assert report.warning_details[0].product_id == "b"
    assert report.warning_details[0].warnings[0].type == "InvalidBadgeUrl"
    # unknown enum values are kept, not rejected
    raw["errorDetails"][0]["errors"][0]["type"] = "BrandNewError"
    assert Report(raw).error_details[0].errors[0].type == "BrandNewError"


def test_report_without_error_details_is_read_as_no_errors() -> None:
    raw = report_body()
    del raw["errorDetails"]
    assert Report(raw).error_details == ()


@pytest.mark.parametrize(
    "raw",
    [
        [],
        "VALIDATED",
        {},
        {"status": None},
        {"status": 3},
        report_body(numberOfProductsUpserted="many"),
        report_body(numberOfProductsUpserted=[1]),
        report_body(numberOfProductsUpserted=True),
        report_body(errorDetails={"a": 1}),
        report_body(warningDetails="none"),
    ],
)
def test_malformed_reports_raise_response_validation_error(raw: Any) -> None:
    with pytest.raises(ResponseValidationError) as info:
        Report(raw)
    assert info.value.body


def test_malformed_details_raise_on_access() -> None:
    report = Report(report_body(errorDetails=["not an object"]))
    with pytest.raises(ResponseValidationError):
        _ = report.error_details


def test_details_are_built_once() -> None:
    report = Report(report_body(errorDetails=[{"productId": "a", "errors": []}]))
    assert report.error_details is report.error_details


def _big_report(n: int) -> bytes:
    details = [
        {
            "productId": f"product-{i:05d}",
            "errors": [{"type": "MissingImages", "message": f"image missing for {i}", "isServerRelated": False}],
        }
        for i in range(n)
    ]
    body = report_body("VALIDATED_WITH_ERRORS", numberOfProductsWithErrors=str(n), errorDetails=details)
    return json.dumps(body).encode()


def _best_of(fns: list[Any], repeat: int = 40) -> list[float]:
    """The best time of each function, measured interleaved so that machine load hits all alike."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            best[k] = min(best[k], time.perf_counter() - start)
    return best


def test_parsing_a_1000_error_report_costs_little_more_than_json_loads() -> None:
    body = _big_report(1000)
    loads, parse, parse_and_read = _best_of(
        [lambda: json.loads(body), lambda: Report(json.loads(body)), lambda: Report(json.loads(body)).error_details]
    )
    assert parse < 2 * loads
    assert parse_and_read < 4 * loads  # even reading every detail stays cheap
    assert len(Report(json.loads(body)).error_details) == 1000


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


def test_stats_lenient_and_strict_where_it_matters() -> None:
    assert Stats({"data": None}).records == ()
    assert Stats({}).latest is None
    with_errors = Stats({"data": None, "errors": [{"code": "x", "title": "T", "traceId": "1"}]})
    assert with_errors.errors[0].code == "x"
    with pytest.raises(ResponseValidationError):
        Stats({"data": {"statisticsRecordList": [{"total": "lots"}]}})
    with pytest.raises(ResponseValidationError):
        Stats({"data": {"statisticsRecordList": [{"endDate": "yesterday"}]}})
    with pytest.raises(ResponseValidationError):
        Stats([])  # type: ignore[arg-type]
