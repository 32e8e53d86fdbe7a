"""Behaviour over real loopback sockets (the session's simulator from the pytest plugin)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from criteo_catalog_sdk.simulator.operation_token import decode
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

from .conftest import delete, documented_batch, insert

BATCH = "/preview/catalog/products/batch"


@pytest.fixture
def sim(criteo_simulator: CriteoSimulator) -> CriteoSimulator:
    criteo_simulator.control.freeze()  # operations move only when a test advances the clock
    return criteo_simulator


@pytest.fixture
def http(sim: CriteoSimulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sim.base_url, headers=sim.headers(), timeout=10) as client:
        yield client


def push(http: httpx.Client, entries: list[dict[str, Any]]) -> str:
    response = http.post(BATCH, json={"entries": entries})
    assert response.status_code == 202, response.text
    return str(response.json()["operationToken"])


def report(http: httpx.Client, token: str) -> httpx.Response:
    return http.get(f"{BATCH}/report/{token}")


def stats(http: httpx.Client, merchant: int = 123, hours: int = 24) -> dict[str, Any]:
    response = http.get(f"/preview/catalog/stats/merchants/{merchant}", params={"lastNumHours": hours})
    assert response.status_code == 200, response.text
    return dict(response.json()["data"]["statisticsRecordList"][0])


def test_fixture_shape(criteo_simulator: CriteoSimulator) -> None:
    assert criteo_simulator.base_url.startswith("http://127.0.0.1:")
    assert criteo_simulator.token_url.endswith("/oauth2/token")
    assert criteo_simulator.merchant_id == 123
    assert criteo_simulator.control.health()["status"] == "ok"
    assert criteo_simulator.access_token().startswith("sim-")


def test_lifecycle_catalog_and_stats(sim: CriteoSimulator, http: httpx.Client) -> None:
    token = push(http, [insert("A", description="d", price={"value": "1"}), insert("B"), insert("bad", link="x")])
    assert report(http, token).json()["status"] == "ACCEPTED"
    sim.control.advance(0.15)
    assert report(http, token).json()["status"] == "IN_PROGRESS"
    assert sim.control.catalog(123) == {}
    sim.control.advance(1)
    done = report(http, token).json()
    assert done["status"] == "VALIDATED_WITH_ERRORS"
    assert (done["numberOfProductsUpserted"], done["numberOfProductsWithErrors"]) == ("2", "1")
    assert done["errorDetails"][0]["productId"] == "bad"
    assert set(sim.control.catalog(123)) == {"a", "b"}
    record = stats(http)
    assert (record["total"], record["added"], record["missingDescription"]) == (2, 2, 1)
    # Upserts replace, deletes remove.
    push(http, [insert("a", title="renamed"), delete("B")])
    sim.control.advance(1)
    catalog = sim.control.catalog(123)
    assert list(catalog) == ["a"] and catalog["a"]["title"] == "renamed"
    record = stats(http)
    assert (record["total"], record["added"], record["updated"], record["deleted"]) == (1, 2, 1, 1)


def test_failed_and_validated(sim: CriteoSimulator, http: httpx.Client) -> None:
    failed = push(http, [insert("x", title=""), insert("y", imageLink="")])
    validated = push(http, [insert("z", badge="not-a-url")])
    sim.control.advance(1)
    assert report(http, failed).json()["status"] == "FAILED"
    answer = report(http, validated).json()
    assert answer["status"] == "VALIDATED" and "warningDetails" not in answer
    sim.control.configure(response_shape="spec")
    answer = report(http, validated).json()
    assert answer["numberOfProductsWithWarnings"] == "1"
    assert answer["warningDetails"][0]["warnings"][0]["type"] == "InvalidBadgeUrl"
    assert sim.control.operation(validated)["report"]["status"] == "VALIDATED"


def test_reports_expire_after_four_days(sim: CriteoSimulator, http: httpx.Client) -> None:
    token = push(http, documented_batch()["entries"])
    sim.control.advance(4 * 86400 - 10)
    http.headers.update(sim.headers())  # the access token expired long ago
    assert report(http, token).status_code == 200
    sim.control.advance(10)
    expired = report(http, token)
    assert expired.status_code == 400
    assert expired.json()["errors"][0]["code"] == "catalog-operation-report-is-expired"


def test_access_tokens_expire_and_can_be_revoked(sim: CriteoSimulator, http: httpx.Client) -> None:
    assert http.post(BATCH, json={"entries": []}).status_code == 400
    sim.control.advance(900)
    assert http.post(BATCH, json={"entries": []}).status_code == 401
    token = sim.access_token()
    headers = {"Authorization": f"Bearer {token}"}
    assert http.post(BATCH, json={"entries": []}, headers=headers).status_code == 400
    assert sim.control.revoke_tokens(token) == 1
    assert http.post(BATCH, json={"entries": []}, headers=headers).status_code == 401


def test_oauth_endpoint_over_http(sim: CriteoSimulator) -> None:
    sim.control.configure(credentials={"me": "pw"}, token_ttl=60)
    ok = httpx.post(sim.token_url, data={"grant_type": "client_credentials", "client_id": "me", "client_secret": "pw"})
    assert ok.status_code == 200 and ok.json()["expires_in"] == 60 and ok.json()["refresh_token"]
    bad = httpx.post(sim.token_url, data={"grant_type": "client_credentials", "client_id": "me", "client_secret": "x"})
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
    assert httpx.get(sim.token_url).status_code == 405


def test_rate_limit_over_http(sim: CriteoSimulator, http: httpx.Client) -> None:
    sim.control.configure(rate_limit=3, retry_after_header=True)
    accepted = http.post(BATCH, json={"entries": [insert("a"), insert("b")]})
    # A 202 describes the application's call budget (Criteo's 250 calls/min, on by default)...
    assert (accepted.headers["x-ratelimit-limit"], accepted.headers["x-ratelimit-remaining"]) == ("250", "249")
    refused = http.post(BATCH, json={"entries": [insert("c"), insert("d")]})
    # ... the product budget's 429 describes the product budget, which refused it.
    assert refused.status_code == 429
    assert (refused.headers["x-ratelimit-limit"], refused.headers["x-ratelimit-remaining"]) == ("3", "1")
    assert refused.json()["errors"][0]["title"] == "Too many requests. Retry in 1 seconds"
    assert refused.headers["retry-after"] == "1"
    assert int(refused.headers["x-ratelimit-reset"]) >= int(sim.control.now())
    sim.control.advance(1)
    assert http.post(BATCH, json={"entries": [insert("c"), insert("d")]}).status_code == 202


def test_a_16_mb_body_gets_413_with_content_length_or_chunked(http: httpx.Client) -> None:
    body = b'{"entries":[' + b" " * 16_000_000 + b"]}"
    response = http.post(BATCH, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.content == b""

    def chunks() -> Iterator[bytes]:
        for _ in range(17):
            yield b" " * 1_000_000

    response = http.post(BATCH, content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.content == b""


def test_routing(sim: CriteoSimulator, http: httpx.Client) -> None:
    unknown = http.get("/preview/catalog/other")
    assert unknown.status_code == 404 and unknown.json()["errors"][0]["code"] == "not-found"
    assert http.post("/preview/catalog/products/batch/report/x/y").status_code == 404
    wrong = http.delete(BATCH)
    assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
    assert http.post("/preview/catalog/stats/merchants/123").headers["allow"] == "GET"
    # An escaped slash stays inside the token segment.
    assert http.get(f"{BATCH}/report/a%2Fb").status_code == 400


def test_faults_scheduled(sim: CriteoSimulator, http: httpx.Client) -> None:
    control = sim.control
    control.fail_next("drop", route="batch")
    with pytest.raises(httpx.TransportError):
        http.post(BATCH, json=documented_batch())
    control.fail_next("truncate", route="batch")
    truncated = http.post(BATCH, json=documented_batch())
    assert truncated.status_code == 202
    with pytest.raises(json.JSONDecodeError):
        truncated.json()
    assert truncated.text.startswith('{"operationToken":')
    control.fail_next("invalid-json", route="stats")
    garbled = http.get("/preview/catalog/stats/merchants/123")
    assert garbled.status_code == 200 and not garbled.text.startswith("{")
    control.set_faults(latency_seconds=0.05)
    control.fail_next("latency", route="stats")
    assert http.get("/preview/catalog/stats/merchants/123").status_code == 200
    token = push(http, documented_batch()["entries"])
    control.fail_next("lost", route="report")
    lost = report(http, token)
    assert lost.status_code == 404
    assert lost.json()["errors"][0]["title"] == f"Operation '{decode(token).operation_id}' not found."
    assert report(http, token).status_code == 404  # lost for good
    control.fail_next("revoke", route="stats")
    assert http.get("/preview/catalog/stats/merchants/123").status_code == 401
    assert http.get("/preview/catalog/stats/merchants/123").status_code == 401  # the token is revoked
    faults = [r["fault"] for r in control.requests() if r["fault"]]
    assert faults == ["drop", "truncate", "invalid-json", "latency", "lost", "revoke"]


def test_lose_operation_through_the_control_api(sim: CriteoSimulator, http: httpx.Client) -> None:
    token = push(http, documented_batch()["entries"])
    sim.control.lose_operation(token)
    sim.control.advance(10)
    assert report(http, token).status_code == 404
    assert sim.control.catalog(123) == {}


def statuses(http: httpx.Client, count: int) -> list[int | str]:
    out: list[int | str] = []
    for n in range(count):
        try:
            response = http.post(BATCH, json={"entries": [insert(f"p{n}")]})
            out.append(response.status_code)
        except httpx.TransportError:
            out.append("dropped")
    return out


def test_random_faults_are_reproducible(sim: CriteoSimulator, http: httpx.Client) -> None:
    kinds = ["429", "500", "503", "drop"]
    sim.control.configure(rate_limit=0)
    sim.control.set_faults(rate=0.5, kinds=kinds, seed=42)
    first = statuses(http, 30)
    assert {429, 500, 503, "dropped", 202} <= set(first)
    sim.control.set_faults(seed=42)
    assert statuses(http, 30) == first
    sim.control.clear_faults()
    assert set(statuses(http, 5)) == {202}


def test_control_catalog_and_errors(sim: CriteoSimulator, http: httpx.Client) -> None:
    control = sim.control
    control.set_catalog(456, [{"id": "Seeded", "title": "t", "price": {"value": "1"}, "description": "d"}])
    assert list(control.catalog(456)) == ["seeded"]
    assert stats(http, 456)["total"] == 1
    control.clear_catalog(456)
    assert control.catalog(456) == {}
    with pytest.raises(RuntimeError, match="400"):
        control.configure(no_such_setting=1)
    with pytest.raises(RuntimeError, match="400"):
        control.fail_next("no-such-fault")
    with pytest.raises(RuntimeError, match="404"):
        control._call("GET", "/nothing")
    assert httpx.post(f"{sim.base_url}/_simulator/clock", content=b"[1]").status_code == 400
    assert control.settings()["rate_limit"] == 3000
    assert control.faults()["scheduled"] == []
    assert control.operations() == []
    assert control.reset_clock() > 0


def test_request_log(sim: CriteoSimulator, http: httpx.Client) -> None:
    sim.control.clear_requests()
    push(http, [insert("a"), insert("b")])
    http.get("/preview/catalog/stats/merchants/123")
    log = sim.control.requests()
    assert [(r["route"], r["status"], r["products"]) for r in log] == [("batch", 202, 2), ("stats", 200, 0)]
    assert sim.control.requests(route="stats")[0]["clientId"] == sim.client_id


def test_the_call_budget_over_http(sim: CriteoSimulator, http: httpx.Client) -> None:
    # The fixture keeps Criteo's budget on; token and control calls do not spend it.
    for _ in range(3):
        sim.access_token()
        sim.control.health()
    token = push(http, [insert("a")])
    polled = report(http, token)
    assert (polled.headers["x-ratelimit-limit"], polled.headers["x-ratelimit-remaining"]) == ("250", "248")
    sim.control.configure(calls_per_minute=2)  # the buckets restart full at the new rate
    assert http.get("/preview/catalog/stats/merchants/123").headers["x-ratelimit-remaining"] == "1"
    assert report(http, "not-a-token").headers["x-ratelimit-remaining"] == "0"  # a 400 spends one too
    refused = http.get("/preview/catalog/stats/merchants/123")
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["title"] == "Too many requests. Retry in 30 seconds"
    assert int(refused.headers["x-ratelimit-reset"]) == math.ceil(sim.control.now() + 30)
    # Another application (client id) has its own budget.
    other = {"Authorization": f"Bearer {token_of(sim, 'another-app')}"}
    assert http.get("/preview/catalog/stats/merchants/123", headers=other).status_code == 200
    sim.control.configure(calls_per_minute=0)
    assert "x-ratelimit-limit" not in http.get("/preview/catalog/stats/merchants/123").headers


def token_of(sim: CriteoSimulator, client_id: str) -> str:
    answer = httpx.post(
        sim.token_url, data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": "s"}
    )
    return str(answer.json()["access_token"])
