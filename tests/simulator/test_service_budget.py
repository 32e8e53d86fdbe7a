"""The application's call budget (Criteo's 250 calls/min per client id) and the x-ratelimit-* headers."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from criteo_catalog_sdk.simulator.clock import ManualClock
from criteo_catalog_sdk.simulator.config import Settings
from criteo_catalog_sdk.simulator.operation_token import OperationClaims, encode
from criteo_catalog_sdk.simulator.replies import Reply
from criteo_catalog_sdk.simulator.service import CatalogService

from .conftest import START, api_call, insert

BATCH = "/preview/catalog/products/batch"
REPORT = "/preview/catalog/products/batch/report/"
STATS = "/preview/catalog/stats/merchants/"
RATE_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


def access_token(service: CatalogService, client_id: str = "app") -> str:
    form = urlencode({"grant_type": "client_credentials", "client_id": client_id, "client_secret": "s"}).encode()
    return str(json.loads(service.token(form, "application/x-www-form-urlencoded", None).body)["access_token"])


def limits(reply: Reply) -> tuple[str, str, str]:
    headers = dict(reply.headers)
    limit, remaining, reset = (headers[name] for name in RATE_HEADERS)
    return limit, remaining, reset


def test_criteo_budget_is_on_by_default() -> None:
    assert Settings().calls_per_minute == 250


def test_every_operation_of_every_generation_spends_one_call(make_service: Any) -> None:
    service = make_service(calls_per_minute=6)
    token = access_token(service)
    accepted = api_call(service, token, BATCH, {"entries": [insert("a")]})
    operation = json.loads(accepted.body)["operationToken"]
    answers = [
        accepted,
        api_call(service, token, REPORT + operation),  # a report poll
        api_call(service, token, STATS + "123"),  # a stats call
        api_call(service, token, "/experimental/catalog/products/batch/report/" + operation),  # another generation
        api_call(service, token, "/experimental/catalog/stats/merchants/123"),
        api_call(service, token, REPORT + operation),
    ]
    assert [a.status for a in answers] == [202, 200, 200, 200, 200, 200]
    assert [limits(a)[:2] for a in answers] == [("6", str(5 - n)) for n in range(6)]
    refused = api_call(service, token, STATS + "123")
    assert (refused.status, limits(refused)[:2]) == (429, ("6", "0"))
    assert json.loads(refused.body)["errors"][0]["title"] == "Too many requests. Retry in 10 seconds"


def test_each_client_id_has_its_own_budget(make_service: Any, manual_clock: ManualClock) -> None:
    service = make_service(calls_per_minute=2)
    first, second = access_token(service, "one"), access_token(service, "two")
    other_token_same_app = access_token(service, "one")
    assert [api_call(service, first, STATS + "123").status for _ in range(2)] == [200, 200]
    # Another token of the same application shares its budget; another application does not.
    assert api_call(service, other_token_same_app, STATS + "123").status == 429
    assert limits(api_call(service, second, STATS + "123"))[:2] == ("2", "1")
    # Refilled continuously: one call every 30 s at 2 a minute.
    manual_clock.advance(30)
    assert api_call(service, first, STATS + "123").status == 200
    assert api_call(service, first, STATS + "123").status == 429


def test_the_headers_are_on_every_answer_after_authentication(make_service: Any) -> None:
    service = make_service(calls_per_minute=100, rate_limit=2, merchants=frozenset({123}))
    token = access_token(service)
    unknown = encode(OperationClaims(123, "c669bfc5-631a-4172-988b-3497ed8798ff", 0))
    answers = {
        "202": api_call(service, token, BATCH, {"entries": [insert("a")]}),
        "400 batch": api_call(service, token, BATCH, {"entries": []}),
        "403 batch": api_call(service, token, BATCH, {"entries": [insert("a", merchant=456)]}),
        "400 report": api_call(service, token, REPORT + "nonsense"),
        "404 report": api_call(service, token, REPORT + unknown),
        "413 report": api_call(service, token, REPORT + "x" * 5000),
        "200 stats": api_call(service, token, STATS + "123"),
        "400 stats": api_call(service, token, STATS + "123", query="lastNumHours=0"),
        "403 stats": api_call(service, token, STATS + "456"),
    }
    statuses = {name: reply.status for name, reply in answers.items()}
    assert statuses == {name: int(name[:3]) for name in answers}
    for name, reply in answers.items():
        limit, _, reset = limits(reply)
        assert limit == "100", name
        assert int(reset) >= START, name
    assert [limits(reply)[1] for reply in answers.values()] == [str(99 - n) for n in range(len(answers))]


def test_a_product_budget_429_describes_the_product_budget(make_service: Any) -> None:
    service = make_service(calls_per_minute=100, rate_limit=10)
    token = access_token(service)
    # 30 products through a bucket of 10: let through when full, 20 tokens of debt.
    assert api_call(service, token, BATCH, {"entries": [insert(str(n)) for n in range(30)]}).status == 202
    refused = api_call(service, token, BATCH, {"entries": [insert(str(n)) for n in range(5)]})
    assert refused.status == 429
    # The limit that refused it; reset is when that budget lets this batch through: 25 tokens at 10/s.
    assert limits(refused) == ("10", "0", str(int(START + 2.5) + 1))
    assert json.loads(refused.body)["errors"][0]["title"] == "Too many requests. Retry in 3 seconds"
    # The refused batch still spent a call.
    assert limits(api_call(service, token, STATS + "123"))[:2] == ("100", "97")


def test_a_call_budget_429_comes_first_and_describes_it(make_service: Any) -> None:
    service = make_service(calls_per_minute=1, rate_limit=1)
    token = access_token(service)
    assert api_call(service, token, STATS + "123").status == 200
    refused = api_call(service, token, BATCH, {"entries": [insert(str(n)) for n in range(5)]})
    assert (refused.status, limits(refused)[:2]) == (429, ("1", "0"))
    assert int(limits(refused)[2]) == int(START) + 60


@pytest.mark.parametrize("answer", ["no token", "unknown token"])
def test_calls_refused_before_authentication_spend_nothing(make_service: Any, answer: str) -> None:
    service = make_service(calls_per_minute=1)
    token = access_token(service)
    refused = api_call(service, None if answer == "no token" else "nope", STATS + "123")
    assert refused.status == 401 and not any(name in dict(refused.headers) for name in RATE_HEADERS)
    assert api_call(service, token, STATS + "123").status == 200


def test_turned_off_it_counts_nothing_and_sends_no_headers(make_service: Any) -> None:
    service = make_service(calls_per_minute=0)
    token = access_token(service)
    answers = [api_call(service, token, STATS + "123") for _ in range(300)]
    assert {a.status for a in answers} == {200}
    assert not any(name in dict(answers[-1].headers) for name in RATE_HEADERS)
