"""A small scripted Criteo Catalog API (Starlette on uvicorn, 127.0.0.1, ephemeral port) for the clients'
end-to-end tests over a real socket (tests/test_client_e2e.py, tests/test_secrets.py).

It behaves as Criteo's documentation shows: client-credentials tokens, the error envelope, 429s whose
wait is only in the title and ``x-ratelimit-*`` headers (no ``Retry-After``), reports that move from
ACCEPTED through IN_PROGRESS to a final state with lower-cased product ids. Tests queue faults per
route (``server.faults["report"].append(...)``) and can revoke every token mid-session.

Why not the simulator: these tests script what the simulator does not produce: a 429 with any stated
wait and with or without ``x-ratelimit-reset`` (the simulator's injected 429 always waits one second),
an answer held back for a chosen time on one route (a client read timeout), a report whose status moves
with each poll rather than with a clock, an image URL that fails in the report, and a careless token
endpoint that echoes the secret it was sent (which the SDK must not repeat); they also read the raw
request path exactly as it arrived.
"""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import threading
import time
import urllib.parse
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

REPORT_PREFIX = "/preview/catalog/products/batch/report/"
COUNTERS = [
    "added",
    "blacklisted",
    "deleted",
    "displayable",
    "missingDescription",
    "missingImage",
    "missingName",
    "missingPrice",
    "missingUrl",
    "nonDisplayable",
    "outOfStock",
    "total",
    "updated",
    "variant",
]

Fault = Callable[[Request], Awaitable[Response | None]]


def envelope(status: int, code: str, title: str, instance: str, type_: str = "validation", **headers: str) -> Response:
    body = {
        "errors": [
            {
                "traceId": str(uuid.uuid4()),
                "type": type_,
                "code": code,
                "instance": instance,
                "title": title,
                "detail": "",
            }
        ],
        "warnings": [],
    }
    return JSONResponse(body, status_code=status, headers=headers or None)


def rate_limited(seconds: int, *, reset: bool = True) -> Fault:
    """A documented 429: the wait in the title, x-ratelimit-* headers, no Retry-After."""

    async def fault(request: Request) -> Response:
        headers = {"x-ratelimit-limit": "250", "x-ratelimit-remaining": "0"}
        if reset:
            headers["x-ratelimit-reset"] = str(int(time.time() + seconds + 0.999))
        return envelope(
            429,
            "too-many-requests",
            f"Too many requests. Retry in {seconds} seconds",
            request.url.path,
            "availability",
            **headers,
        )

    return fault


def server_error(status: int = 503) -> Fault:
    async def fault(request: Request) -> Response:
        code, title = (
            ("service-unavailable", "Service unavailable.")
            if status == 503
            else ("internal-error", "Internal Server Error")
        )
        return envelope(status, code, title, request.url.path, "availability")

    return fault


def slow(seconds: float) -> Fault:
    """Answer normally, but only after ``seconds`` (to provoke a client read timeout)."""

    async def fault(request: Request) -> None:
        await asyncio.sleep(seconds)
        return None

    return fault


@dataclass
class Operation:
    merchant: int
    product_ids: list[str]
    methods: list[str]
    polls: int = 0
    bad: list[str] = field(default_factory=list)


class ScriptedCriteo:
    def __init__(self, client_id: str, client_secret: str) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.url = ""  # set by the fixture once the server listens
        self.lock = threading.Lock()
        self.app = Starlette(
            routes=[
                Route("/oauth2/token", self.token, methods=["POST"]),
                Route("/preview/catalog/products/batch", self.batch, methods=["POST"]),
                Route(REPORT_PREFIX + "{token:path}", self.report, methods=["GET"]),
                Route("/preview/catalog/stats/merchants/{merchant}", self.stats, methods=["GET"]),
            ]
        )
        self.reset()

    def reset(self, *, expires_in: int = 900, polls_to_finish: int = 2) -> None:
        with self.lock:
            self.issued: list[str] = []
            self.revoked: set[str] = set()
            self.faults: dict[str, deque[Fault]] = {k: deque() for k in ("token", "batch", "report", "stats")}
            self.operations: dict[str, Operation] = {}
            self.log: list[tuple[str, str, int]] = []  # method, raw path, status
            self.bodies: list[bytes] = []
            self.expires_in = expires_in
            self.polls_to_finish = polls_to_finish

    def revoke_all(self) -> None:
        with self.lock:
            self.revoked.update(self.issued)

    def count(self, prefix: str) -> int:
        return sum(1 for _, path, _ in self.log if path.startswith(prefix))

    # -- plumbing -------------------------------------------------------------------------------------

    async def _run(self, route: str, request: Request, handler: Callable[[], Awaitable[Response]]) -> Response:
        with self.lock:
            fault = self.faults[route].popleft() if self.faults[route] else None
        response = await fault(request) if fault is not None else None
        if response is None:
            if route != "token" and not self._authorized(request):
                response = envelope(
                    401, "not-authenticated", "User is not authenticated", request.url.path, "authentication"
                )
            else:
                response = await handler()
        raw = request.scope["raw_path"].decode()
        query = request.scope.get("query_string", b"").decode()
        with self.lock:
            self.log.append((request.method, raw + ("?" + query if query else ""), response.status_code))
        return response

    def _authorized(self, request: Request) -> bool:
        auth = request.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ")
        with self.lock:
            return auth.startswith("Bearer ") and token in self.issued and token not in self.revoked

    # -- endpoints ------------------------------------------------------------------------------------

    async def token(self, request: Request) -> Response:
        async def handle() -> Response:
            if request.headers.get("content-type", "").split(";")[0] != "application/x-www-form-urlencoded":
                return JSONResponse({"error": "invalid_request"}, status_code=400)
            form = dict(urllib.parse.parse_qsl((await request.body()).decode()))
            if form.get("grant_type") != "client_credentials":
                return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
            if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
                return JSONResponse(
                    {
                        "error": "invalid_client",
                        # a careless server echoing what it got: the SDK must not repeat it
                        "error_description": f"Unknown client or wrong secret {form.get('client_secret')}",
                    },
                    status_code=401,
                )
            token = f"live-token-{uuid.uuid4().hex}"
            with self.lock:
                self.issued.append(token)
            return JSONResponse(
                {"access_token": token, "token_type": "Bearer", "expires_in": self.expires_in, "refresh_token": "r-1"}
            )

        return await self._run("token", request, handle)

    async def batch(self, request: Request) -> Response:
        async def handle() -> Response:
            raw = await request.body()
            with self.lock:
                self.bodies.append(raw)
            path = request.url.path
            try:
                body: Any = json.loads(raw)
            except ValueError:
                return envelope(400, "json-format", "A batch request was rejected due to one or more errors.", path)
            entries = body.get("entries") if isinstance(body, dict) else None
            if not entries:
                return envelope(400, "batch-empty", "A batch request was rejected due to one or more errors.", path)
            if "null" in raw.decode():
                return envelope(400, "json-format", "null values are not allowed", path)
            ids: list[str] = []
            methods: list[str] = []
            bad: list[str] = []
            merchants = set()
            for entry in entries:
                if type(entry.get("merchantId")) is not int or entry.get("method") not in ("insert", "delete"):
                    return envelope(
                        400, "required-field", "A batch request was rejected due to one or more errors.", path
                    )
                merchants.add(entry["merchantId"])
                if entry["method"] == "insert":
                    product = entry.get("product") or {}
                    if product.get("channel") != "online":
                        return envelope(400, "required-field", "product.channel is required", path)
                    pid = product["id"]
                    if "broken" in product.get("imageLink", ""):  # an image Criteo cannot fetch
                        bad.append(pid.lower())
                else:
                    pid = entry["productId"]
                ids.append(pid.lower())
                methods.append(entry["method"])
            if len(set(ids)) != len(ids):
                return envelope(400, "duplicate-product", "duplicate product ids", path)
            payload = {"partnerId": min(merchants), "operationId": str(uuid.uuid4()), "exp": int(time.time()) + 345600}
            token = (
                base64.urlsafe_b64encode(b'{"alg":"none"}').decode().rstrip("=")
                + "."
                + base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
                + "."
            )
            with self.lock:
                self.operations[token] = Operation(min(merchants), ids, methods, bad=bad)
            return JSONResponse({"operationToken": token}, status_code=202)

        return await self._run("batch", request, handle)

    async def report(self, request: Request) -> Response:
        async def handle() -> Response:
            token = request.path_params["token"]
            path = request.url.path
            if token.count(".") != 2:
                return envelope(400, "catalog-operation-token-is-malformed", "The operationToken is malformed.", path)
            with self.lock:
                op = self.operations.get(token)
                if op is None:
                    return envelope(404, "catalog-operation-not-found", "Operation not found.", path)
                op.polls += 1
                polls = op.polls
            if polls == 1:
                status = "ACCEPTED"
            elif polls <= self.polls_to_finish:
                status = "IN_PROGRESS"
            else:
                status = "VALIDATED_WITH_ERRORS" if op.bad else "VALIDATED"
            done = status.startswith("VALIDATED")
            body = {
                "status": status,
                "importRequestTimestamp": str(int(time.time() * 1000)),
                "numberOfProductsInTheBatch": str(len(op.product_ids)),
                "numberOfProductsUpserted": str(op.methods.count("insert") - len(op.bad)) if done else "0",
                "numberOfProductsDeleted": str(op.methods.count("delete")) if done else "0",
                "numberOfProductsWithErrors": str(len(op.bad)) if done else "0",
                "errorDetails": [
                    {
                        "productId": pid,
                        "errors": [{"type": "MissingImages", "message": "no image", "isServerRelated": False}],
                    }
                    for pid in (op.bad if done else [])
                ],
            }
            return JSONResponse(body)

        return await self._run("report", request, handle)

    async def stats(self, request: Request) -> Response:
        async def handle() -> Response:
            hours = request.query_params.get("lastNumHours", "")
            if not hours.isdigit() or not 1 <= int(hours) <= 1000:
                return envelope(400, "invalid-parameter", "lastNumHours must be within 1..1000", request.url.path)
            record = dict.fromkeys(COUNTERS, "1")
            record.update({"startDate": "2024-05-01T00:00:00Z", "endDate": "2024-05-02T00:00:00Z"})
            return JSONResponse({"data": {"statisticsRecordList": [record]}, "errors": [], "warnings": []})

        return await self._run("stats", request, handle)


class ServerThread:
    """uvicorn serving ``app`` on 127.0.0.1 at an ephemeral port, in a daemon thread."""

    def __init__(self, app: Starlette) -> None:
        # An explicit IPPROTO_TCP lets asyncio set TCP_NODELAY on accepted connections (it checks the
        # protocol number); with proto 0, every keep-alive answer waits ~40 ms for a delayed ACK.
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()
