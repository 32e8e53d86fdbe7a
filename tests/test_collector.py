"""The garbage collector's first threshold is raised while pushes run, and put back after the last one."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from criteo_catalog_sdk import CatalogClient, PollPolicy
from criteo_catalog_sdk.collector import PUSH_THRESHOLD, fewer_collections, push_threshold, threshold_to_restore
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

FOUND = (700, 10, 10)


@pytest.fixture(autouse=True)
def _default_thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(*FOUND)
    yield
    gc.set_threshold(*before)


@pytest.mark.parametrize(
    ("current", "during"),
    [(700, PUSH_THRESHOLD), (1, PUSH_THRESHOLD), (PUSH_THRESHOLD, PUSH_THRESHOLD), (50_000, 50_000), (0, 0)],
    ids=["default", "tiny", "same", "higher: kept", "collection off: kept"],
)
def test_push_threshold(current: int, during: int) -> None:
    assert push_threshold(current) == during


@pytest.mark.parametrize(
    ("found", "now", "restore"),
    [
        (FOUND, PUSH_THRESHOLD, FOUND),  # raised by the push, untouched since: put back
        (FOUND, 2_000, None),  # changed while the push ran: the newer setting stays
        (None, PUSH_THRESHOLD, None),  # the push did not raise it: nothing to put back
    ],
)
def test_threshold_to_restore(found: tuple[int, int, int] | None, now: int, restore: object) -> None:
    assert threshold_to_restore(found, now) == restore


def test_nested_blocks_restore_only_when_the_last_one_ends() -> None:
    with fewer_collections():
        assert gc.get_threshold() == (PUSH_THRESHOLD, 10, 10)
        with fewer_collections():
            assert gc.get_threshold()[0] == PUSH_THRESHOLD
        assert gc.get_threshold()[0] == PUSH_THRESHOLD
    assert gc.get_threshold() == FOUND


def test_a_threshold_changed_during_a_push_is_kept() -> None:
    with fewer_collections():
        gc.set_threshold(2_000, 10, 10)
    assert gc.get_threshold() == (2_000, 10, 10)


def products(prefix: str, n: int) -> list[dict[str, Any]]:
    return [
        {"id": f"{prefix}{i}", "title": "T", "link": f"https://x/{i}", "imageLink": f"https://x/{i}.jpg"}
        for i in range(n)
    ]


def test_pushes_run_with_the_raised_threshold_and_put_it_back(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator
    seen: list[int] = []
    with CatalogClient(
        sim.client_id, sim.client_secret, base_url=sim.base_url, polling=PollPolicy(0.05, 1.5, 0.3)
    ) as client:
        with client.push(products("a", 6), merchant_id=701, on_progress=lambda _: seen.append(gc.get_threshold()[0])):
            pass
        assert seen and set(seen) == {PUSH_THRESHOLD}
        assert gc.get_threshold() == FOUND
        seen.clear()
        many = client.push_many(
            {702: products("b", 6), 703: products("c", 6)},
            on_progress=lambda _merchant, _event: seen.append(gc.get_threshold()[0]),
        )
        with many:
            assert many.ok
    assert seen and set(seen) == {PUSH_THRESHOLD}
    assert gc.get_threshold() == FOUND
