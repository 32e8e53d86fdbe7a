"""Operations: their lifecycle on the clock, each product's outcome, their stored record."""

from criteo_catalog_sdk.simulator.operations import (
    ACCEPTED,
    FAILED,
    IN_PROGRESS,
    VALIDATED,
    VALIDATED_WITH_ERRORS,
    Operation,
)

from .conftest import delete, documented_batch, insert
from .operation_builder import NOW, build


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
