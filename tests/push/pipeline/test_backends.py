"""The async client and its push run under every backend the docs name: asyncio and trio (anyio)."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from criteo_catalog_sdk import AsyncCatalogClient, PollPolicy
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

BACKENDS = ("asyncio", "trio")
PRODUCTS = [
    {"id": f"p{i}", "title": "T", "link": f"https://x/{i}", "imageLink": f"https://x/{i}.jpg"} for i in range(30)
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_dry_run(backend: str) -> None:
    async def run() -> Any:
        async with AsyncCatalogClient("id", "secret") as client:
            with await client.push([*PRODUCTS, {"id": "bad"}], merchant_id=1, dry_run=True) as result:
                return result.summary

    summary = anyio.run(run, backend=backend)
    assert summary.pending == 30 and summary.rejected_client == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_push_and_a_push_many_over_loopback(criteo_simulator: CriteoSimulator, backend: str) -> None:
    sim = criteo_simulator

    async def run() -> tuple[int, list[int]]:
        async with AsyncCatalogClient(
            sim.client_id, sim.client_secret, base_url=sim.base_url, polling=PollPolicy(0.05, 1.5, 0.3)
        ) as client:
            with await client.push(PRODUCTS, merchant_id=sim.merchant_id, batch_size=7) as result:
                upserted = result.summary.upserted
            with await client.push_many({501: PRODUCTS[:10], 502: PRODUCTS[10:]}, batch_size=7) as many:
                per_merchant = [many.results[m].summary.upserted for m in many.merchants]
        return upserted, per_merchant

    upserted, per_merchant = anyio.run(run, backend=backend)
    assert upserted == 30 and per_merchant == [10, 20]
    assert len(sim.control.catalog(502)) == 20
