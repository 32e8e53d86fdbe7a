"""An in-memory Criteo for the SDK's public clients: it records every request and answers as told.

The SDK-side contract tests send generated inputs through :class:`~criteo_catalog_sdk.CatalogClient`
(and its async twin) into an ``httpx.MockTransport``: nothing leaves the process. The token endpoint
always grants a token; each API route of the chosen generation (its own paths) answers its scripted
``(status, body, headers)``, by default a valid answer of the effective spec. The clients it makes
talk to that generation (``api_version=``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from contract_tests.spec_checks import match_path
from contract_tests.specs import Generation, generation
from criteo_catalog_sdk import AsyncCatalogClient, CatalogClient, PollPolicy, RetryPolicy
from criteo_catalog_sdk.errors import InvalidRequestError

BASE_URL = "https://catalog-contract.invalid"
CLIENT_ID = "contract-id"
CLIENT_SECRET = "contract-secret"
# Seed 001, the documented 202.
DOCUMENTED_TOKEN = (
    "eyJhbGciOiJub25lIn0.eyJwYXJ0bmVySWQiOjEyMywib3BlcmF0aW9uSWQiOiIxNzE2YzExNC1mZThjLTRiZmYtOGFiNC0zYzM5YTQwY2M1"
    "ZGMiLCJleHAiOjE2MTYxNDIwMDJ9."
)
VALID_REPORT = {
    "status": "VALIDATED",
    "importRequestTimestamp": "1615799535032",
    "numberOfProductsInTheBatch": "2",
    "numberOfProductsUpserted": "2",
    "numberOfProductsDeleted": "0",
    "numberOfProductsWithErrors": "0",
    "errorDetails": [],
}
VALID_STATS: dict[str, Any] = {"data": {"statisticsRecordList": []}, "errors": [], "warnings": []}
NO_RETRY = RetryPolicy(attempts=1)
NO_WAIT = PollPolicy(initial_delay=0.0, max_delay=0.0)

Answer = tuple[int, bytes, dict[str, str]]


def json_answer(status: int, body: Any) -> Answer:
    """A JSON answer."""
    return status, json.dumps(body).encode(), {"content-type": "application/json"}


def route_of(path: str, where: Generation | None = None) -> str:
    """batch, report, stats or unknown, under the paths of generation ``where`` (default: the default one)."""
    where = where or generation()
    routes = (("batch", where.batch_path), ("report", where.report_template), ("stats", where.stats_template))
    return next((route for route, template in routes if template and match_path(template, path) is not None), "unknown")


@dataclass
class CapturingCriteo:
    """Records the API requests of a client of ``where`` (a generation) and answers them from ``answers`` (by route)."""

    where: Generation = field(default_factory=generation)

    answers: dict[str, Answer] = field(
        default_factory=lambda: {
            "batch": json_answer(202, {"operationToken": DOCUMENTED_TOKEN}),
            "report": json_answer(200, VALID_REPORT),
            "stats": json_answer(200, VALID_STATS),
        }
    )
    requests: list[httpx.Request] = field(default_factory=list)
    token_requests: int = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        """The MockTransport handler."""
        if request.url.path == "/oauth2/token":
            self.token_requests += 1
            return httpx.Response(
                200, json={"access_token": "contract-token", "token_type": "Bearer", "expires_in": 900}
            )
        self.requests.append(request)
        route = route_of(request.url.raw_path.decode("ascii").partition("?")[0], self.where)
        status, body, headers = self.answers.get(route, json_answer(404, {"errors": []}))
        return httpx.Response(status, content=body, headers=headers)

    def answer(self, route: str, status: int, body: bytes | Any, headers: dict[str, str] | None = None) -> None:
        """Script the answer of ``route``: raw ``bytes`` as they are, anything else as JSON."""
        if isinstance(body, bytes):
            self.answers[route] = (
                status,
                body,
                headers if headers is not None else {"content-type": "application/json"},
            )
        else:
            self.answers[route] = json_answer(status, body)

    def _options(self) -> dict[str, Any]:
        """What both clients are given: this generation at BASE_URL, no retry, no waiting."""
        return {"base_url": BASE_URL, "retry": NO_RETRY, "polling": NO_WAIT, "api_version": self.where.name}

    def client(self) -> CatalogClient:
        """A synchronous client sending here (no retry, no waiting)."""
        http = httpx.Client(transport=httpx.MockTransport(self.handle))
        return CatalogClient(CLIENT_ID, CLIENT_SECRET, http_client=http, sleep=lambda _: None, **self._options())

    def async_client(self) -> AsyncCatalogClient:
        """An asynchronous client sending here (no retry, no waiting)."""

        async def no_sleep(_: float) -> None:
            return None

        http = httpx.AsyncClient(transport=httpx.MockTransport(self.handle))
        return AsyncCatalogClient(CLIENT_ID, CLIENT_SECRET, http_client=http, sleep=no_sleep, **self._options())

    def take(self) -> httpx.Request:
        """The one request sent since the last call (AssertionError otherwise)."""
        assert len(self.requests) == 1, [str(r.url) for r in self.requests]
        return self.requests.pop()


__all__ = [
    "BASE_URL",
    "DOCUMENTED_TOKEN",
    "VALID_REPORT",
    "VALID_STATS",
    "CapturingCriteo",
    "InvalidRequestError",
    "json_answer",
    "route_of",
]
