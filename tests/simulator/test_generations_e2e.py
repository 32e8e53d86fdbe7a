"""Several generations served at once over loopback: each at its own paths, judged by its own spec,
one backend behind them (catalogs, operations and tokens shared)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest

from criteo_catalog_sdk.api_versions import API_VERSIONS, DEFAULT_API_VERSION, ENV_API_VERSION, get_api_version
from criteo_catalog_sdk.errors import UnsupportedOperationError
from criteo_catalog_sdk.simulator.config import Settings, SimulatorConfig
from criteo_catalog_sdk.simulator.generations import build_generations
from criteo_catalog_sdk.simulator.handle import SimulatorControl
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator, pick_generation
from criteo_catalog_sdk.simulator.runner import SimulatorServer

from .conftest import dated_release, insert

RELEASE = "/2027-01/marketing-solutions/catalog"


@pytest.fixture(scope="module")
def server() -> Iterator[SimulatorServer]:
    settings = Settings(accepted_seconds=0, processing_seconds=0)
    config = SimulatorConfig(port=0, settings=settings, api_versions=("preview", dated_release()))
    with SimulatorServer(config) as running:
        yield running


@pytest.fixture
def http(server: SimulatorServer) -> Iterator[httpx.Client]:
    with SimulatorControl(server.base_url) as control:
        control.reset()
    token = httpx.post(
        f"{server.base_url}/oauth2/token",
        data={"grant_type": "client_credentials", "client_id": "a", "client_secret": "b"},
    ).json()["access_token"]
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {token}"}) as client:
        yield client


def test_a_dated_release_next_to_preview(server: SimulatorServer, http: httpx.Client) -> None:
    string_id = {"entries": [{**insert("Dated"), "merchantId": "123"}]}
    accepted = http.post(f"{RELEASE}/products/batch", json=string_id)
    assert accepted.status_code == 202, accepted.text
    # Its spec types merchantId as a string: an integer is a 400 naming the field.
    refused = http.post(f"{RELEASE}/products/batch", json={"entries": [insert("x", merchant=123)]})
    assert refused.status_code == 400
    problem = refused.json()["errors"][0]
    assert (problem["code"], problem["detail"]) == ("json-format", "entries.merchantId: expected a string")
    assert problem["instance"] == f"{RELEASE}/products/batch"
    # preview takes the integer.
    preview = http.post("/preview/catalog/products/batch", json={"entries": [insert("Old", merchant=123)]})
    assert preview.status_code == 202
    # The report route whose parameter is named `id` works, and reads operations of any generation.
    for token in (accepted.json()["operationToken"], preview.json()["operationToken"]):
        report = http.get(f"{RELEASE}/products/batch/report/{token}")
        assert (report.status_code, report.json()["status"]) == (200, "VALIDATED")
    # No statistics operation in the dated release: its would-be path is unknown.
    missing = http.get(f"{RELEASE}/stats/merchants/123")
    assert (missing.status_code, missing.json()["errors"][0]["code"]) == (404, "not-found")
    # Generations not served are unknown paths too.
    assert http.post("/experimental/catalog/products/batch", json=string_id).status_code == 404
    # One backend: one catalog, whichever generation wrote it.
    with SimulatorControl(server.base_url) as control:
        assert set(control.catalog(123)) == {"dated", "old"}
        log = [(r["route"], r["apiVersion"], r["status"]) for r in control.requests() if r["route"] != "token"]
        assert log == [
            ("batch", "2027-01", 202),
            ("batch", "2027-01", 400),
            ("batch", "preview", 202),
            ("report", "2027-01", 200),
            ("report", "2027-01", 200),
        ]
        assert [r["status"] for r in control.requests(api_version="preview")] == [202]


def test_the_control_endpoint_lists_the_served_generations(server: SimulatorServer) -> None:
    with SimulatorControl(server.base_url) as control:
        views = {view["name"]: view for view in control.generations()}
    assert list(views) == ["preview", "2027-01"]
    assert views["2027-01"]["operations"]["stats"] is None and views["2027-01"]["merchantIdType"] == "string"
    assert views["preview"]["operations"]["report"] == {
        "method": "GET",
        "path": "/preview/catalog/products/batch/report/{operation-token}",
    }
    assert {view["state"] for view in views.values()} == {"active"}


@pytest.mark.parametrize("criteo_simulator_api_version", API_VERSIONS)
def test_the_fixture_gives_the_chosen_generations_paths(criteo_simulator: CriteoSimulator) -> None:
    # Every generation the SDK knows, including one a user added with `make update-spec`: its own paths
    # (from its spec, whatever their layout), its merchant id type, statistics only where it has them.
    sim = criteo_simulator
    version = get_api_version(sim.api_version)
    assert sim.paths.batch == version.batch.path()
    assert sim.paths.batch.startswith(f"/{sim.api_version}/")
    merchant = version.merchant_id_value(sim.merchant_id)
    calls = 2
    with httpx.Client(base_url=sim.base_url, headers=sim.headers()) as http:
        accepted = http.post(sim.paths.batch, json={"entries": [insert("a", merchant=merchant)]})  # type: ignore[arg-type]
        assert accepted.status_code == 202, accepted.text
        token = accepted.json()["operationToken"]
        assert sim.paths.report(token) == version.report.path(token) and sim.paths.report(token).endswith(f"/{token}")
        assert http.get(sim.paths.report(token)).status_code == 200
        if version.stats is not None:
            assert http.get(sim.paths.stats(sim.merchant_id)).status_code == 200
            calls += 1
        else:
            with pytest.raises(UnsupportedOperationError):
                sim.paths.stats(sim.merchant_id)
    assert [r["apiVersion"] for r in sim.control.requests() if r["route"] != "token"] == [sim.api_version] * calls


def test_the_fixture_defaults_to_the_environment(criteo_simulator: CriteoSimulator) -> None:
    assert criteo_simulator.api_version == (os.environ.get(ENV_API_VERSION) or DEFAULT_API_VERSION)


def test_paths_of_a_generation_without_stats_and_unknown_names() -> None:
    served = build_generations(["preview", dated_release()])
    release = pick_generation(served, " 2027-01 ")
    paths = CriteoSimulator("http://x", "a", "b", 1, None, "2027-01", release.version).paths  # type: ignore[arg-type]
    assert paths.report("t.k.") == f"{RELEASE}/products/batch/report/t.k."
    with pytest.raises(UnsupportedOperationError):
        paths.stats(1)
    with pytest.raises(LookupError, match="'experimental', a generation the simulator does not serve"):
        pick_generation(served, "experimental")
