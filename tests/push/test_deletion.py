"""The mass-deletion guard, table-tested."""

from __future__ import annotations

import pytest

from criteo_catalog_sdk.push.deletion import deletion_refusal
from criteo_catalog_sdk.push.journal import DeletionCounts


@pytest.mark.parametrize(
    ("counts", "fraction", "refused", "says"),
    [
        (DeletionCounts(held=100, missing=0, valid=100, unreadable=0, input_complete=True), 0.1, False, ""),
        (DeletionCounts(100, 10, 90, 0, True), 0.1, False, ""),  # exactly the limit: allowed
        (DeletionCounts(100, 11, 89, 0, True), 0.1, True, "11 of the 100"),
        (DeletionCounts(100, 50, 50, 0, True), 0.1, True, "50%"),
        (DeletionCounts(100, 50, 50, 0, True), 0.5, False, ""),
        (DeletionCounts(100, 100, 0, 0, True), 1.0, True, "no valid product"),  # an empty feed, even with 1
        (DeletionCounts(100, 5, 95, 1, True), 1.0, True, "unreadable"),
        (DeletionCounts(100, 5, 95, 0, False), 1.0, True, "not read to its end"),
        (DeletionCounts(3, 3, 2, 0, True), 1.0, False, ""),  # 1 allows deleting every product
        (DeletionCounts(0, 0, 0, 0, True), 0.1, False, ""),
    ],
)
def test_deletion_refusal(counts: DeletionCounts, fraction: float, refused: bool, says: str) -> None:
    reason = deletion_refusal(counts, fraction)
    assert (reason is not None) == refused
    if reason is not None:
        assert says in reason and "nothing deleted" in reason


def test_the_refusal_names_the_counts_the_fraction_and_the_option() -> None:
    reason = deletion_refusal(DeletionCounts(2_000, 1_000, 1_000, 0, True), 0.1)
    assert reason is not None
    assert "1,000 of the 2,000" in reason and "50%" in reason and "10%" in reason
    assert "--max-delete-fraction" in reason and "0.5" in reason
