"""Reports and statistics as rendered: valid under the effective spec, in both shapes, field for field."""

import jsonschema
import pytest

from criteo_catalog_sdk.simulator.catalog import CatalogCounters, WindowCounters
from criteo_catalog_sdk.simulator.operations import VALIDATED_WITH_ERRORS
from criteo_catalog_sdk.simulator.reports import iso8601, render_report, render_stats

from .conftest import insert
from .jsonschema_util import component
from .operation_builder import NOW, build

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
