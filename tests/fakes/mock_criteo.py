"""Criteo's HTTP API imitated in process, answer by answer, for the clients' unit tests (httpx.MockTransport).

``FakeAPI`` issues tokens and answers each route from a queue the test scripts (any status, headers,
body or transport exception, then a default answer), and records every request it got. The simulator
cannot serve these tests: they need exact answers in an exact order (a 429 whose wait is only in its
title, a 404 without a body, Retry-After, a token answer without ``access_token``, a transport error
raised mid-request, ``expires_in`` of any type) and to look at the requests exactly as httpx sent them,
with a recorded ``sleep`` instead of time passing.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any

import httpx

from criteo_catalog_sdk import AsyncCatalogClient, CatalogClient, PollPolicy, RetryPolicy

CLIENT_ID = "my-client-id"
SECRET = "S3cr3t-client-Secret-5b1f"
BASE_URL = "https://api.criteo.test"
BATCH = "/preview/catalog/products/batch"
REPORT = "/preview/catalog/products/batch/report/"
STATS = "/preview/catalog/stats/merchants/"
DOC_TOKEN = (
    "eyJhbGciOiJub25lIn0.eyJwYXJ0bmVySWQiOjEyMywib3BlcmF0aW9uSWQiOiIxNzE2YzExNC1mZThjLTRiZmYtOGFiNC0zYzM5YTQwY2M1"
    "ZGMiLCJleHAiOjE2MTYxNDIwMDJ9."
)

FAST_RETRY = RetryPolicy(attempts=4, initial_wait=0.0, max_wait=0.0, jitter=0.0, deadline=None)
FAST_POLL = PollPolicy(initial_delay=0.0, max_delay=0.0)


def problem(
    status: int, code: str, title: str, *, type_: str = "availability", path: str = BATCH, trace: str = "t-1"
) -> httpx.Response:
    body = {
        "errors": [{"traceId": trace, "type": type_, "code": code, "instance": path, "title": title, "detail": ""}],
        "warnings": [],
    }
    return httpx.Response(status, json=body)


def report_body(status: str = "VALIDATED", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "status": status,
        "importRequestTimestamp": "1615799535032",
        "numberOfProductsInTheBatch": "2",
        "numberOfProductsUpserted": "2" if status != "ACCEPTED" else "0",
        "numberOfProductsDeleted": "0",
        "numberOfProductsWithErrors": "0",
        "errorDetails": [],
    }
    body.update(extra)
    return body


Responder = httpx.Response | Callable[[httpx.Request], httpx.Response]


class FakeAPI:
    """Answers token requests (a new token each time) and scripted answers per route.

    ``script(route, *responses)`` queues answers for ``batch``, ``report`` or ``stats``; when a queue is
    empty the route answers its default (202 with a token, a VALIDATED report, empty stats). Tokens in
    ``revoked`` get 401.
    """

    def __init__(self, *, expires_in: object = 900, token_body: dict[str, Any] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.token_requests: list[httpx.Request] = []
        self.queues: dict[str, deque[Responder]] = {"batch": deque(), "report": deque(), "stats": deque()}
        self.token_queue: deque[Responder] = deque()
        self.expires_in = expires_in
        self.token_body = token_body
        self.revoked: set[str] = set()
        self.issued: list[str] = []
        self.lock = threading.Lock()
        self.token_gate: threading.Event | None = None

    def script(self, route: str, *responses: Responder) -> None:
        self.queues[route].extend(responses)

    def api_requests(self, route: str | None = None) -> list[httpx.Request]:
        def match(path: str) -> bool:
            if route is None:
                return path.startswith("/preview/")
            if route == "batch":
                return path == BATCH
            return path.startswith(REPORT if route == "report" else STATS)

        return [r for r in self.requests if match(r.url.path)]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append(request)
        if request.url.path == "/oauth2/token":
            return self._token(request)
        auth = request.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ")
        if not auth.startswith("Bearer ") or token not in self.issued or token in self.revoked:
            return problem(401, "not-authenticated", "User is not authenticated", type_="authentication")
        path = request.url.path
        if path == BATCH:
            route = "batch"
        elif path.startswith(REPORT):
            route = "report"
        elif path.startswith(STATS):
            route = "stats"
        else:
            return httpx.Response(404)
        with self.lock:
            queued = self.queues[route].popleft() if self.queues[route] else None
        if queued is not None:
            return _answer(queued, request)
        if route == "batch":
            return httpx.Response(202, json={"operationToken": DOC_TOKEN})
        if route == "report":
            return httpx.Response(200, json=report_body())
        return httpx.Response(200, json={"data": {"statisticsRecordList": []}, "errors": [], "warnings": []})

    def _token(self, request: httpx.Request) -> httpx.Response:
        if self.token_gate is not None:
            self.token_gate.wait(5)
        with self.lock:
            self.token_requests.append(request)
            queued = self.token_queue.popleft() if self.token_queue else None
            token = f"access-token-{len(self.token_requests)}-Zq9"
            self.issued.append(token)
        if queued is not None:
            return _answer(queued, request)
        body = (
            self.token_body
            if self.token_body is not None
            else {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": self.expires_in,
            }
        )
        return httpx.Response(200, json=body)


def _answer(queued: Responder, request: httpx.Request) -> httpx.Response:
    if isinstance(queued, httpx.Response):
        # A fresh copy: httpx rebinds a response's stream when it sends it, so one object serves once.
        return httpx.Response(queued.status_code, headers=queued.headers, content=queued.content)
    return queued(request)


def _options(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The client's keyword arguments: fast retries and polls unless the test sets them."""
    return {"retry": FAST_RETRY, "polling": FAST_POLL, "base_url": BASE_URL, **kwargs}


def sync_client(api: FakeAPI, **kwargs: Any) -> tuple[CatalogClient, list[float]]:
    """A CatalogClient answered by ``api``, and the waits it asked for (it never sleeps)."""
    slept: list[float] = []
    http = httpx.Client(transport=httpx.MockTransport(api))
    return CatalogClient(CLIENT_ID, SECRET, http_client=http, sleep=slept.append, **_options(kwargs)), slept


def async_client(api: FakeAPI, **kwargs: Any) -> tuple[AsyncCatalogClient, list[float]]:
    """An AsyncCatalogClient answered by ``api``, and the waits it asked for (it never sleeps)."""
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    http = httpx.AsyncClient(transport=httpx.MockTransport(api))
    return AsyncCatalogClient(CLIENT_ID, SECRET, http_client=http, sleep=sleep, **_options(kwargs)), slept


# -- what the clients' tests send and script ---------------------------------------------------

PRODUCT = {"id": "sku-1", "title": "T", "link": "https://x/p", "imageLink": "https://x/i.jpg"}
EXACT_RETRY = RetryPolicy(attempts=5, initial_wait=0.5, multiplier=2, max_wait=30, jitter=0.0, deadline=None)
TOO_MANY = problem(429, "too-many-requests", "Too many requests. Retry in 5 seconds")
UNAVAILABLE = problem(503, "service-unavailable", "Service unavailable.")


def reports(*statuses: str) -> list[httpx.Response]:
    return [httpx.Response(200, json=report_body(s)) for s in statuses]
