from __future__ import annotations

from typing import Any

import pytest

from criteo_catalog_sdk.push.reconcile import EntryRef, names_entries, reconcile
from criteo_catalog_sdk.report import Report

ENTRIES = [
    EntryRef(1, "sku-a", "SKU-A", "insert"),
    EntryRef(2, "sku-b", "SKU-b", "insert"),
    EntryRef(3, "old-1", "Old-1", "delete"),
]


def report(status: str, **kw: Any) -> dict[str, Any]:
    return {
        "status": status,
        "importRequestTimestamp": "1615799535032",
        "numberOfProductsInTheBatch": "3",
        "numberOfProductsUpserted": "2",
        "numberOfProductsDeleted": "1",
        "numberOfProductsWithErrors": "0",
        "errorDetails": [],
        **kw,
    }


def test_validated_means_everything_applied() -> None:
    rec = reconcile(report("VALIDATED"), ENTRIES)
    assert [(o.position, o.status) for o in rec.outcomes] == [(1, "upserted"), (2, "upserted"), (3, "deleted")]


def test_errors_and_warnings_map_back_through_lowercased_ids() -> None:
    r = report(
        "VALIDATED_WITH_ERRORS",
        errorDetails=[
            {
                "productId": "sku-b",
                "errors": [{"type": "OverlargeBigImage", "message": '{"Length":1042}', "isServerRelated": False}],
            }
        ],
        warningDetails=[
            {
                "productId": "sku-a",
                "warnings": [{"type": "InvalidBadgeUrl", "message": "bad", "isServerRelated": False}],
            }
        ],
    )
    rec = reconcile(r, ENTRIES)
    a, b, _ = rec.outcomes
    assert a.status == "upserted" and a.warnings[0].type == "InvalidBadgeUrl"
    assert b.status == "rejected" and b.errors[0].type == "OverlargeBigImage" and b.errors[0].is_server_related is False
    assert b.errors[0].message == '{"Length":1042}'
    assert rec.unmatched_errors == ()


def test_failed_with_unconfirmed_products() -> None:
    # The documented FAILED example: its only product is in errorDetails.
    r = report(
        "FAILED",
        numberOfProductsUpserted="0",
        numberOfProductsDeleted="0",
        errorDetails=[
            {"productId": "sku-a", "errors": [{"type": "UnknownError", "message": "x", "isServerRelated": True}]}
        ],
    )
    rec = reconcile(r, ENTRIES)
    assert [o.status for o in rec.outcomes] == ["rejected"] * 3
    assert [o.errors[0].type for o in rec.outcomes] == ["UnknownError", "BatchFailed", "BatchFailed"]


def test_failed_but_counters_confirm_the_rest() -> None:
    r = report(
        "FAILED",
        numberOfProductsUpserted=1,
        numberOfProductsDeleted=1,
        errorDetails=[
            {"productId": "sku-a", "errors": [{"type": "MissingImages", "message": "", "isServerRelated": False}]}
        ],
    )
    rec = reconcile(r, ENTRIES)
    assert [o.status for o in rec.outcomes] == ["rejected", "upserted", "deleted"]


def test_lenient_report_shapes() -> None:
    # no warningDetails (every documented report), counters null or int, unknown ids, junk entries
    r = {
        "status": "validated_with_errors",
        "numberOfProductsUpserted": None,
        "errorDetails": [
            {"productId": "GHOST", "errors": []},
            "junk",
            {"errors": []},
            {"productId": "SKU-A", "errors": [{"type": "MissingName"}]},
        ],
    }
    rec = reconcile(r, ENTRIES)
    assert rec.outcomes[0].status == "rejected" and rec.outcomes[0].errors[0].type == "MissingName"
    assert rec.unmatched_errors[0][0] == "ghost"
    assert rec.unmatched_errors[0][1][0].type == "UnknownError"


def test_non_terminal_reports_are_refused() -> None:
    for status in ("ACCEPTED", "IN_PROGRESS", None, "SOMETHING_NEW"):
        with pytest.raises(ValueError):
            reconcile({"status": status}, ENTRIES)


def test_statuses_are_read_case_insensitively_and_odd_counters_do_not_raise() -> None:
    rec = reconcile(report("validated", numberOfProductsUpserted="n/a"), ENTRIES)
    assert [o.status for o in rec.outcomes] == ["upserted", "upserted", "deleted"]
    failed = reconcile(report("Failed", numberOfProductsUpserted="n/a", numberOfProductsDeleted=None), ENTRIES)
    assert [o.status for o in failed.outcomes] == ["rejected"] * 3  # nothing confirms they were applied


@pytest.mark.parametrize(
    ("body", "needed"),
    [
        ({"status": "VALIDATED", "numberOfProductsUpserted": 3}, False),
        ({"status": "VALIDATED_WITH_ERRORS", "errorDetails": [{"productId": "a", "errors": []}]}, True),
        ({"status": "VALIDATED", "warningDetails": [{"productId": "a", "warnings": []}]}, True),
        ({"status": "FAILED", "numberOfProductsUpserted": 0}, True),
        ({"status": "failed"}, True),  # statuses are read case-insensitively
    ],
    ids=["clean", "errors", "warnings", "failed", "failed lower-case"],
)
def test_names_entries(body: dict[str, Any], needed: bool) -> None:
    assert names_entries(Report(body)) is needed
