"""Every documented answer of seed 001 maps to its exception; no status ever yields None."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from criteo_catalog_sdk import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    CriteoError,
    MalformedOperationTokenError,
    NotFoundError,
    OperationNotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    Report,
    ReportExpiredError,
    ResponseValidationError,
    ServerError,
    _core,
)
from criteo_catalog_sdk._core import Call, error_from_response, interpret
from criteo_catalog_sdk.api_versions import get_api_version
from criteo_catalog_sdk.stats import Stats
from tests.documented_examples import Example, documented_examples
from tests.fakes.mock_criteo import BASE_URL, DOC_TOKEN, FakeAPI, problem, sync_client

EXPECTED: dict[tuple[str, int], type[Exception]] = {
    ("batch", 400): BadRequestError,
    ("batch", 401): AuthenticationError,
    ("batch", 403): PermissionDeniedError,
    ("batch", 413): PayloadTooLargeError,
    ("batch", 429): RateLimitError,
    ("batch", 500): ServerError,
    ("batch", 503): ServerError,
    ("report", 400): MalformedOperationTokenError,
    ("report", 403): PermissionDeniedError,
    ("report", 404): OperationNotFoundError,
    ("report", 413): PayloadTooLargeError,
    ("report", 429): RateLimitError,
    ("report", 500): ServerError,
    ("report", 503): ServerError,
}
ERROR_EXAMPLES = [e for e in documented_examples() if e.status >= 400]

PREVIEW = get_api_version("preview")


def batch_call(body: bytes) -> Call[str]:
    return _core.batch_call(PREVIEW, body)


def report_call(token: str) -> Call[Report]:
    return _core.report_call(PREVIEW, token)


def stats_call(merchant_id: int, hours: int) -> Call[Stats]:
    return _core.stats_call(PREVIEW, merchant_id, hours)


def _call(example: Example) -> Call[Any]:
    if example.endpoint == "batch":
        return batch_call(b"{}")
    return report_call(example.path.rsplit("/", 1)[1])


def _response(example: Example, call: Call[Any], headers: dict[str, str] | None = None) -> httpx.Response:
    request = httpx.Request(call.method, BASE_URL + call.path)
    return httpx.Response(example.status, content=example.body, headers=headers, request=request)


def test_the_seed_has_every_status() -> None:
    assert {(e.endpoint, e.status) for e in ERROR_EXAMPLES} == set(EXPECTED)


@pytest.mark.parametrize("example", ERROR_EXAMPLES, ids=lambda e: e.id)
def test_documented_error_maps_to_its_exception(example: Example) -> None:
    call = _call(example)
    with pytest.raises(ApiError) as info:
        interpret(call, _response(example, call))
    error = info.value
    assert type(error) is EXPECTED[(example.endpoint, example.status)]
    assert error.status == example.status
    assert error.method == call.method
    assert error.path == call.path
    assert error.body == example.body.decode()
    if example.body:
        envelope = json.loads(example.body)
        assert error.codes == tuple(p["code"] for p in envelope["errors"])
        assert error.trace_ids == tuple(dict.fromkeys(p["traceId"] for p in envelope["errors"]))
        assert error.trace_ids[0] in str(error)
        assert envelope["errors"][0]["title"] in str(error)
    else:
        assert error.problems == ()
        assert "no body" in str(error)
    if example.status == 429:
        assert error.retry_after == 5.0  # from the title "Retry in 5 seconds"


def test_the_documented_400_lists_both_problems() -> None:
    example = next(e for e in ERROR_EXAMPLES if b"entries.catalogId" in e.body)
    call = _call(example)
    error = error_from_response(call, _response(example, call))
    assert [p.detail for p in error.problems] == [
        "entries.catalogId: field is required",
        "entries.method: field is required",
    ]
    assert error.trace_ids == ("00000000-0000-0000-9f5b-49143a5bb0b6",)


def test_report_expired_is_its_own_bad_request() -> None:
    call = report_call(DOC_TOKEN)
    response = problem(400, "catalog-operation-report-is-expired", "expired", type_="validation")
    response.request = httpx.Request("GET", BASE_URL + call.path)
    error = error_from_response(call, response)
    assert type(error) is ReportExpiredError
    assert isinstance(error, BadRequestError)


def test_404_outside_reports_is_a_plain_not_found() -> None:
    call = stats_call(1, 24)
    response = httpx.Response(404, request=httpx.Request("GET", BASE_URL + call.path))
    assert type(error_from_response(call, response)) is NotFoundError


def test_rate_limit_headers_win_over_the_title() -> None:
    example = next(e for e in ERROR_EXAMPLES if e.status == 429)
    call = _call(example)
    response = _response(example, call, headers={"x-ratelimit-reset": "1000000060", "x-ratelimit-remaining": "0"})
    assert error_from_response(call, response, now=1_000_000_000.0).retry_after == 60.0
    response = _response(example, call, headers={"Retry-After": "2"})
    assert error_from_response(call, response, now=1_000_000_000.0).retry_after == 2.0


@pytest.mark.parametrize("status", [*range(300, 309), *range(400, 452), *range(500, 512)])
def test_no_error_status_is_ever_returned(status: int) -> None:
    for call in (batch_call(b"{}"), report_call(DOC_TOKEN), stats_call(5, 24)):
        response = httpx.Response(status, content=b"<html>oops</html>", request=httpx.Request(call.method, BASE_URL))
        with pytest.raises(ApiError) as info:
            interpret(call, response)
        assert info.value.status == status
        if status >= 500:
            assert isinstance(info.value, ServerError)


@pytest.mark.parametrize(
    ("call", "body"),
    [
        (batch_call(b"{}"), b"not json"),
        (batch_call(b"{}"), b"{}"),
        (batch_call(b"{}"), b'{"operationToken": 5}'),
        (batch_call(b"{}"), b"[]"),
        (report_call(DOC_TOKEN), b'"VALIDATED"'),
        (report_call(DOC_TOKEN), b""),
        (stats_call(1, 24), b"[3]"),
    ],
)
def test_unparseable_success_raises_response_validation_error(call: Call[Any], body: bytes) -> None:
    response = httpx.Response(200, content=body, request=httpx.Request(call.method, BASE_URL))
    with pytest.raises(ResponseValidationError) as info:
        interpret(call, response)
    assert info.value.body == body.decode()
    assert info.value.status == 200
    assert isinstance(info.value, CriteoError)


def test_success_bodies_parse() -> None:
    response = httpx.Response(202, json={"operationToken": DOC_TOKEN}, request=httpx.Request("POST", BASE_URL))
    assert interpret(batch_call(b"{}"), response) == DOC_TOKEN
    ok = next(e for e in documented_examples() if e.endpoint == "report" and e.status == 200)
    response = httpx.Response(200, content=ok.body, request=httpx.Request("GET", BASE_URL))
    assert isinstance(interpret(report_call(DOC_TOKEN), response), Report)


def test_a_call_decodes_the_bytes_first_and_parses_what_it_declines() -> None:
    seen: list[object] = []

    def decode(body: bytes) -> str | None:
        return "decoded" if body == b'"fast"' else None

    def parse(payload: object) -> str:
        seen.append(payload)
        return "parsed"

    call = Call("report", "GET", "/r", parse, "preview", decode=decode)
    for body, expected in [(b'"fast"', "decoded"), (b'{"other": 1}', "parsed")]:
        response = httpx.Response(200, content=body, request=httpx.Request("GET", BASE_URL))
        assert interpret(call, response) == expected
    assert seen == [{"other": 1}]


# -- the same answers through a whole client ---------------------------------------------------------


@pytest.mark.parametrize("example", ERROR_EXAMPLES, ids=lambda e: e.id)
def test_documented_errors_through_the_client(example: Example) -> None:
    api = FakeAPI()
    route = example.endpoint
    answer = httpx.Response(example.status, content=example.body)
    # enough copies to outlast every retry (and the 401 replay)
    api.script(route, *[answer] * 10)
    client, _ = sync_client(api)
    with client, pytest.raises(ApiError) as info:
        if route == "batch":
            client.upsert_products(
                123, [{"id": "a", "title": "t", "link": "https://x/a", "imageLink": "https://x/a.jpg"}]
            )
        else:
            client.get_report(example.path.rsplit("/", 1)[1])
    assert type(info.value) is EXPECTED[(route, example.status)]
    sent = len(api.api_requests(route))
    if example.status in (429, 500, 503):
        assert sent == client.retry_policy.attempts  # retried, then given up
    elif example.status == 401:
        assert sent == 2  # replayed once with a fresh token
        assert len(api.token_requests) == 2
    else:
        assert sent == 1  # 400, 403, 404, 413: never retried
