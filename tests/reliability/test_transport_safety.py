"""Transport safety: TLS verified by default, credentials never sent over plain http to a host that is not
loopback, operation tokens that cannot change the request path, and token endpoint answers that are not
what they should be turning into an AuthenticationError, not a crash.

Everything runs on loopback (a TLS server with a self-signed certificate, the simulator) or in-process
(``httpx.MockTransport``); nothing reaches the internet: the refusals happen before any connection,
which a guard on ``socket`` proves.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from criteo_catalog_sdk import (
    AsyncCatalogClient,
    AuthenticationError,
    CatalogClient,
    ConfigurationError,
    CriteoError,
    InsecureTransportError,
    InvalidRequestError,
    RetryPolicy,
    TransportError,
)
from criteo_catalog_sdk.api_versions import get_api_version

from ._support import CLIENT_ID, SECRET, SEED, SIZES
from .conftest import Simulator
from .secret_audit import SecretAudit

NO_RETRY = RetryPolicy.disabled()
API = "https://api.criteo.test"

REPORT_PREFIX = get_api_version("preview").report.prefix


# -- TLS ------------------------------------------------------------------------------------------------


def _ssl_context(http: httpx.Client | httpx.AsyncClient) -> ssl.SSLContext:
    transport: Any = http._transport  # the transport httpx built for the client (no proxy configured)
    return transport._pool._ssl_context  # type: ignore[no-any-return]


def test_tls_verification_is_on_by_default() -> None:
    sync = CatalogClient(CLIENT_ID, SECRET)
    asyncc = AsyncCatalogClient(CLIENT_ID, SECRET)
    try:  # a CatalogClient's push sends through the client's own httpx.Client
        for client in (sync, asyncc):
            context = _ssl_context(client._http)
            assert context.verify_mode == ssl.CERT_REQUIRED
            assert context.check_hostname is True
            assert client.base_url == "https://api.criteo.com"
    finally:
        sync.close()
        asyncio.run(asyncc.close())


@pytest.fixture
def self_signed_server(tmp_path: Path) -> Iterator[tuple[str, list[bytes], list[str]]]:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate: what it decrypted, and its TLS errors."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    received: list[bytes] = []
    tls_errors: list[str] = []
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                try:
                    with context.wrap_socket(conn, server_side=True) as tls:
                        tls.settimeout(5)
                        data = tls.recv(65536)
                        received.append(data)
                        tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
                except (ssl.SSLError, OSError) as exc:
                    tls_errors.append(type(exc).__name__)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}", received, tls_errors
    finally:
        stop.set()
        thread.join(5)  # the connection in hand is handled (its error recorded) before the socket closes
        listener.close()


def test_a_certificate_nobody_vouches_for_is_refused_before_anything_is_sent(
    self_signed_server: tuple[str, list[bytes], list[str]], audit: SecretAudit
) -> None:
    url, received, tls_errors = self_signed_server
    with CatalogClient(CLIENT_ID, SECRET, base_url=url, retry=NO_RETRY) as client:
        with pytest.raises(TransportError) as caught:
            client.get_report("token")
        assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value) or "certificate" in str(caught.value).lower()
        audit.exception("tls error", caught.value)
    deadline = time.monotonic() + 5  # the server thread records its side of the failed handshake
    while not tls_errors and time.monotonic() < deadline:
        time.sleep(0.01)
    assert received == [], "no request (no credentials) may go through an unverified connection"
    assert tls_errors, "the handshake was attempted and failed"
    audit.verify()


# -- plain http -----------------------------------------------------------------------------------------

REMOTE_HTTP = [
    "http://api.criteo.com",
    "HTTP://API.CRITEO.COM/",
    "http://127.0.0.1.nip.io",
    "http://localhost.example.com",
    "http://10.0.0.1:8080",
    "http://192.168.1.10",
    "http://0.0.0.0:8787",
    "http://[::ffff:7f00:1]",
    "http://[fe80::1]",
    "http://127.1",
    "http://2130706433",
]
LOOPBACK_HTTP = ["http://127.0.0.1:8787", "http://localhost:8787", "http://[::1]:8787", "http://127.8.9.10"]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any name resolution or connection attempt is recorded and refused."""
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args[:2]))
        raise OSError("network access is not allowed here")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.mark.parametrize("url", REMOTE_HTTP)
def test_credentials_are_refused_over_plain_http_to_remote_hosts(url: str, no_network: list[str]) -> None:
    constructors: list[Callable[[], object]] = [
        lambda: CatalogClient(CLIENT_ID, SECRET, base_url=url),
        lambda: AsyncCatalogClient(CLIENT_ID, SECRET, base_url=url),
        lambda: CatalogClient(CLIENT_ID, SECRET, base_url=API, token_url=url + "/oauth2/token"),
        lambda: CatalogClient.from_env(
            environ={"CRITEO_CLIENT_ID": CLIENT_ID, "CRITEO_CLIENT_SECRET": SECRET, "CRITEO_API_URL": url}
        ),
    ]
    for make in constructors:
        with pytest.raises(InsecureTransportError) as caught:
            make()
        assert SECRET not in str(caught.value) and "https" in str(caught.value)
    assert no_network == [], "refused before any connection or name lookup"


@pytest.mark.parametrize("url", LOOPBACK_HTTP)
def test_plain_http_is_allowed_to_loopback_only(url: str, no_network: list[str]) -> None:
    with CatalogClient(CLIENT_ID, SECRET, base_url=url) as client:
        assert client.base_url == url
    assert no_network == []


def test_credentials_in_the_url_are_refused_without_being_echoed() -> None:
    with pytest.raises(ConfigurationError) as caught:
        CatalogClient(CLIENT_ID, SECRET, base_url=f"https://user:{SECRET}@api.criteo.com")
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)


def test_redirects_are_not_followed_so_credentials_cannot_be_led_elsewhere() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/oauth2/token":
            return httpx.Response(200, json={"access_token": "tok-redirect-test", "expires_in": 900})
        return httpx.Response(307, headers={"Location": "http://evil.example.com/steal"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = CatalogClient(CLIENT_ID, SECRET, base_url=API, http_client=http, retry=NO_RETRY)
    with client, pytest.raises(CriteoError):
        client.get_report("token")
    assert [r.url.host for r in seen] == ["api.criteo.test", "api.criteo.test"]
    http.close()


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
