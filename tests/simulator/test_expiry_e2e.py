"""Product expiry on the simulator's clock, over loopback: catalogs and stats never show an expired product."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from criteo_catalog_sdk.simulator.config import Settings, SimulatorConfig
from criteo_catalog_sdk.simulator.handle import SimulatorControl
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator
from criteo_catalog_sdk.simulator.runner import SimulatorServer

from .conftest import insert

DAY = 86_400


def push(sim: CriteoSimulator, *entries: dict[str, Any]) -> None:
    answer = httpx.post(f"{sim.base_url}{sim.paths.batch}", json={"entries": list(entries)}, headers=sim.headers())
    assert answer.status_code == 202, answer.text
    sim.control.advance(1)  # the operation finishes (0.3 s in the fixture) and its changes land


def stats(sim: CriteoSimulator) -> dict[str, Any]:
    answer = httpx.get(f"{sim.base_url}{sim.paths.stats(123)}?lastNumHours=48", headers=sim.headers())
    assert answer.status_code == 200, answer.text
    return dict(answer.json()["data"]["statisticsRecordList"][0])


def test_products_expire_30_days_after_their_last_update(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator
    sim.control.freeze()
    push(sim, insert("a"), insert("b"))
    sim.control.advance(20 * DAY)
    push(sim, insert("b"))  # day 20: b's clock restarts
    sim.control.advance(9 * DAY)  # day 29
    assert set(sim.control.catalog(123)) == {"a", "b"} and stats(sim)["total"] == 2
    sim.control.advance(2 * DAY)  # day 31
    assert set(sim.control.catalog(123)) == {"b"}
    record = stats(sim)
    assert (record["total"], record["displayable"], record["deleted"]) == (1, 0, 1)
    sim.control.advance(18 * DAY)  # day 49: b still there
    assert set(sim.control.catalog(123)) == {"b"}
    sim.control.advance(2 * DAY)  # day 51
    assert sim.control.catalog(123) == {} and stats(sim)["total"] == 0


def test_an_expiration_date_is_honoured(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator
    sim.control.freeze()
    in_five_days = datetime.fromtimestamp(sim.control.now() + 5 * DAY, UTC).isoformat()
    push(sim, insert("short", expirationDate=in_five_days), insert("default"))
    sim.control.advance(5 * DAY)
    assert set(sim.control.catalog(123)) == {"default"}


def test_expiry_survives_a_restart_with_a_state_file(tmp_path: Path) -> None:
    config = SimulatorConfig(
        port=0, state_file=str(tmp_path / "state.db"), settings=Settings(accepted_seconds=0, processing_seconds=0)
    )
    with SimulatorServer(config) as first:
        form = {"grant_type": "client_credentials", "client_id": "a", "client_secret": "b"}
        token = httpx.post(f"{first.base_url}/oauth2/token", data=form).json()["access_token"]
        batch = {"entries": [insert("kept")]}
        answer = httpx.post(
            f"{first.base_url}/preview/catalog/products/batch", json=batch, headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 202
        with SimulatorControl(first.base_url) as control:
            assert list(control.catalog(123)) == ["kept"]
    with SimulatorServer(config) as second, SimulatorControl(second.base_url) as control:
        control.advance(29 * DAY)
        assert list(control.catalog(123)) == ["kept"]
        control.advance(2 * DAY)
        assert control.catalog(123) == {}
