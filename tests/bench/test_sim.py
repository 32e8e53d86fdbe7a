"""The benchmarks' simulator helpers: which budget refused a 429, and the calls of the request log."""

from __future__ import annotations

import httpx
import pytest

from bench import sim

BATCH = "http://127.0.0.1/preview/catalog/products/batch"
REPORT = "http://127.0.0.1/preview/catalog/products/batch/report/abc"
TOKEN = "http://127.0.0.1/oauth2/token"


@pytest.mark.parametrize(
    ("path", "route"),
    [
        ("/oauth2/token", "token"),
        ("/preview/catalog/products/batch", "batch"),
        ("/2027-01/marketing-solutions/catalog/products/batch", "batch"),
        ("/preview/catalog/products/batch/report/eyJ.x.", "report"),
        ("/preview/catalog/stats/merchants/123", "stats"),
        ("/_simulator/requests", "other"),
    ],
)
def test_route_of(path: str, route: str) -> None:
    assert sim.route_of(path) == route


def _answers(tally: sim.ThrottleTally, answers: list[tuple[str, int, dict[str, str]]]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        status, headers = next((s, h) for url, s, h in answers if url == str(request.url))
        return httpx.Response(status, headers=headers, json={})

    with httpx.Client(transport=httpx.MockTransport(handler), event_hooks={"response": [tally.hook]}) as client:
        for url, _, _ in answers:
            client.get(url)


def test_tally_tells_the_call_budget_from_the_products_budget() -> None:
    tally = sim.ThrottleTally(3000)
    _answers(
        tally,
        [
            (BATCH, 202, {"x-ratelimit-limit": "250", "x-ratelimit-remaining": "12"}),
            (REPORT, 429, {"x-ratelimit-limit": "250", "x-ratelimit-remaining": "0"}),
            (BATCH + "?again", 429, {"x-ratelimit-limit": "250", "x-ratelimit-remaining": "0"}),
            (BATCH + "?later", 429, {"x-ratelimit-limit": "3000", "x-ratelimit-remaining": "40"}),
            (TOKEN, 429, {"x-ratelimit-limit": "250"}),  # not an API call: not counted
        ],
    )
    assert tally.counts == {"answers": 4, "app": 2, "products": 1, "unknown": 0}


def test_tally_counts_a_429_of_no_known_limit_apart() -> None:
    tally = sim.ThrottleTally(3000)
    _answers(tally, [(BATCH, 429, {})])
    assert tally.counts == {"answers": 1, "app": 0, "products": 0, "unknown": 1}


def test_logged_calls_counts_api_calls_of_one_application() -> None:
    log = [
        {"route": "token", "status": 200, "clientId": None},
        {"route": "batch", "status": 202, "clientId": "a"},
        {"route": "batch", "status": 429, "clientId": "a"},
        {"route": "report", "status": 200, "clientId": "a"},
        {"route": "report", "status": 429, "clientId": "b"},
        {"route": "control", "status": 200, "clientId": None},
    ]
    assert sim.logged_calls(log, "a") == {"calls": 3, "throttled": 1, "batch": 2, "report": 1, "stats": 0}
    assert sim.logged_calls(log)["calls"] == 4
