"""Reading reports leniently (and cheaply).

Most rules are checked on both paths a report takes: ``Report(decoded)`` and what the client reads
from an answer (``_core.interpret``: the well-typed body straight into structs, any other leniently).
"""

from __future__ import annotations

import datetime
import gc
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from criteo_catalog_sdk import ProductErrors, ProductWarnings, Report, ReportIssue, ResponseValidationError
from criteo_catalog_sdk._core import interpret, report_call
from criteo_catalog_sdk.api_versions import get_api_version
from tests.documented_examples import documented_examples
from tests.fakes.mock_criteo import report_body

TOKEN = "eyJhbGciOiJub25lIn0.eyJwYXJ0bmVySWQiOjEsIm9wZXJhdGlvbklkIjoidGVzdCJ9."


def from_answer(raw: Any) -> Report:
    """What ``get_report`` reads from a 200 answer whose body is ``raw``."""
    call = report_call(get_api_version(), TOKEN)
    request = httpx.Request("GET", "http://127.0.0.1" + call.path)
    return interpret(call, httpx.Response(200, content=json.dumps(raw).encode(), request=request))


READERS: list[Callable[[Any], Report]] = [Report, from_answer]
each_reader = pytest.mark.parametrize("read", READERS, ids=["decoded", "answer"])


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


@each_reader
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
def test_is_done(read: Callable[[Any], Report], status: str, done: bool) -> None:
    assert read(report_body(status)).is_done is done


@each_reader
@pytest.mark.parametrize(("value", "expected"), [("7", 7), (7, 7), (None, None), ("0", 0), (7.0, 7)])
def test_counters_from_string_int_or_null(read: Callable[[Any], Report], value: object, expected: int | None) -> None:
    report = read(report_body(numberOfProductsUpserted=value, numberOfProductsWithWarnings=value))
    assert report.number_of_products_upserted == expected
    assert report.number_of_products_with_warnings == expected


@each_reader
def test_report_with_warnings_and_spec_shape(read: Callable[[Any], Report]) -> None:
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
    report = read(raw)
    assert report.number_of_products_with_warnings == 1
    assert report.error_details[0].errors[0] == ReportIssue("MissingImages", "m", True)
    assert report.warning_details[0].product_id == "b"
    assert report.warning_details[0].warnings[0].type == "InvalidBadgeUrl"
    # unknown enum values are kept, not rejected
    raw["errorDetails"][0]["errors"][0]["type"] = "BrandNewError"
    assert read(raw).error_details[0].errors[0].type == "BrandNewError"


@each_reader
def test_report_without_error_details_is_read_as_no_errors(read: Callable[[Any], Report]) -> None:
    raw = report_body()
    del raw["errorDetails"]
    assert read(raw).error_details == ()


@each_reader
@pytest.mark.parametrize("raw", [[], "VALIDATED", 3, None])
def test_a_body_that_is_not_an_object_is_not_a_report(read: Callable[[Any], Report], raw: Any) -> None:
    with pytest.raises(ResponseValidationError) as info:
        read(raw)
    assert info.value.body


@each_reader
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
    read: Callable[[Any], Report], raw: dict[str, Any], status: str, caplog: pytest.LogCaptureFixture
) -> None:
    report = read(raw)
    assert report.status == status
    assert report.is_done == (status in {"VALIDATED", "VALIDATED_WITH_ERRORS", "FAILED"})
    assert bool(report.notes) == (status == "")  # a missing status is noted, a lower-case one is not odd


@each_reader
@pytest.mark.parametrize("value", ["n/a", "many", [1], True, {"n": 1}, 1.5, "1e3", "٣"])
def test_a_counter_that_is_not_an_integer_is_none_with_one_warning(
    read: Callable[[Any], Report], value: object, caplog: pytest.LogCaptureFixture
) -> None:
    report = read(report_body("VALIDATED", numberOfProductsUpserted=value, numberOfProductsInTheBatch=value))
    assert report.number_of_products_upserted is None and report.number_of_products_in_the_batch is None
    assert report.is_done and len(report.notes) == 2
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "numberOfProductsUpserted" in warnings[0].getMessage()


@each_reader
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
def test_malformed_details_are_skipped_and_noted(read: Callable[[Any], Report], details: object, kept: int) -> None:
    report = read(report_body("VALIDATED_WITH_ERRORS", errorDetails=details, warningDetails=details))
    assert len(report.error_details) == kept and len(report.warning_details) == kept
    assert report.notes  # what was skipped is said


def test_details_are_built_once() -> None:
    report = Report(report_body(errorDetails=[{"productId": "a", "errors": []}]))
    assert report.error_details is report.error_details


# -- the well-typed path: the body straight into the detail structs ---------------------------------

WELL_TYPED = report_body(
    "VALIDATED_WITH_ERRORS",
    numberOfProductsWithWarnings=1,
    errorDetails=[
        {"productId": "a", "errors": [{"type": "MissingImages", "message": "m", "isServerRelated": True}]},
        {"productId": "b", "errors": [{"type": "MissingName", "message": "n"}], "unknownKey": [1]},
        {"productId": "c", "errors": []},
        {"errors": [{"isServerRelated": False}]},
    ],
    warningDetails=[{"productId": "d", "warnings": [{"type": "InvalidBadgeUrl", "message": "w"}]}],
)


def _read_fully(report: Report) -> tuple[Any, ...]:
    """Everything a user can read of a report (the details first: reading them may add notes)."""
    details = (report.error_details, report.warning_details)
    counters = [getattr(report, name) for name in dir(report) if name.startswith(("number_of", "import_"))]
    return (report.status, *counters, *details, list(report.notes), report.raw)


def test_a_well_typed_body_is_decoded_straight_into_the_structs() -> None:
    body = json.dumps(WELL_TYPED).encode()
    report = Report.from_json(body)
    assert report is not None
    assert _read_fully(report) == _read_fully(Report(json.loads(body)))
    assert report.error_details[1] == ProductErrors("b", (ReportIssue("MissingName", "n", False),))
    assert report.error_details[3] == ProductErrors("", (ReportIssue("", "", False),))
    assert report.warning_details == (ProductWarnings("d", (ReportIssue("InvalidBadgeUrl", "w", False),)),)


@pytest.mark.parametrize(
    "example", [e for e in documented_examples() if e.endpoint == "report" and e.status == 200], ids=lambda e: e.id
)
def test_every_documented_report_takes_the_well_typed_path(example: Any) -> None:
    report = Report.from_json(example.body)
    assert report is not None
    assert _read_fully(report) == _read_fully(Report(json.loads(example.body)))


@pytest.mark.parametrize(
    "entry",
    [
        {"productId": 12, "errors": []},
        {"productId": None, "errors": []},
        {"productId": "a", "errors": None},
        {"productId": "a", "errors": "oops"},
        {"productId": "a", "errors": [{"type": None, "message": "m"}]},
        {"productId": "a", "errors": [{"type": "T", "message": 3}]},
        {"productId": "a", "errors": [{"type": "T", "message": "m", "isServerRelated": "true"}]},
        {"productId": "a", "errors": [{"type": "T", "message": "m", "isServerRelated": None}]},
        {"productId": "a", "errors": ["x"]},
        "not an object",
    ],
)
def test_a_detail_of_another_type_sends_the_body_to_the_lenient_reader(entry: object) -> None:
    raw = report_body("VALIDATED_WITH_ERRORS", errorDetails=[entry])
    assert Report.from_json(json.dumps(raw).encode()) is None
    assert _read_fully(from_answer(raw)) == _read_fully(Report(raw))


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'"VALIDATED"', b'{"status": NaN}'])
def test_from_json_refuses_what_is_not_a_json_object(body: bytes) -> None:
    assert Report.from_json(body) is None


def test_the_details_unpack_and_stay_out_of_the_garbage_collector() -> None:
    report = Report.from_json(json.dumps(WELL_TYPED).encode())
    assert report is not None
    product_id, errors = report.error_details[0]
    kind, message, server_related = errors[0]
    assert (product_id, kind, message, server_related) == ("a", "MissingImages", "m", True)
    assert not gc.is_tracked(report.error_details[0]) and not gc.is_tracked(errors[0])
    assert hash(errors[0]) == hash(ReportIssue("MissingImages", "m", True))


# Values of every JSON type where the spec expects one: the two paths must read them alike.
_any = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=4),
    st.sampled_from(["7", " 8 ", "-1", "validated", "FAILED"]),
    st.lists(st.integers(), max_size=1),
)
_text = st.one_of(st.text(max_size=4), _any)
_issue = st.one_of(st.fixed_dictionaries({}, optional={"type": _text, "message": _text, "isServerRelated": _any}), _any)
_issues = st.one_of(st.lists(_issue, max_size=3), _any)
_errors = st.fixed_dictionaries({}, optional={"productId": _text, "errors": _issues, "warnings": _issues})
_details = st.one_of(st.lists(st.one_of(_errors, _any), max_size=3), _any)
_report = st.fixed_dictionaries(
    {},
    optional={
        "status": _text,
        "importRequestTimestamp": _any,
        "numberOfProductsInTheBatch": _any,
        "numberOfProductsWithErrors": _any,
        "numberOfProductsWithWarnings": _any,
        "errorDetails": _details,
        "warningDetails": _details,
    },
)


@given(_report)
def test_both_paths_read_every_body_alike(raw: dict[str, Any]) -> None:
    body = json.dumps(raw).encode()
    lenient = _read_fully(Report(json.loads(body)))
    fast = Report.from_json(body)
    if fast is not None:
        assert _read_fully(fast) == lenient
    assert _read_fully(from_answer(raw)) == lenient


def test_to_json_gives_the_body_as_received_without_decoding_it() -> None:
    body = b'{"status":"VALIDATED","numberOfProductsUpserted":2,"errorDetails":[],"warningDetails":[]}'
    report = Report.from_json(body)
    assert report is not None
    assert report.to_json() == body.decode()
    assert report._raw is None  # not decoded for it
    built = Report({"status": "VALIDATED", "numberOfProductsUpserted": 2})
    assert json.loads(built.to_json()) == {"status": "VALIDATED", "numberOfProductsUpserted": 2}
