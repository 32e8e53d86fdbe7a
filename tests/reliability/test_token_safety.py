"""Token safety: operation tokens that cannot change the request path, and token endpoint answers that are
not what they should be turning into an AuthenticationError, not a crash.

Everything runs in-process (``httpx.MockTransport``) or against the simulator on loopback.
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from criteo_catalog_sdk import (
    AsyncCatalogClient,
    AuthenticationError,
    CatalogClient,
    CriteoError,
    InvalidRequestError,
    RetryPolicy,
)
from criteo_catalog_sdk.api_versions import get_api_version

from ._support import CLIENT_ID, SECRET, SEED, SIZES
from .conftest import Simulator
from .secret_audit import SecretAudit

NO_RETRY = RetryPolicy.disabled()
API = "https://api.criteo.test"

REPORT_PREFIX = get_api_version("preview").report.prefix


# -- operation tokens cannot change the path --------------------------------------------------------------

HOSTILE_TOKENS = [
    "../../oauth2/token",
    "..",
    ".",
    "...",
    "a/b",
    "a/../../stats/merchants/1",
    "?lastNumHours=1",
    "#fragment",
    "%2F%2E%2E",
    "%",
    "a\r\nHost: evil.example.com",
    "a\x00b",
    "tok en",
    "\\..\\..",
    "é/ü",
    "x" * 10_000,
    "eyJhbGciOiJub25lIn0.eyJwYXJ0bmVySWQiOjEyM30./../../batch",
]


def _report_request(token: str) -> httpx.Request:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path == "/oauth2/token":
            return httpx.Response(200, json={"access_token": "tok-path-test", "expires_in": 900})
        return httpx.Response(404, json={"errors": []})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = CatalogClient(CLIENT_ID, SECRET, base_url=API, http_client=http, retry=NO_RETRY)
    with client, pytest.raises(CriteoError):
        client.get_report(token)
    http.close()
    (request,) = [r for r in sent if r.url.path != "/oauth2/token"]
    return request


def _assert_confined(token: str, request: httpx.Request) -> None:
    raw = request.url.raw_path.decode("ascii")
    assert request.url.host == "api.criteo.test" and request.method == "GET"
    assert raw.startswith(REPORT_PREFIX), raw
    segment = raw[len(REPORT_PREFIX) :]
    assert segment and "/" not in segment and "?" not in segment and "#" not in segment, raw
    assert segment.strip(".") != "", "a dot segment would be resolved away"
    assert all(c.isascii() and c.isprintable() and c != " " for c in segment), raw
    assert unquote(segment) == token, "the token arrives intact"


@pytest.mark.parametrize("token", HOSTILE_TOKENS, ids=range(len(HOSTILE_TOKENS)))
def test_hostile_operation_tokens_stay_in_their_path_segment(token: str) -> None:
    _assert_confined(token, _report_request(token))


@seed(SEED)
@settings(max_examples=SIZES.hypothesis_examples, deadline=None, database=None)
@given(st.text(min_size=1, max_size=80).filter(lambda t: t.strip()))
def test_any_operation_token_stays_in_its_path_segment(token: str) -> None:
    _assert_confined(token, _report_request(token))


@pytest.mark.parametrize("token", ["", "   ", "\t\n"])
def test_blank_tokens_are_refused_before_sending(token: str) -> None:
    with CatalogClient(CLIENT_ID, SECRET, base_url=API) as client, pytest.raises(InvalidRequestError):
        client.get_report(token)


def test_hostile_tokens_reach_only_the_report_route_of_the_simulator(simulator: Simulator) -> None:
    with CatalogClient(CLIENT_ID, SECRET, base_url=simulator.base_url, retry=NO_RETRY) as client:
        for token in HOSTILE_TOKENS:
            with pytest.raises(CriteoError) as caught:
                client.get_report(token)
            status = getattr(caught.value, "status", None)
            assert status in (400, 404, 413), (token[:40], caught.value)
    routes = [r["route"] for r in simulator.control.requests()]
    assert routes.count("report") == len(HOSTILE_TOKENS)
    assert set(routes) <= {"token", "report"}, routes


# -- token endpoint answers that are not what they should be -------------------------------------------------

BAD_TOKEN_BODIES: list[tuple[int, bytes]] = [
    (200, b""),
    (200, b"<html><body>Welcome to the captive portal</body></html>"),
    (200, b'{"access_token": "abc", "expires_in": 9'),  # truncated
    (200, b"[]"),
    (200, b'"access_token"'),
    (200, b"null"),
    (200, b"{}"),
    (200, b'{"token_type": "Bearer", "expires_in": 900}'),
    (200, b'{"access_token": null}'),
    (200, b'{"access_token": ""}'),
    (200, b'{"access_token": 12345}'),
    (200, b'{"access_token": ["a"]}'),
    (200, b'{"access_token": {"value": "a"}}'),
    (200, b"\xff\xfe\x00garbage"),
    (204, b""),
    (400, b"not json at all"),
    (401, b'{"error": "invalid_client", "error_description": "bad secret ' + SECRET.encode() + b'"}'),
    (403, b"<html>forbidden</html>"),
    (500, b"<html>" + b"x" * 100_000 + b"</html>"),
    (503, b""),
]


def _client_with_token_answer(status: int, body: bytes) -> tuple[CatalogClient, list[str], httpx.Client]:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path == "/oauth2/token":
            return httpx.Response(status, content=body, headers={"Content-Type": "application/json"})
        return httpx.Response(200, json={"status": "VALIDATED", "errorDetails": []})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return CatalogClient(CLIENT_ID, SECRET, base_url=API, http_client=http, retry=NO_RETRY), paths, http


@pytest.mark.parametrize(("status", "body"), BAD_TOKEN_BODIES, ids=range(len(BAD_TOKEN_BODIES)))
def test_bad_token_answers_raise_authentication_error(status: int, body: bytes, audit: SecretAudit) -> None:
    client, paths, http = _client_with_token_answer(status, body)
    with client, pytest.raises(AuthenticationError) as caught:
        client.get_report("token")
    http.close()
    assert paths == ["/oauth2/token"], "no API call without a token"
    assert caught.value.status == status
    audit.exception("auth error", caught.value)
    audit.verify()


def test_bad_token_answers_raise_authentication_error_in_the_async_client() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"<html>not json</html>")

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with AsyncCatalogClient(CLIENT_ID, SECRET, base_url=API, http_client=http, retry=NO_RETRY) as client:
            with pytest.raises(AuthenticationError):
                await client.get_report("token")
        await http.aclose()

    asyncio.run(main())


token_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3),
    max_leaves=8,
)
token_bodies = st.one_of(
    st.binary(max_size=200),
    token_json.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {"access_token": token_json},
        optional={"expires_in": token_json, "token_type": token_json, "refresh_token": token_json},
    ).map(lambda v: json.dumps(v).encode()),
)


@seed(SEED)
@settings(max_examples=SIZES.hypothesis_examples * 2, deadline=None, database=None)
@given(status=st.sampled_from([200, 201, 202, 204, 299, 400, 401, 403, 404, 429, 500, 502, 503]), body=token_bodies)
def test_any_token_answer_is_a_token_or_an_authentication_error(status: int, body: bytes) -> None:
    client, paths, http = _client_with_token_answer(status, body)
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    usable = (
        200 <= status < 300
        and isinstance(data, dict)
        and isinstance(data.get("access_token"), str)
        and bool(data["access_token"])
    )
    with client:
        if usable:
            client.get_report("token")
            assert paths == ["/oauth2/token", REPORT_PREFIX + "token"]
        else:
            with pytest.raises(AuthenticationError):
                client.get_report("token")
            assert paths == ["/oauth2/token"]
    http.close()
