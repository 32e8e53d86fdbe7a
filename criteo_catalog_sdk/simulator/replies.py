"""What the simulated API answers (:class:`Reply` and its builders) and the request log's records."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from criteo_catalog_sdk.simulator import errors

JSON_HEADERS = (("content-type", "application/json"),)


@dataclass(frozen=True, slots=True)
class Reply:
    """An HTTP answer: status, body (empty for 413) and extra headers."""

    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    products: int = 0  # how many products the request carried (request log)


def dump(value: Any) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def json_reply(status: int, value: Any, headers: Iterable[tuple[str, str]] = (), products: int = 0) -> Reply:
    """A JSON answer."""
    return Reply(status, dump(value), (*JSON_HEADERS, *headers), products)


def error_reply(
    status: int, problems: Iterable[errors.Problem], instance: str, headers: Iterable[tuple[str, str]] = ()
) -> Reply:
    """An answer carrying Criteo's error envelope."""
    return Reply(status, errors.envelope_bytes(problems, instance), (*JSON_HEADERS, *headers))


def payload_too_large() -> Reply:
    """413 with no body, as documented."""
    return Reply(413)


def with_headers(reply: Reply, headers: Iterable[tuple[str, str]]) -> Reply:
    """``reply`` with more headers."""
    extra = tuple(headers)
    return Reply(reply.status, reply.body, (*reply.headers, *extra), reply.products) if extra else reply


def with_call_budget(reply: Reply, budget_headers: Iterable[tuple[str, str]]) -> Reply:
    """``reply`` with the call budget's ``x-ratelimit-*``, unless it already describes the limit that
    refused it (the per-merchant product budget's 429)."""
    if any(name == "x-ratelimit-limit" for name, _ in reply.headers):
        return reply
    return with_headers(reply, budget_headers)


@dataclass(slots=True)
class RequestRecord:
    """One line of the request log (control endpoint)."""

    at: float
    method: str
    path: str
    route: str
    status: int
    products: int = 0
    fault: str | None = None
    client_id: str | None = None
    api_version: str | None = None  # the generation of batch, report and stats calls

    def to_json(self) -> dict[str, Any]:
        """A JSON view."""
        return {
            "at": self.at,
            "method": self.method,
            "path": self.path,
            "route": self.route,
            "apiVersion": self.api_version,
            "status": self.status,
            "products": self.products,
            "fault": self.fault,
            "clientId": self.client_id,
        }
