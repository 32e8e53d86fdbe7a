"""Transport safety: TLS verified by default, credentials never sent over plain http to a host that is not
loopback, redirects never followed. Operation tokens and token endpoint answers: ``test_token_safety.py``.

Everything runs on loopback (a TLS server with a self-signed certificate, the simulator) or in-process
(``httpx.MockTransport``); nothing reaches the internet: the refusals happen before any connection,
which a guard on ``socket`` proves.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from criteo_catalog_sdk import (
    AsyncCatalogClient,
    CatalogClient,
    ConfigurationError,
    CriteoError,
    InsecureTransportError,
    RetryPolicy,
    TransportError,
)

from ._support import CLIENT_ID, SECRET
from .secret_audit import SecretAudit

NO_RETRY = RetryPolicy.disabled()
API = "https://api.criteo.test"


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


def test_a_client_of_plain_http_urls_loads_no_certificates(monkeypatch: pytest.MonkeyPatch) -> None:
    """TLS is never used when neither URL is https (only loopback hosts may be plain http): the CA bundle
    (about 0.1 s of CPU per client) is not loaded. One https URL, the token's, brings verification back."""
    loads: list[object] = []
    original = ssl.SSLContext.load_verify_locations

    def counted(self: ssl.SSLContext, *args: Any, **kwargs: Any) -> None:
        loads.append(args or kwargs)
        original(self, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counted)
    with CatalogClient(CLIENT_ID, SECRET, base_url="http://127.0.0.1:8080"):
        pass
    asyncio.run(AsyncCatalogClient(CLIENT_ID, SECRET, base_url="http://localhost:8080").close())
    assert loads == []
    mixed = CatalogClient(CLIENT_ID, SECRET, base_url="http://127.0.0.1:8080", token_url="https://127.0.0.1:8443/t")
    with mixed:
        assert len(loads) == 1 and _ssl_context(mixed._http).verify_mode == ssl.CERT_REQUIRED


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
