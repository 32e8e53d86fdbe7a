"""push_many: many merchants side by side through one client, per-merchant results, one failure alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from criteo_catalog_sdk import CatalogClient, PollPolicy, PushAborted
from criteo_catalog_sdk.errors import InvalidRequestError, PermissionDeniedError
from criteo_catalog_sdk.push.many import MerchantPush, merchant_pushes
from criteo_catalog_sdk.push.options import PushOptions
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator


def products(prefix: str, n: int) -> list[dict[str, Any]]:
    return [
        {"id": f"{prefix}{i}", "title": "T", "link": f"https://x/{i}", "imageLink": f"https://x/{i}.jpg"}
        for i in range(n)
    ]


def client(sim: CriteoSimulator) -> CatalogClient:
    return CatalogClient(sim.client_id, sim.client_secret, base_url=sim.base_url, polling=PollPolicy(0.05, 1.5, 0.3))


def test_each_merchant_gets_its_own_result_and_state(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    states = {601: tmp_path / "601.db", 602: tmp_path / "602.db"}
    events: dict[int, int] = {}
    with (
        client(sim) as c,
        c.push_many(
            {
                601: products("a", 12),
                602: MerchantPush(602, products("b", 5), deletes=["gone"], options=PushOptions(batch_size=2)),
            },
            states=states,
            on_progress=lambda merchant, event: events.__setitem__(merchant, events.get(merchant, 0) + 1),
            batch_size=5,
        ) as many,
    ):
        assert many.ok and many.merchants == [601, 602]
        assert many.results[601].summary.upserted == 12 and many.results[601].batches == 3
        assert many.results[602].summary.upserted == 5 and many.results[602].summary.deleted == 1
        assert many.results[602].batches == 3  # its own options: batches of 2 (5 products + 1 delete)
    assert set(events) == {601, 602}
    assert all(path.exists() for path in states.values())
    assert len(sim.control.catalog(601)) == 12 and len(sim.control.catalog(602)) == 5


def test_one_merchants_failure_does_not_stop_the_others(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator
    sim.control.configure(merchants=[611])  # these credentials may not manage 612
    with client(sim) as c, c.push_many({611: products("a", 4), 612: products("b", 4)}) as many:
        assert not many.ok
        assert many.results[611].summary.upserted == 4
        failure = many.failures[612]
        assert isinstance(failure, PushAborted) and isinstance(failure.cause, PermissionDeniedError)


def test_the_run_is_checked_before_anything_is_sent(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequestError, match="merchant id"):
        merchant_pushes({0: []})
    with pytest.raises(ValueError, match="share the state file"):
        merchant_pushes({1: [], 2: []}, states={1: tmp_path / "s.db", 2: tmp_path / "s.db"})
