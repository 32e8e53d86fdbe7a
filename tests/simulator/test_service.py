"""The decision logic of the simulated API, without a network (manual clock)."""

import base64
import json
from typing import Any
from urllib.parse import urlencode

from criteo_catalog_sdk.simulator.clock import ManualClock
from criteo_catalog_sdk.simulator.operation_token import OperationClaims, decode, encode
from criteo_catalog_sdk.simulator.replies import Reply
from criteo_catalog_sdk.simulator.service import CatalogService
from criteo_catalog_sdk.simulator.state import AccessToken

from .conftest import START, api_call, documented_batch, insert

BATCH = "/preview/catalog/products/batch"


def body(reply: Reply) -> Any:
    return json.loads(reply.body)


def token_request(service: CatalogService, **fields: str) -> Reply:
    form = {"grant_type": "client_credentials", "client_id": "id", "client_secret": "secret", **fields}
    return service.token(urlencode(form).encode(), "application/x-www-form-urlencoded", None)


def login(service: CatalogService, client_id: str = "id") -> AccessToken:
    answer = body(token_request(service, client_id=client_id))
    principal = service.authenticate(f"Bearer {answer['access_token']}", BATCH)
    assert isinstance(principal, AccessToken)
    return principal


def submit(service: CatalogService, principal: AccessToken, payload: Any) -> Reply:
    return service.submit(principal, json.dumps(payload).encode(), BATCH, "preview")


def report(service: CatalogService, principal: AccessToken, token: str) -> Reply:
    return service.report(principal, token, f"/preview/catalog/products/batch/report/{token}")


# --- OAuth ------------------------------------------------------------------------------------------------


def test_token_answer_has_criteo_fields(make_service: Any) -> None:
    reply = token_request(make_service())
    assert reply.status == 200
    answer = body(reply)
    assert set(answer) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert answer["token_type"] == "Bearer" and answer["expires_in"] == 900


def test_token_refusals(make_service: Any) -> None:
    service = make_service(credentials={"id": "secret"}, token_ttl=60)
    assert token_request(service).status == 200
    assert body(token_request(service))["expires_in"] == 60
    wrong = token_request(service, client_secret="nope")
    assert (wrong.status, body(wrong)["error"]) == (401, "invalid_client")
    assert token_request(service, client_id="").status == 401
    assert body(token_request(service, grant_type="password"))["error"] == "unsupported_grant_type"
    assert body(token_request(service, grant_type=""))["error"] == "invalid_request"
    assert service.token(b"\xff", "application/x-www-form-urlencoded", None).status == 400


def test_basic_auth_json_and_refresh_grants(make_service: Any) -> None:
    service = make_service()
    basic = "Basic " + base64.b64encode(b"id:secret").decode()
    reply = service.token(b"grant_type=client_credentials", "application/x-www-form-urlencoded", basic)
    assert reply.status == 200
    as_json = service.token(
        json.dumps({"grant_type": "client_credentials", "client_id": "a", "client_secret": "b"}).encode(),
        "application/json",
        None,
    )
    assert as_json.status == 200
    refresh = body(reply)["refresh_token"]
    renewed = token_request(service, grant_type="refresh_token", refresh_token=refresh)
    assert renewed.status == 200 and body(renewed)["access_token"] != body(reply)["access_token"]
    assert token_request(service, grant_type="refresh_token", refresh_token="nope").status == 400


def test_bearer_checks(make_service: Any, manual_clock: ManualClock) -> None:
    service = make_service(static_tokens=frozenset({"static"}))
    token = body(token_request(service))["access_token"]
    for header in (None, "", "Bearer", "Bearer nope", f"Basic {token}"):
        reply = service.authenticate(header, BATCH)
        assert isinstance(reply, Reply) and reply.status == 401
        assert body(reply)["errors"][0]["code"] == "not-authenticated"
    assert isinstance(service.authenticate(f"bearer {token}", BATCH), AccessToken)
    manual_clock.advance(900)
    assert isinstance(service.authenticate(f"Bearer {token}", BATCH), Reply)  # expired
    assert isinstance(service.authenticate("Bearer static", BATCH), AccessToken)  # never expires


def test_revocation(make_service: Any) -> None:
    service = make_service()
    token = body(token_request(service))["access_token"]
    assert service.revoke(f"Bearer {token}") == 1
    assert isinstance(service.authenticate(f"Bearer {token}", BATCH), Reply)


# --- batch --------------------------------------------------------------------------------------------------


def test_documented_batch_is_accepted(make_service: Any) -> None:
    service = make_service()
    reply = api_call(service, body(token_request(service))["access_token"], BATCH, documented_batch())
    assert reply.status == 202
    claims = decode(body(reply)["operationToken"])
    assert claims.partner_id == 123
    assert claims.exp == int(START + 4 * 86400)
    headers = dict(reply.headers)
    # The application's call budget: 250 a minute, one spent, full again a quarter second later.
    assert headers["x-ratelimit-limit"] == "250" and headers["x-ratelimit-remaining"] == "249"
    assert headers["x-ratelimit-reset"] == str(int(START) + 1)


def test_validation_answers(make_service: Any) -> None:
    service = make_service()
    principal = login(service)
    bad_json = service.submit(principal, b"{", BATCH, "preview")
    assert bad_json.status == 400 and body(bad_json)["errors"][0]["code"] == "json-format"
    empty = submit(service, principal, {"entries": []})
    problem = body(empty)["errors"][0]
    assert (empty.status, problem["code"], problem["detail"]) == (400, "batch-empty", "The batch is empty.")
    assert problem["title"] == "A batch request was rejected due to one or more errors."
    assert problem["instance"] == BATCH and problem["type"] == "validation"
    assert body(empty)["warnings"] == []
    duplicate = submit(service, principal, {"entries": [insert("a"), insert("A")]})
    assert duplicate.status == 400 and body(duplicate)["errors"][0]["code"] == "duplicate-product"


def test_an_integer_beyond_64_bits_is_judged_as_an_integer(make_service: Any) -> None:
    # The fast parser reads it as a float; the answer is the one of the exact parse: out of range, not a
    # wrong type.
    service = make_service()
    entry = {**insert("a"), "merchantId": 123456789012345678901234567890}
    refused = submit(service, login(service), {"entries": [entry]})
    expected = service.generations["preview"].validator.validate({"entries": [entry]})
    assert refused.status == 400 and expected
    assert [e["detail"] for e in body(refused)["errors"]] == [p.detail for p in expected]


def test_merchant_permissions(make_service: Any) -> None:
    service = make_service(merchants=frozenset({1}), client_merchants={"special": frozenset({123})})
    refused = submit(service, login(service), documented_batch())
    assert refused.status == 403
    assert body(refused)["errors"][0] | {"traceId": ""} == {
        "traceId": "",
        "type": "authorization",
        "code": "not-authorized",
        "instance": BATCH,
        "title": "User is not authorized",
        "detail": "",
    }
    assert submit(service, login(service, "special"), documented_batch()).status == 202
    # Merchant 0 and negative ids are nobody's.
    assert submit(make_service(), login(make_service()), {"entries": [insert("a", merchant=0)]}).status == 403


def test_rate_limit(make_service: Any, manual_clock: ManualClock) -> None:
    service = make_service(rate_limit=10)
    principal = login(service)
    assert submit(service, principal, {"entries": [insert(str(i)) for i in range(8)]}).status == 202
    refused = submit(service, principal, {"entries": [insert(str(i)) for i in range(5)]})
    assert refused.status == 429
    problem = body(refused)["errors"][0]
    assert (problem["type"], problem["code"]) == ("availability", "too-many-requests")
    assert problem["title"] == "Too many requests. Retry in 1 seconds"
    headers = dict(refused.headers)
    assert headers["x-ratelimit-limit"] == "10" and headers["x-ratelimit-remaining"] == "2"
    assert headers["x-ratelimit-reset"] == str(int(START) + 1)
    assert "retry-after" not in headers
    # Another merchant has its own budget.
    assert submit(service, principal, {"entries": [insert("x", merchant=456)]}).status == 202
    manual_clock.advance(0.3)
    assert submit(service, principal, {"entries": [insert(str(i)) for i in range(5)]}).status == 202


def test_rate_limit_retry_after_option_and_off(make_service: Any) -> None:
    service = make_service(rate_limit=1, retry_after_header=True)
    principal = login(service)
    submit(service, principal, {"entries": [insert("a")]})
    refused = submit(service, principal, {"entries": [insert("b")]})
    assert dict(refused.headers)["retry-after"] == "1"
    off = make_service(rate_limit=0)
    reply = submit(off, login(off), {"entries": [insert(str(i)) for i in range(5000)]})
    assert reply.status == 202 and "x-ratelimit-limit" not in dict(reply.headers)


# --- report -------------------------------------------------------------------------------------------------


def test_report_lifecycle_and_catalog(make_service: Any, manual_clock: ManualClock) -> None:
    service = make_service()
    principal = login(service)
    token = body(submit(service, principal, {"entries": [insert("Ok"), insert("BAD", link="x")]}))["operationToken"]
    assert body(report(service, principal, token))["status"] == "ACCEPTED"
    manual_clock.advance(1)
    assert body(report(service, principal, token))["status"] == "IN_PROGRESS"
    manual_clock.advance(2)
    done = body(report(service, principal, token))
    assert done["status"] == "VALIDATED_WITH_ERRORS"
    assert done["errorDetails"][0]["productId"] == "bad"
    service.settle()
    assert list(service.store.catalog(123)) == ["ok"]


def test_report_errors(make_service: Any, manual_clock: ManualClock) -> None:
    service = make_service()
    principal = login(service)
    malformed = report(service, principal, "invalidToken")
    problem = body(malformed)["errors"][0]
    assert (malformed.status, problem["code"]) == (400, "catalog-operation-token-is-malformed")
    assert problem["title"] == "The operationToken is malformed."
    assert problem["instance"] == "/preview/catalog/products/batch/report/invalidToken"
    unknown = encode(OperationClaims(12, "c669bfc5-631a-4172-988b-3497ed8798ff", 1616145135))
    missing = report(service, principal, unknown)
    assert missing.status == 404
    assert body(missing)["errors"][0]["title"] == "Operation 'c669bfc5-631a-4172-988b-3497ed8798ff' not found."
    # Shaped like a token (the effective spec's pattern) but not one we issued: unknown, not malformed.
    shaped = report(service, principal, "abc.def.")
    assert (shaped.status, body(shaped)["errors"][0]["code"]) == (404, "catalog-operation-not-found")
    assert report(service, principal, "abc.def").status == 400
    assert report(service, principal, "x" * 5000).status == 413
    assert report(service, principal, "x" * 5000).body == b""
    token = body(submit(service, principal, documented_batch()))["operationToken"]
    manual_clock.advance(4 * 86400 - 1)
    assert report(service, principal, token).status == 200
    manual_clock.advance(1)
    expired = report(service, principal, token)
    assert (expired.status, body(expired)["errors"][0]["code"]) == (400, "catalog-operation-report-is-expired")


def test_report_permissions_and_lost(make_service: Any) -> None:
    service = make_service()
    principal = login(service)
    token = body(submit(service, principal, documented_batch()))["operationToken"]
    service.configure(service.settings.updated({"merchants": [1]}))
    assert report(service, principal, token).status == 403
    service.configure(service.settings.updated({"merchants": None}))
    assert service.store.mark_lost(decode(token).operation_id)
    assert report(service, principal, token).status == 404
    # A token naming a known operation under another partner does not find it.
    other = encode(OperationClaims(999, decode(token).operation_id, 0))
    assert report(service, principal, other).status == 404


def test_response_shape(make_service: Any) -> None:
    service = make_service(response_shape="spec", accepted_seconds=0, processing_seconds=0)
    principal = login(service)
    token = body(submit(service, principal, documented_batch()))["operationToken"]
    answer = body(report(service, principal, token))
    assert answer["warningDetails"] == [] and answer["numberOfProductsWithWarnings"] == "0"


# --- stats --------------------------------------------------------------------------------------------------


def stats(service: CatalogService, principal: AccessToken, merchant: str, query: str = "") -> Reply:
    return service.stats(principal, merchant, query, f"/preview/catalog/stats/merchants/{merchant}")


def test_stats(make_service: Any, manual_clock: ManualClock) -> None:
    service = make_service()
    principal = login(service)
    submit(service, principal, {"entries": [insert("a", price={"value": "1"}, availability="out of stock")]})
    manual_clock.advance(3)
    record = body(stats(service, principal, "123", "lastNumHours=1"))["data"]["statisticsRecordList"][0]
    assert (record["total"], record["added"], record["outOfStock"], record["displayable"]) == (1, 1, 1, 0)
    manual_clock.advance(7200)
    record = body(stats(service, principal, "123", "lastNumHours=1"))["data"]["statisticsRecordList"][0]
    assert (record["total"], record["added"]) == (1, 0)
    assert body(stats(service, principal, "123"))["data"]["statisticsRecordList"][0]["added"] == 1  # 24 h default


def test_stats_parameters(make_service: Any) -> None:
    service = make_service(merchants=frozenset({123}))
    principal = login(service)
    for query in ("lastNumHours=0", "lastNumHours=1001", "lastNumHours=abc", "lastNumHours="):
        reply = stats(service, principal, "123", query)
        assert reply.status == 400 and body(reply)["errors"][0]["code"] == "invalid-parameter", query
    assert stats(service, principal, "123", "lastNumHours=1000").status == 200
    assert stats(service, principal, "456").status == 403
    assert stats(service, principal, "abc").status == 403  # no such merchant for these credentials
    assert stats(service, principal, "99999999999").status == 403
