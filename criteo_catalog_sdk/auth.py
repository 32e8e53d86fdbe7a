"""OAuth2 client-credentials authentication as an ``httpx.Auth``.

- The token is fetched lazily (form-encoded ``grant_type=client_credentials``, ``client_id``,
  ``client_secret``), cached, and refreshed ``leeway`` seconds (60 by default, at most half the token's
  lifetime) before it expires, so a request never leaves with a token about to die.
- A 401 answer refreshes the token once and replays the request once (Criteo: "a 401 means expired").
  403 is passed through untouched.
- Concurrent callers share one refresh: a ``threading.Lock`` (sync) or an ``anyio.Lock`` (async) is
  held while the token request is in flight, and whoever gets the lock second finds a fresh token.
- A failed token request raises :class:`AuthenticationError` with the server's reason.
- ``refresh_token`` in the token response is ignored (never required): client credentials are replayed.
- The secret and the tokens are kept in :class:`Secret` wrappers and never appear in ``repr``, logs or
  exception text.

The request flow is written once, as a generator (:meth:`ClientCredentialsAuth._flow`) that yields the
requests to send plus lock/unlock markers; :meth:`sync_auth_flow` and :meth:`async_auth_flow` are small
drivers that only differ in the kind of lock and in how they read a response.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from dataclasses import dataclass
from typing import Final

import anyio
import httpx

from criteo_catalog_sdk._logging import logger
from criteo_catalog_sdk.errors import AuthenticationError, api_error, parse_problems

__all__ = ["DEFAULT_LEEWAY", "DEFAULT_TOKEN_LIFETIME", "ClientCredentialsAuth", "Secret"]

DEFAULT_LEEWAY = 60.0
# Criteo tokens live 15 minutes; used when the token response does not say.
DEFAULT_TOKEN_LIFETIME = 900.0


class Secret:
    """A string that does not show itself in ``repr``/``str``; ``reveal()`` returns it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret value."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True, slots=True)
class _Token:
    value: Secret
    refresh_at: float  # monotonic time after which the token is no longer handed out

    def usable(self, now: float) -> bool:
        return now < self.refresh_at


class _Command:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


_ACQUIRE: Final = _Command("acquire")  # the driver takes its lock (blocking or awaiting), then resumes the flow

_Step = httpx.Request | _Command
_Flow = Generator[_Step, httpx.Response | None, None]


class ClientCredentialsAuth(httpx.Auth):
    """OAuth2 client-credentials auth for Criteo's API; usable on any ``httpx.Client``/``AsyncClient``."""

    # The driver reads the token response itself, so httpx need not read anything for us.
    requires_response_body = False

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        token_url: str,
        *,
        leeway: float = DEFAULT_LEEWAY,
        clock: Callable[[], float] = time.monotonic,
        user_agent: str | None = None,
    ) -> None:
        if not client_id or not client_secret:
            raise ValueError("client_id and client_secret are required")
        self.client_id = client_id
        self._secret = Secret(client_secret)
        self.token_url = token_url
        self._token_path = httpx.URL(token_url).path
        self._leeway = leeway
        self._clock = clock
        self._user_agent = user_agent
        self._token: _Token | None = None
        self._thread_lock = threading.Lock()
        self._async_lock = anyio.Lock()
        self.token_requests = 0  # how many token requests were sent (observability, tests)

    def __repr__(self) -> str:
        return f"ClientCredentialsAuth(client_id={self.client_id!r}, token_url={self.token_url!r}, secret='***')"

    def invalidate(self) -> None:
        """Forget the cached token: the next request fetches a new one."""
        self._token = None

    # -- the flow, written once ------------------------------------------------------------------

    def _flow(self, request: httpx.Request, release: Callable[[], None]) -> _Flow:
        """Authorize ``request``; refreshes run under the driver's lock, which ``release`` frees."""
        token = self._token
        if token is None or not token.usable(self._clock()):
            token = yield from self._refresh(request, release, stale=None)
        self._authorize(request, token)
        response = yield request
        if response is not None and response.status_code == 401:
            # Criteo: a 401 means the token expired or was revoked. Refresh once, replay once.
            logger.debug("%s %s -> 401, refreshing the token and replaying once", request.method, request.url.path)
            token = yield from self._refresh(request, release, stale=token)
            self._authorize(request, token)
            yield request

    def _refresh(
        self, request: httpx.Request, release: Callable[[], None], stale: _Token | None
    ) -> Generator[_Step, httpx.Response | None, _Token]:
        yield _ACQUIRE
        try:  # from here the lock is held: freed however the refresh ends (or the driver closes the flow)
            current = self._token
            # Someone else may have refreshed while we waited for the lock: use theirs.
            if current is not None and current is not stale and current.usable(self._clock()):
                return current
            if stale is not None and current is stale:
                # The server refused it: never send it again, even if the refresh below fails.
                self._token = None
            sent_at = self._clock()
            self.token_requests += 1
            response = yield self._token_request(request)
            if response is None:  # pragma: no cover - drivers always send a response back
                raise RuntimeError("auth flow driver sent no response")
            token = self._parse_token_response(response, sent_at)
            self._token = token
            return token
        finally:
            release()

    def _authorize(self, request: httpx.Request, token: _Token) -> None:
        request.headers["Authorization"] = "Bearer " + token.value.reveal()

    def _token_request(self, request: httpx.Request) -> httpx.Request:
        headers = {"Accept": "application/json"}
        if self._user_agent:
            headers["User-Agent"] = self._user_agent
        return httpx.Request(
            "POST",
            self.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self._secret.reveal(),
            },
            headers=headers,
            # Same timeouts as the request that needs the token (a bare Request would have none).
            extensions={"timeout": request.extensions.get("timeout", {})},
        )

    def _parse_token_response(self, response: httpx.Response, sent_at: float) -> _Token:
        status = response.status_code
        logger.debug("POST %s -> %d (token)", self._token_path, status)
        if not 200 <= status < 300:
            raise self._token_error(response)
        payload = _json_or_none(response.text)
        if not isinstance(payload, dict):
            payload = {}
        access_token = payload.get("access_token")
        if not isinstance(access_token, str) or not access_token:
            # No body in the error: a malformed success body might still carry credentials.
            raise AuthenticationError(
                status,
                method="POST",
                path=self._token_path,
                operation="token",
                reason="the token endpoint answered without access_token",
            )
        lifetime = _lifetime(payload.get("expires_in"))
        # Refresh ahead of expiry, but never so early that a short-lived token is stale on arrival.
        leeway = min(self._leeway, lifetime / 2)
        return _Token(Secret(access_token), sent_at + lifetime - leeway)

    def _token_error(self, response: httpx.Response) -> AuthenticationError:
        body = response.text.replace(self._secret.reveal(), "***")
        reason = _token_error_reason(_json_or_none(body), body) or f"token request failed (HTTP {response.status_code})"
        # A rate-limited or unavailable token endpoint is retried like any call: api_error keeps its wait hint.
        error = api_error(
            response.status_code,
            body,
            response.headers,
            method="POST",
            path=self._token_path,
            operation="token",
            cls=AuthenticationError,
            reason=f"the token endpoint refused the client credentials: {reason}",
        )
        assert isinstance(error, AuthenticationError)  # noqa: S101 - cls forces it; narrows the type
        return error

    # -- drivers -----------------------------------------------------------------------------------

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Drive :meth:`_flow` for ``httpx.Client``, sharing refreshes between threads."""
        flow = self._flow(request, release=self._thread_lock.release)
        try:
            step = next(flow)
            while True:
                if isinstance(step, _Command):  # _ACQUIRE
                    self._thread_lock.acquire()
                    step = flow.send(None)
                    continue
                response = yield step
                if step is not request:  # a token response: the flow parses its body
                    response.read()
                step = flow.send(response)
        except StopIteration:
            return
        finally:
            flow.close()

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Drive :meth:`_flow` for ``httpx.AsyncClient``, sharing refreshes between tasks."""
        flow = self._flow(request, release=self._async_lock.release)
        try:
            step = next(flow)
            while True:
                if isinstance(step, _Command):  # _ACQUIRE
                    await self._async_lock.acquire()
                    step = flow.send(None)
                    continue
                response = yield step
                if step is not request:  # a token response: the flow parses its body
                    await response.aread()
                step = flow.send(response)
        except StopIteration:
            return
        finally:
            flow.close()


def _lifetime(value: object) -> float:
    if isinstance(value, bool):
        return DEFAULT_TOKEN_LIFETIME
    if isinstance(value, int | float):
        return float(value) if value > 0 else 0.0
    if isinstance(value, str):
        try:
            seconds = float(value)
        except ValueError:
            return DEFAULT_TOKEN_LIFETIME
        return seconds if seconds > 0 else 0.0
    return DEFAULT_TOKEN_LIFETIME


def _json_or_none(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _token_error_reason(payload: object, body: str) -> str | None:
    if not isinstance(payload, dict):
        text = body.strip()
        return text[:200] if text and payload is None else None
    error = payload.get("error")
    description = payload.get("error_description")
    if isinstance(error, str) and error:
        return f"{error}: {description}" if isinstance(description, str) and description else error
    problems = parse_problems(payload.get("errors"))
    if problems:
        return "; ".join(str(p) for p in problems)
    return None
