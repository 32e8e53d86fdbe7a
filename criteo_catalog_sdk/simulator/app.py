"""The ASGI application: routes requests to the service, applies transport faults, logs requests.

A plain ASGI callable rather than a framework app: a handful of routes do not need a router, and owning
the ``send`` callable is what lets a fault drop the connection. Every served generation has its own
paths (``routes.py``, built from each generation's spec); one service answers them all.
"""

from __future__ import annotations

import asyncio
import json

from criteo_catalog_sdk.simulator import errors
from criteo_catalog_sdk.simulator.asgi import (
    BodyTooLarge,
    ClientGone,
    Receive,
    Scope,
    Send,
    drop_connection,
    header,
    read_body,
    respond,
)
from criteo_catalog_sdk.simulator.config import SimulatorConfig
from criteo_catalog_sdk.simulator.control import ControlApi
from criteo_catalog_sdk.simulator.faults import FaultKind, FaultPlan
from criteo_catalog_sdk.simulator.generations import build_generations
from criteo_catalog_sdk.simulator.memory_store import MemoryStore
from criteo_catalog_sdk.simulator.replies import Reply, RequestRecord, error_reply, payload_too_large, with_headers
from criteo_catalog_sdk.simulator.routes import Route, RouteTable
from criteo_catalog_sdk.simulator.service import CatalogService
from criteo_catalog_sdk.simulator.sqlite_store import SqliteStore
from criteo_catalog_sdk.simulator.state import Store

# Bodies of the token and control endpoints are small; anything bigger is a mistake.
SMALL_BODY_LIMIT = 1_000_000
INVALID_JSON_BODY = b"<html><body>502 Bad Gateway (simulated: not JSON)</body></html>"

_FAULT_STATUS = {
    FaultKind.TOO_MANY_REQUESTS: 429,
    FaultKind.INTERNAL_ERROR: 500,
    FaultKind.SERVICE_UNAVAILABLE: 503,
}


class SimulatorApp:
    """ASGI callable serving the simulated API and its control endpoint."""

    def __init__(self, service: CatalogService, control: ControlApi | None = None) -> None:
        self.service = service
        self.control = control
        self.routes = RouteTable(generation.version for generation in service.generations.values())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection scope."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        raw_path = scope.get("raw_path") or scope["path"].encode()
        path = raw_path.partition(b"?")[0].decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        method = scope["method"]
        route = self.routes.match(path)
        if route.name == "control" and self.control is not None:
            reply = await self._control(scope, receive, method, path, query)
            await respond(send, reply.status, reply.body, reply.headers)
            return
        if route.name in ("unknown", "control"):
            await respond_reply(send, error_reply(404, [errors.route_not_found(method, path)], path))
            return
        gone = route.generation is not None and route.generation in self.service.settings.decommissioned
        if method != route.allowed and not gone:  # a decommissioned generation answers 410 to anything
            headers = (("allow", route.allowed),)
            reply = error_reply(405, [errors.method_not_allowed(method, route.allowed)], path, headers)
            await respond_reply(send, self._lifecycle(route, reply))
            return
        await self._api(scope, receive, send, route, path, query)

    def _lifecycle(self, route: Route, reply: Reply) -> Reply:
        """Every answer of a deprecated generation carries Deprecation and Sunset."""
        if route.generation is None:
            return reply
        return with_headers(reply, self.service.lifecycle_headers(route.generation))

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.service.store.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _control(self, scope: Scope, receive: Receive, method: str, path: str, query: str) -> Reply:
        if self.control is None:  # pragma: no cover - routed here only when enabled
            return error_reply(404, [errors.route_not_found(method, path)], path)
        try:
            body = await read_body(scope, receive, SMALL_BODY_LIMIT)
        except BodyTooLarge:
            return payload_too_large()
        return self.control.handle(method, path, query, body)

    async def _api(self, scope: Scope, receive: Receive, send: Send, route: Route, path: str, query: str) -> None:
        service = self.service
        record = RequestRecord(service.now(), scope["method"], path, route.name, 0, api_version=route.generation)
        service.requests.append(record)
        gone = service.gone(route.generation, path) if route.generation is not None else None
        if gone is not None:
            # A decommissioned generation is gone for everyone: no fault, no budget, no body read.
            record.status = gone.status
            await respond_reply(send, gone)
            return
        fault = service.faults.draw(route.name)
        record.fault = fault.value if fault is not None else None
        delay = service.settings.latency_seconds + (
            service.faults.settings.latency_seconds if fault is FaultKind.LATENCY else 0.0
        )
        if delay:
            await asyncio.sleep(delay)
        if fault is FaultKind.DROP:
            await drop_connection(receive, send)
            return
        limit = service.settings.max_body_bytes if route.name == "batch" else SMALL_BODY_LIMIT
        too_large = False
        body = b""
        try:
            body = await read_body(scope, receive, limit)
        except BodyTooLarge:
            too_large = True
        except ClientGone:
            return
        reply = self._handle(scope, route, path, query, body, too_large, fault, record)
        record.status = reply.status
        record.products = reply.products
        if fault is FaultKind.TRUNCATE and reply.body:
            reply = Reply(reply.status, reply.body[: len(reply.body) // 2], reply.headers, reply.products)
        elif fault is FaultKind.INVALID_JSON and reply.body:
            reply = Reply(reply.status, INVALID_JSON_BODY, reply.headers, reply.products)
        if service.settings.break_contract and route.name != "token":
            reply = break_contract(reply, service.settings.break_contract)
        await respond_reply(send, self._lifecycle(route, reply))

    def _handle(
        self,
        scope: Scope,
        route: Route,
        path: str,
        query: str,
        body: bytes,
        too_large: bool,
        fault: FaultKind | None,
        record: RequestRecord,
    ) -> Reply:
        service = self.service
        if fault in _FAULT_STATUS:
            if fault is FaultKind.TOO_MANY_REQUESTS:
                return service.injected_429(path)
            problem = errors.internal_error() if fault is FaultKind.INTERNAL_ERROR else errors.service_unavailable()
            return error_reply(_FAULT_STATUS[fault], [problem], path)
        authorization = header(scope, b"authorization")
        if fault is FaultKind.REVOKE:
            service.revoke(authorization)
            return error_reply(401, [errors.not_authenticated()], path)
        if too_large:
            return payload_too_large()
        if route.name == "token":
            return service.token(body, header(scope, b"content-type") or "", authorization)
        return service.api_call(route, authorization, path, query, body, record, lose=fault is FaultKind.LOST)


def break_contract(reply: Reply, breaks: frozenset[str]) -> Reply:
    """TEST ONLY: ``reply`` altered by the transport-level breaches of ``config.CONTRACT_BREAKS``."""
    status, body, headers = reply.status, reply.body, reply.headers
    if "error-without-envelope" in breaks and status >= 400 and body:
        try:
            title = json.loads(body)["errors"][0]["title"]
        except (ValueError, KeyError, IndexError, TypeError):
            title = "error"
        body = json.dumps({"message": title}).encode()
    if "json-as-text-plain" in breaks and body:
        headers = tuple(
            (name, "text/plain; charset=utf-8" if name.lower() == "content-type" else value) for name, value in headers
        )
    return Reply(status, body, headers, reply.products)


async def respond_reply(send: Send, reply: Reply) -> None:
    """Send a :class:`Reply`."""
    await respond(send, reply.status, reply.body, reply.headers)


def build_store(state_file: str | None) -> Store:
    """The store a configuration asks for."""
    return SqliteStore(state_file) if state_file else MemoryStore()


def create_app(config: SimulatorConfig | None = None) -> SimulatorApp:
    """Build a simulator app (in memory, or on ``config.state_file``)."""
    config = config or SimulatorConfig()
    generations = build_generations(config.api_versions)  # before the store: a mistake leaves no file open
    service = CatalogService(
        settings=config.settings,
        store=build_store(config.state_file),
        faults=FaultPlan(config.faults, config.seed),
        generations=generations,
    )
    control = ControlApi(service, config.settings, config.faults, config.seed) if config.control else None
    return SimulatorApp(service, control)
