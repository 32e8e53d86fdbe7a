"""A generation decommissioned in the middle of a push (issue 14), over loopback against the simulator:
the push stops cleanly with its journal intact, and the same state resumes it under another generation
without resending what Criteo had accepted."""

from __future__ import annotations

from pathlib import Path

import pytest

from criteo_catalog_sdk import ApiVersionGoneError, CatalogClient, PollPolicy, ProgressEvent, PushAborted
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

from .conftest import product

PRODUCTS = 30
BATCH = 10


def client(sim: CriteoSimulator, api_version: str) -> CatalogClient:
    return CatalogClient(
        sim.client_id,
        sim.client_secret,
        base_url=sim.base_url,
        api_version=api_version,
        polling=PollPolicy(initial_delay=0.1, max_delay=0.3),
    )


def test_a_push_cut_by_a_410_resumes_under_another_generation(
    criteo_simulator: CriteoSimulator, tmp_path: Path
) -> None:
    sim = criteo_simulator
    catalog = [product(id=f"P{i:02d}", title=f"Product {i}") for i in range(PRODUCTS)]
    state = tmp_path / "state.db"

    decommissioned: list[object] = []

    def decommission_after_the_first_batch(event: ProgressEvent) -> None:
        if event.accepted >= BATCH and not decommissioned:
            decommissioned.append(sim.control.decommission("preview"))

    with client(sim, "preview") as preview, pytest.raises(PushAborted) as stopped:
        preview.push(
            catalog,
            merchant_id=sim.merchant_id,
            state=state,
            batch_size=BATCH,
            concurrency=1,
            rate_limit=20,  # a batch every half second: time to decommission between two
            on_progress=decommission_after_the_first_batch,
        )
    assert isinstance(stopped.value.cause, ApiVersionGoneError)
    assert "preview" in str(stopped.value) and "experimental" in str(stopped.value)
    accepted_before = {r["operationToken"] for r in sim.control.operations()}
    assert 1 <= len(accepted_before) < PRODUCTS // BATCH  # stopped part way

    with (
        client(sim, "experimental") as experimental,
        experimental.push(catalog, merchant_id=sim.merchant_id, state=state, batch_size=BATCH) as result,
    ):
        assert result.resumed
        assert (result.summary.upserted, result.summary.rejected, result.summary.pending) == (PRODUCTS, 0, 0)
    # What preview had accepted was not sent again; the rest went to experimental's paths.
    sent_after = [r for r in sim.control.requests("batch") if r["status"] == 202 and r["apiVersion"] == "experimental"]
    products_sent = sum(o["products"] for o in sim.control.operations() if o["operationToken"] not in accepted_before)
    assert sent_after and products_sent == PRODUCTS - BATCH * len(accepted_before)
    assert len(sim.control.catalog(sim.merchant_id)) == PRODUCTS
