"""The push end to end over loopback against the simulator: faults, 413 splits, lost reports, report
errors mapped back, delta sync, auth failures, pacing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from criteo_catalog_sdk import (
    AsyncCatalogClient,
    AuthenticationError,
    CatalogClient,
    PermissionDeniedError,
    PollPolicy,
    ProgressEvent,
    PushAborted,
    RetryPolicy,
)
from criteo_catalog_sdk.push.feeds import read_feed
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator
from tests.push.conftest import ROOT, product

POLL = PollPolicy(initial_delay=0.3, multiplier=1.5, max_delay=1.0)
RETRY = RetryPolicy(attempts=5, initial_wait=0.05, max_wait=0.5, jitter=0.1, deadline=60.0)


def client(sim: CriteoSimulator, **kwargs: Any) -> CatalogClient:
    kwargs.setdefault("polling", POLL)
    kwargs.setdefault("retry", RETRY)
    return CatalogClient(sim.client_id, sim.client_secret, base_url=sim.base_url, **kwargs)


def catalog(n: int, start: int = 1, **over: Any) -> list[dict[str, Any]]:
    return [product(id=f"SKU-{i:05d}", title=f"Product {i}", **over) for i in range(start, start + n)]


def batch_requests(sim: CriteoSimulator) -> list[dict[str, Any]]:
    return sim.control.requests("batch")


def test_the_example_catalog_end_to_end(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator
    events: list[ProgressEvent] = []
    with client(sim) as c:
        feed = read_feed(ROOT / "examples" / "catalog.jsonl")
        result = c.push(feed, merchant_id=sim.merchant_id, batch_size=150, on_progress=events.append)
    with result:
        s = result.summary
        assert (s.total, s.upserted, s.rejected_client, s.superseded, s.pending) == (2000, 1990, 9, 1, 0)
        assert len(sim.control.catalog(sim.merchant_id)) == 1990
        ops = sim.control.operations()
        assert sorted(o["operationToken"] for o in ops) == sorted(result.operations)
        assert sum(o["products"] for o in ops) == 1991  # line 200 went out before line 1500 superseded it
        assert sim.control.catalog(sim.merchant_id)["ao-jac-00200"]["id"] == "ao-jac-00200"  # line 1500's case
    assert events[-1].finished and events[-1].done == 1991


def test_async_client_with_an_async_generator(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator

    async def products() -> AsyncIterator[dict[str, Any]]:
        for p in catalog(1200):
            yield p

    async def main() -> tuple[int, int]:
        async with AsyncCatalogClient(
            sim.client_id, sim.client_secret, base_url=sim.base_url, polling=POLL, retry=RETRY
        ) as c:
            with await c.push(products(), merchant_id=sim.merchant_id, batch_size=200) as result:
                return result.summary.upserted, result.batches

    assert asyncio.run(main()) == (1200, 6)
    assert len(sim.control.catalog(sim.merchant_id)) == 1200


def test_faults_are_survived_and_every_product_accounted_for(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator
    for kind in ("429", "503", "drop", "truncate", "500", "invalid-json"):
        sim.control.fail_next(kind, route="batch")
    sim.control.fail_next("lost", route="report")
    sim.control.fail_next("500", route="report")
    events: list[ProgressEvent] = []
    with (
        client(sim) as c,
        c.push(catalog(3000), merchant_id=sim.merchant_id, batch_size=150, on_progress=events.append) as result,
    ):
        s = result.summary
        assert (s.total, s.upserted, s.rejected, s.pending) == (3000, 3000, 0, 0)
    assert len(sim.control.catalog(sim.merchant_id)) == 3000
    assert events[-1].throttled >= 1
    lost = [o for o in sim.control.operations() if o["lost"]]
    assert len(lost) == 1  # its batch was resubmitted: the catalog is still complete


def test_413_splits_the_batch_down_to_the_culprit(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator
    sim.control.configure(max_body_bytes=6000)
    huge = product(
        id="HUGE",
        title="Huge",
        additionalImageLinks=[f"https://cdn.example.com/{'x' * 400}/{i}.jpg" for i in range(20)],
    )
    with client(sim) as c, c.push([*catalog(20), huge], merchant_id=sim.merchant_id, batch_size=100) as result:
        s = result.summary
        assert (s.upserted, s.rejected_api) == (20, 1)
        (bad,) = result.rejected()
        assert (bad.product_id, bad.stage, bad.errors[0].type) == ("HUGE", "api", "PayloadTooLarge")
    statuses = [r["status"] for r in batch_requests(sim)]
    assert 413 in statuses and statuses.count(202) >= 2


def test_report_errors_and_warnings_are_mapped_back_to_the_given_ids(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator
    sim.control.configure(max_id_length=12, response_shape="spec")  # documented reports carry no warnings
    items = [
        product(id="Short-1", title="ok"),
        product(id="Way-Too-Long-Id", title="too long for this merchant"),
        product(id="Badged", title="warned", badge="not a url"),
    ]
    with client(sim) as c, c.push(items, merchant_id=sim.merchant_id) as result:
        s = result.summary
        assert (s.upserted, s.rejected_api, s.warned) == (2, 1, 1)
        outcomes = {o.product_id: o for o in result}
        long_id = outcomes["Way-Too-Long-Id"]
        assert long_id.status == "rejected" and long_id.stage == "api" and long_id.errors[0].type == "OverlargeID"
        assert outcomes["Badged"].status == "upserted" and outcomes["Badged"].warnings[0].type == "InvalidBadgeUrl"
        rows = list(result)
    assert len(rows) == 3


def test_delta_sends_only_changes_and_deletes_missing(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    state = tmp_path / "state.db"
    with client(sim) as c:
        c.push(catalog(50), merchant_id=sim.merchant_id, state=state, delta=True).close()
        sim.control.clear_requests()
        with c.push(catalog(50), merchant_id=sim.merchant_id, state=state, delta=True) as again:
            assert again.summary.unchanged == 50 and again.batches == 0
        assert batch_requests(sim) == []
        changed = catalog(45)
        changed[0]["title"] = "Renamed"
        changed.append(product(id="SKU-NEW", title="New"))
        with c.push(changed, merchant_id=sim.merchant_id, state=state, delta=True, delete_missing=True) as third:
            s = third.summary
            assert (s.upserted, s.unchanged, s.deleted) == (2, 44, 5)
    assert sum(r["products"] for r in batch_requests(sim)) == 7
    in_catalog = sim.control.catalog(sim.merchant_id)
    assert len(in_catalog) == 46 and in_catalog["sku-00001"]["title"] == "Renamed" and "sku-00050" not in in_catalog


def test_refused_credentials_stop_the_push(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    sim.control.configure(credentials={"someone": "else"})
    with client(sim) as c, pytest.raises(PushAborted) as info:
        c.push(catalog(10), merchant_id=sim.merchant_id, state=tmp_path / "s.db")
    assert isinstance(info.value.cause, AuthenticationError)
    sim.control.configure(credentials=None, client_merchants={sim.client_id: [1]})
    with client(sim) as c, pytest.raises(PushAborted) as info:
        c.push(catalog(10), merchant_id=sim.merchant_id, state=tmp_path / "s.db")
    assert isinstance(info.value.cause, PermissionDeniedError)
    sim.control.configure(client_merchants={})
    with client(sim) as c, c.push(catalog(10), merchant_id=sim.merchant_id, state=tmp_path / "s.db") as result:
        assert result.resumed and result.summary.upserted == 10


def test_pacing_keeps_429s_rare(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator
    with (
        client(sim) as c,
        c.push(catalog(4500), merchant_id=sim.merchant_id, batch_size=150, rate_limit=3000) as result,
    ):
        assert result.summary.upserted == 4500
    statuses = [r["status"] for r in batch_requests(sim)]
    assert statuses.count(429) <= 1 and statuses.count(202) == 30
