"""Lifecycle over loopback: a deprecated generation's every answer carries Deprecation and Sunset, a
decommissioned one answers 410 Gone to every call; the other generations are untouched."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from click.testing import CliRunner

from criteo_catalog_sdk.cli import main
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator
from criteo_catalog_sdk.simulator.runner import SimulatorProcess

from .conftest import insert

SUNSET = "Thu, 31 Dec 2026 00:00:00 GMT"


@pytest.fixture
def sim(criteo_simulator: CriteoSimulator) -> CriteoSimulator:
    criteo_simulator.control.freeze()
    return criteo_simulator


@pytest.fixture
def http(sim: CriteoSimulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sim.base_url, headers=sim.headers(), timeout=10) as client:
        yield client


def answers(http: httpx.Client, generation: str) -> dict[str, httpx.Response]:
    """One answer of each kind a generation gives (2xx, 4xx of each operation, an injected fault)."""
    batch = f"/{generation}/catalog/products/batch"
    accepted = http.post(batch, json={"entries": [insert("a")]})
    token = accepted.json()["operationToken"] if accepted.status_code == 202 else "x.y."
    return {
        "batch 202": accepted,
        "batch 400": http.post(batch, json={"entries": []}),
        "batch 401": http.post(batch, json={"entries": []}, headers={"Authorization": "Bearer nope"}),
        "batch 405": http.get(batch),
        "report 200": http.get(f"{batch}/report/{token}"),
        "report 400": http.get(f"{batch}/report/nonsense"),
        "stats 200": http.get(f"/{generation}/catalog/stats/merchants/123"),
        "stats 403": http.get(f"/{generation}/catalog/stats/merchants/0"),
    }


def test_a_deprecated_generation_says_so_on_every_answer(sim: CriteoSimulator, http: httpx.Client) -> None:
    views = sim.control.deprecate("preview", "2026-12-31")
    assert {v["name"]: (v["state"], v["sunset"]) for v in views}["preview"] == ("deprecated", "2026-12-31T00:00:00Z")
    sim.control.fail_next("503", route="stats")
    faulted = http.get("/preview/catalog/stats/merchants/123")
    assert faulted.status_code == 503
    for name, answer in {**answers(http, "preview"), "stats 503 (fault)": faulted}.items():
        assert (answer.headers.get("deprecation"), answer.headers.get("sunset")) == ("true", SUNSET), name
    for name, answer in answers(http, "experimental").items():
        assert "deprecation" not in answer.headers and "sunset" not in answer.headers, name
    token = http.post(
        "/oauth2/token", data={"grant_type": "client_credentials", "client_id": "a", "client_secret": "b"}
    )
    assert "deprecation" not in token.headers


def test_a_decommissioned_generation_is_gone(sim: CriteoSimulator, http: httpx.Client) -> None:
    sim.control.decommission("preview")
    gone = answers(http, "preview")
    gone["report (other method)"] = http.delete("/preview/catalog/products/batch/report/x.y.")
    for name, answer in gone.items():
        assert answer.status_code == 410, name
        problem = answer.json()["errors"][0]
        assert problem["code"] == "api-version-decommissioned", name
        assert problem["title"] == "API version 'preview' has been decommissioned.", name
        assert problem["instance"] == answer.request.url.path, name
        assert "experimental" in problem["detail"]
        # Answered before authentication: nothing spent, no budget to describe.
        assert "x-ratelimit-limit" not in answer.headers, name
    assert {name: a.status_code for name, a in answers(http, "experimental").items()} == {
        "batch 202": 202,
        "batch 400": 400,
        "batch 401": 401,
        "batch 405": 405,
        "report 200": 200,
        "report 400": 400,
        "stats 200": 200,
        "stats 403": 403,
    }
    log = sim.control.requests(api_version="preview")
    assert log and {r["status"] for r in log} == {410}
    # reset() brings back the start-up lifecycle (all active here).
    sim.control.reset()
    assert {v["state"] for v in sim.control.generations()} == {"active"}
    assert http.get("/preview/catalog/stats/merchants/123", headers=sim.headers()).status_code == 200


def test_moving_between_phases_and_mistakes(sim: CriteoSimulator) -> None:
    control = sim.control
    control.deprecate("preview", "2026-12-31")
    states = {v["name"]: v["state"] for v in control.decommission("preview")}
    assert states["preview"] == "decommissioned"
    assert control.settings()["deprecated"] == {} and control.settings()["decommissioned"] == ["preview"]
    assert {v["name"]: v["state"] for v in control.activate("preview")}["preview"] == "active"
    for mistake in (
        lambda: control.deprecate("nope", "2026-12-31"),
        lambda: control.deprecate("preview", "someday"),
        lambda: control._call("POST", "/generations/preview/deprecate"),
        lambda: control.configure(decommissioned=["nope"]),
    ):
        with pytest.raises(RuntimeError, match="400"):
            mistake()
    with pytest.raises(RuntimeError, match="404"):
        control._call("POST", "/generations/preview/retire")


def test_the_command_line_options() -> None:
    args = ["--deprecate", "experimental=2027-06-30", "--decommission", "preview", "--static-token", "t"]
    with SimulatorProcess(args) as process, httpx.Client(base_url=process.base_url) as http:
        headers = {"Authorization": "Bearer t"}
        assert http.get("/preview/catalog/stats/merchants/1", headers=headers).status_code == 410
        answer = http.get("/experimental/catalog/stats/merchants/1", headers=headers)
        assert answer.status_code == 200 and answer.headers["sunset"] == "Wed, 30 Jun 2027 00:00:00 GMT"


@pytest.mark.parametrize(
    "args", [["--deprecate", "preview"], ["--deprecate", "nope=2027-01-01"], ["--decommission", "nope"]]
)
def test_bad_lifecycle_options_are_refused(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["simulator", "--port", "0", *args])
    assert result.exit_code == 2, result.output
