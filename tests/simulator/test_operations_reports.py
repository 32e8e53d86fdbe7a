import jsonschema
import pytest

from criteo_catalog_sdk.simulator.catalog import CatalogCounters, WindowCounters, product_flags
from criteo_catalog_sdk.simulator.operations import (
    ACCEPTED,
    FAILED,
    IN_PROGRESS,
    VALIDATED,
    VALIDATED_WITH_ERRORS,
    Operation,
    Timing,
    build_operation,
)
from criteo_catalog_sdk.simulator.products import ProductLimits
from criteo_catalog_sdk.simulator.reports import iso8601, render_report, render_stats

from .conftest import delete, documented_batch, insert
from .jsonschema_util import component

NOW = 1_615_799_535.383
TIMING = Timing(accepted_seconds=1.0, processing_seconds=2.0)


def build(entries: list[dict[str, object]]) -> Operation:
    return build_operation(
        entries, operation_id="op", token="tok", client_id="c", now=NOW, timing=TIMING, limits=ProductLimits()
    )


def test_lifecycle() -> None:
    operation = build(documented_batch()["entries"])
    assert operation.status_at(NOW) == ACCEPTED
    assert operation.status_at(NOW + 1.0) == IN_PROGRESS
    assert operation.status_at(NOW + 2.99) == IN_PROGRESS
    assert operation.status_at(NOW + 3.0) == VALIDATED
    assert not operation.expired(NOW + 4 * 86400 - 1)
    assert operation.expired(NOW + 4 * 86400)
    assert operation.merchant_id == 123


def test_outcomes_and_lowercased_ids() -> None:
    good = build([insert("A"), delete("B")])
    assert (good.final_status, good.upserted, good.deleted, good.errors) == (VALIDATED, 1, 1, [])
    some = build([insert("Ok"), insert("BAD", link="nope"), delete("")])
    assert some.final_status == VALIDATED_WITH_ERRORS
    assert [pid for pid, _ in some.errors] == ["bad", ""]
    assert some.upserted == 1 and some.deleted == 0
    # Seed 001's FAILED example: a one-product batch whose only product fails.
    failed = build([insert("test-v3-1615818478409", imageLink="https://x.example/" + "i" * 2024)])
    assert failed.final_status == FAILED
    assert failed.errors == [("test-v3-1615818478409", [("OverlargeBigImage", '{"Length":2042}')])]


def test_insert_without_product_and_delete_by_product_id() -> None:
    operation = build(
        [
            {"merchantId": 1, "method": "insert", "productId": "X"},
            {"merchantId": 1, "method": "delete", "product": {"id": "Y", "title": "t", "link": "l", "imageLink": "i"}},
        ]
    )
    assert operation.errors == [("x", [("MissingID", "An insert entry carries no product.")])]
    assert operation.changes == [(1, "y", None, 0)]


def test_warnings_do_not_change_the_status() -> None:
    operation = build([insert("a", badge="nope")])
    assert operation.final_status == VALIDATED
    assert operation.warnings == [("a", [("InvalidBadgeUrl", "Not an absolute http(s) URL.")])]


def test_record_round_trip() -> None:
    operation = build([insert("a", badge="nope"), insert("b", title="")])
    assert Operation.from_record(operation.to_record()) == operation


REPORT_SCHEMA = component("ReportOkResponse")
STATS_SCHEMA = component("StatisticsOkResponse")


@pytest.mark.parametrize("shape", ["documented", "spec"])
@pytest.mark.parametrize("offset", [0.0, 1.5, 3.0])
def test_reports_match_the_effective_spec(shape: str, offset: float) -> None:
    operation = build([insert("Ok"), insert("Bad", title=""), insert("w", badge="x")])
    report = render_report(operation, NOW + offset, shape)  # type: ignore[arg-type]
    jsonschema.validate(report, REPORT_SCHEMA)
    assert all(isinstance(report[k], str) for k in report if k.startswith("numberOf") or k.startswith("import"))
    if shape == "documented":
        assert "warningDetails" not in report and "numberOfProductsWithWarnings" not in report
    else:
        assert "warningDetails" in report and "numberOfProductsWithWarnings" in report


def test_report_contents() -> None:
    operation = build([insert("Ok"), insert("Bad", title=""), insert("w", badge="x")])
    accepted = render_report(operation, NOW, "documented")
    # Seed 001's ACCEPTED example, field for field.
    assert accepted == {
        "status": "ACCEPTED",
        "importRequestTimestamp": "1615799535383",
        "numberOfProductsInTheBatch": "3",
        "numberOfProductsUpserted": "0",
        "numberOfProductsDeleted": "0",
        "numberOfProductsWithErrors": "0",
        "errorDetails": [],
    }
    done = render_report(operation, NOW + 3, "spec")
    assert done["status"] == VALIDATED_WITH_ERRORS
    assert done["numberOfProductsUpserted"] == "2"
    assert done["numberOfProductsWithErrors"] == "1"
    assert done["numberOfProductsWithWarnings"] == "1"
    assert done["errorDetails"] == [
        {
            "productId": "bad",
            "errors": [{"type": "MissingName", "message": "The product has no title.", "isServerRelated": False}],
        }
    ]
    assert done["warningDetails"][0]["warnings"][0]["type"] == "InvalidBadgeUrl"


@pytest.mark.parametrize("shape", ["documented", "spec"])
def test_stats_match_the_effective_spec(shape: str) -> None:
    counters = CatalogCounters(
        total=10, missing_description=2, missing_price=1, out_of_stock=3, variant=4, non_displayable=4
    )
    body = render_stats(counters, WindowCounters(added=5, updated=1, deleted=2), NOW - 3600, NOW, shape)  # type: ignore[arg-type]
    jsonschema.validate(body, STATS_SCHEMA, format_checker=jsonschema.FormatChecker())
    record = body["data"]["statisticsRecordList"][0]
    expected_total = 10 if shape == "documented" else "10"
    assert record["total"] == expected_total
    assert record["displayable"] == (6 if shape == "documented" else "6")
    assert record["startDate"] == iso8601(NOW - 3600) and record["endDate"].endswith("Z")


def test_flags() -> None:
    full = {"description": "d", "price": {"value": "1"}, "availability": "in stock"}
    assert product_flags(full) == 0
    assert product_flags({}) == 1 | 2
    assert product_flags({**full, "availability": "out_of_stock", "itemGroupId": "g"}) == 4 | 8
