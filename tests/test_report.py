"""Reading reports leniently (and cheaply)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from criteo_catalog_sdk import ProductErrors, Report, ReportIssue, ResponseValidationError
from tests.documented_examples import documented_examples
from tests.fakes.mock_criteo import report_body


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


@pytest.mark.parametrize("raw", [[], "VALIDATED", 3, None])
def test_a_body_that_is_not_an_object_is_not_a_report(raw: Any) -> None:
    with pytest.raises(ResponseValidationError) as info:
        Report(raw)
    assert info.value.body


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ({}, ""),
        ({"status": None}, ""),
        ({"status": 3}, ""),
        (report_body("validated"), "VALIDATED"),
        (report_body(" Validated_With_Errors "), "VALIDATED_WITH_ERRORS"),
        (report_body("failed"), "FAILED"),
        (report_body("in_progress"), "IN_PROGRESS"),
    ],
)
def test_statuses_are_read_case_insensitively_and_a_missing_one_is_not_final(
    raw: dict[str, Any], status: str, caplog: pytest.LogCaptureFixture
) -> None:
    report = Report(raw)
    assert report.status == status
    assert report.is_done == (status in {"VALIDATED", "VALIDATED_WITH_ERRORS", "FAILED"})
    assert bool(report.notes) == (status == "")  # a missing status is noted, a lower-case one is not odd


@pytest.mark.parametrize("value", ["n/a", "many", [1], True, {"n": 1}, 1.5, "1e3", "٣"])
def test_a_counter_that_is_not_an_integer_is_none_with_one_warning(
    value: object, caplog: pytest.LogCaptureFixture
) -> None:
    report = Report(report_body("VALIDATED", numberOfProductsUpserted=value, numberOfProductsInTheBatch=value))
    assert report.number_of_products_upserted is None and report.number_of_products_in_the_batch is None
    assert report.is_done and len(report.notes) == 2
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "numberOfProductsUpserted" in warnings[0].getMessage()


@pytest.mark.parametrize(
    ("details", "kept"),
    [
        ({"a": 1}, 0),
        ("none", 0),
        (["not an object", {"productId": "b", "errors": []}], 1),
        ([{"productId": "c", "errors": "oops"}], 1),
        ([{"productId": "d", "errors": ["x", {"type": "MissingName", "message": "m"}]}], 1),
    ],
)
def test_malformed_details_are_skipped_and_noted(details: object, kept: int) -> None:
    report = Report(report_body("VALIDATED_WITH_ERRORS", errorDetails=details, warningDetails=details))
    assert len(report.error_details) == kept and len(report.warning_details) == kept
    assert report.notes  # what was skipped is said


def test_details_are_built_once() -> None:
    report = Report(report_body(errorDetails=[{"productId": "a", "errors": []}]))
    assert report.error_details is report.error_details
