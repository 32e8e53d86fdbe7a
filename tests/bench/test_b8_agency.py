"""B8's floors: the fewest seconds an agency's push can take, from a full call budget and issue 15's."""

from __future__ import annotations

import pytest

from bench.b1_push import plan_calls
from bench.b8_agency import floors


@pytest.mark.parametrize(
    ("n", "calls", "expected"),
    [
        # Fewer calls than a minute's budget: products/s bound the push; issue 15's rate-only floor is the calls'.
        (30_000, 72, (10.0, 72 / 250 * 60)),
        # Beyond it: the calls past the first 250 at 250 per minute.
        (30_000, 550, (72.0, 132.0)),
        # Products bound both.
        (300_000, 100, (100.0, 100.0)),
    ],
)
def test_floors(n: int, calls: int, expected: tuple[float, float]) -> None:
    assert floors(n, calls, 3000.0, 250) == pytest.approx(expected)


def test_floors_without_a_call_budget_are_the_products() -> None:
    assert floors(6000, 999, 3000.0, 0) == (2.0, 2.0)


def test_plan_calls_one_batch_per_second_of_budget_and_one_poll_each() -> None:
    assert plan_calls(60_000, 3000.0) == (27, 54)  # batches of 2,250 (75% of a second)
    assert plan_calls(2_250, 3000.0) == (1, 2)
    assert plan_calls(2_251, 3000.0) == (2, 4)


def test_sharing_check() -> None:
    from bench.b8_agency import _sharing_check

    assert "12 of the 12" in _sharing_check([12], {"calls": [12], "wall": [3.0]})
    assert "every process's." in _sharing_check([12], {"calls": [12], "wall": [3.0]})
    assert "NOT" in _sharing_check([6, 12], {"calls": [12, 12], "wall": [3.0, 3.0]})
    # A run over a minute is not judged: the budget forgets calls older than its minute.
    assert "NOT" not in _sharing_check([12, 365], {"calls": [12, 623], "wall": [3.0, 127.0]})
    assert "not checked" in _sharing_check([365], {"calls": [623], "wall": [127.0]})
