"""The control API under ``/_simulator/``: drive a running simulator (faults, clock, catalogs...).

It is unauthenticated and meant for loopback use by tests; ``--no-control`` turns it off. Answers are
JSON; mistakes get ``400 {"error": "..."}``.

=======  =================================  ==============================================================
method   path                               what
=======  =================================  ==============================================================
GET      /_simulator/health                 ``{"status": "ok"}`` (readiness)
POST     /_simulator/reset                  forget all state; settings, faults and clock back to start-up
GET      /_simulator/settings               runtime settings
PATCH    /_simulator/settings               change some (``{"rate_limit": 0, "merchants": [123]}``...)
GET      /_simulator/faults                 random-fault settings, seed and scheduled faults
PUT      /_simulator/faults                 ``{"rate", "kinds", "latency_seconds", "routes", "seed"}``
POST     /_simulator/faults/schedule        ``{"kind": "503", "count": 2, "route": "batch"}``
DELETE   /_simulator/faults                 no more faults
GET      /_simulator/clock                  ``{"now", "offset", "frozen"}``
POST     /_simulator/clock                  ``{"advance": s}``, ``{"set": epoch}``, ``{"freeze": bool}``,
                                            ``{"reset": true}``
GET      /_simulator/catalogs               merchants that have a catalog
GET      /_simulator/catalogs/{merchant}    ``{"merchantId", "products": [...]}``
PUT      /_simulator/catalogs/{merchant}    replace with ``{"products": [...]}``
DELETE   /_simulator/catalogs/{merchant}    empty it
GET      /_simulator/operations             every operation (summary)
GET      /_simulator/operations/{id}        one operation and its report (spec shape)
POST     /_simulator/operations/{id}/lose   its report answers 404 from now on; its changes are dropped
POST     /_simulator/tokens/revoke          ``{"token": "..."}``, or every token without one
GET      /_simulator/requests               the request log (``?route=batch``, ``?api_version=preview``)
DELETE   /_simulator/requests               clear it
GET      /_simulator/generations            served generations: operations, merchantId type, lifecycle
POST     /_simulator/generations/{g}/...    ``deprecate`` (``{"sunset": "2026-12-31"}``), ``decommission``,
                                            ``activate`` (neither); ``reset`` restores the start-up ones
=======  =================================  ==============================================================
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote

from criteo_catalog_sdk.ids import as_merchant_id, merchant_id_problem
from criteo_catalog_sdk.simulator import operation_token
from criteo_catalog_sdk.simulator.config import Settings, faults_from_json, faults_to_json
from criteo_catalog_sdk.simulator.faults import FaultKind, FaultSettings
from criteo_catalog_sdk.simulator.generations import describe
from criteo_catalog_sdk.simulator.lifecycle import iso, parse_sunset
from criteo_catalog_sdk.simulator.operations import Operation
from criteo_catalog_sdk.simulator.replies import Reply, json_reply
from criteo_catalog_sdk.simulator.reports import render_report
from criteo_catalog_sdk.simulator.routes import CONTROL_PREFIX
from criteo_catalog_sdk.simulator.service import CatalogService

PREFIX = CONTROL_PREFIX


class ControlError(ValueError):
    """A bad control request (400)."""


@dataclass
class ControlApi:
    """Handles ``/_simulator/...`` requests against a service."""

    service: CatalogService
    initial_settings: Settings
    initial_faults: FaultSettings
    initial_seed: int | None = None

    def handle(self, method: str, path: str, query: str, body: bytes) -> Reply:
        """Route one control request (``path`` includes the prefix)."""
        parts = [unquote(p) for p in path[len(PREFIX) :].strip("/").split("/") if p]
        try:
            data = json.loads(body) if body.strip() else {}
        except ValueError:
            return json_reply(400, {"error": "the body is not JSON"})
        if not isinstance(data, dict):
            return json_reply(400, {"error": "the body must be a JSON object"})
        handler = self._route(method, parts)
        if handler is None:
            return json_reply(404, {"error": f"no control operation {method} {path}"})
        try:
            return handler(parts, data, query)
        except (ControlError, ValueError, TypeError, KeyError) as exc:
            return json_reply(400, {"error": str(exc) or type(exc).__name__})

    def _route(self, method: str, parts: list[str]) -> Callable[[list[str], dict[str, Any], str], Reply] | None:
        head = parts[0] if parts else ""
        table: dict[tuple[str, str, int], Callable[[list[str], dict[str, Any], str], Reply]] = {
            ("GET", "health", 1): self._health,
            ("POST", "reset", 1): self._reset,
            ("GET", "settings", 1): self._get_settings,
            ("PATCH", "settings", 1): self._patch_settings,
            ("POST", "settings", 1): self._patch_settings,
            ("GET", "faults", 1): self._get_faults,
            ("PUT", "faults", 1): self._put_faults,
            ("POST", "faults", 1): self._put_faults,
            ("DELETE", "faults", 1): self._clear_faults,
            ("POST", "faults", 2): self._schedule_fault,
            ("GET", "clock", 1): self._get_clock,
            ("POST", "clock", 1): self._set_clock,
            ("GET", "catalogs", 1): self._merchants,
            ("GET", "catalogs", 2): self._get_catalog,
            ("PUT", "catalogs", 2): self._put_catalog,
            ("DELETE", "catalogs", 2): self._delete_catalog,
            ("GET", "operations", 1): self._operations,
            ("GET", "operations", 2): self._operation,
            ("POST", "operations", 3): self._lose,
            ("POST", "tokens", 2): self._revoke,
            ("GET", "requests", 1): self._requests,
            ("DELETE", "requests", 1): self._clear_requests,
            ("GET", "generations", 1): self._generations,
            ("POST", "generations", 3): self._set_lifecycle,
        }
        handler = table.get((method, head, len(parts)))
        if handler is None:
            return None
        if (head == "faults" and len(parts) == 2 and parts[1] != "schedule") or (
            head == "operations" and len(parts) == 3 and parts[2] != "lose"
        ):
            return None
        if head == "tokens" and parts[1] != "revoke":
            return None
        if head == "generations" and len(parts) == 3 and parts[2] not in _LIFECYCLE_ACTIONS:
            return None
        return handler

    # --- handlers -------------------------------------------------------------------------------------
    def _health(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        return json_reply(200, {"status": "ok", "now": self.service.now()})

    def _reset(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        service = self.service
        service.reset(self.initial_settings)
        service.faults.settings = self.initial_faults
        service.faults.reseed(self.initial_seed)
        return json_reply(200, {"status": "reset"})

    def _get_settings(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        return json_reply(200, self.service.settings.to_json())

    def _patch_settings(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        self.service.configure(self.service.settings.updated(data))
        return json_reply(200, self.service.settings.to_json())

    def _faults_view(self) -> dict[str, Any]:
        plan = self.service.faults
        return {
            **faults_to_json(plan.settings),
            "seed": plan.seed,
            "scheduled": [{"kind": f.kind.value, "count": f.count, "route": f.route} for f in plan.scheduled],
        }

    def _get_faults(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        return json_reply(200, self._faults_view())

    def _put_faults(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        plan = self.service.faults
        plan.settings = faults_from_json(data, plan.settings)
        if "seed" in data:
            seed = data["seed"]
            if seed is not None and type(seed) is not int:
                raise ControlError("seed must be an integer or null")
            plan.reseed(seed)
        return json_reply(200, self._faults_view())

    def _clear_faults(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        self.service.faults.clear()
        return json_reply(200, self._faults_view())

    def _schedule_fault(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        count = data.get("count", 1)
        if type(count) is not int:
            raise ControlError("count must be an integer")
        route = data.get("route")
        self.service.faults.schedule(FaultKind(str(data["kind"])), count, None if route is None else str(route))
        return json_reply(200, self._faults_view())

    def _clock_view(self) -> dict[str, Any]:
        clock = self.service.clock
        return {"now": clock.now(), "offset": clock.offset, "frozen": clock.frozen}

    def _get_clock(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        return json_reply(200, self._clock_view())

    def _set_clock(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        clock = self.service.clock
        if data.get("reset"):
            clock.reset()
        if "freeze" in data:
            if data["freeze"]:
                clock.freeze()
            else:
                clock.unfreeze()
        if "set" in data:
            clock.set(_seconds(data["set"], "set"))
        if "advance" in data:
            clock.advance(_seconds(data["advance"], "advance"))
        return json_reply(200, self._clock_view())

    def _merchants(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        self.service.settle()
        return json_reply(200, {"merchants": self.service.store.merchants()})

    def _get_catalog(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        merchant = _merchant(parts[1])
        self.service.settle()
        catalog = self.service.store.catalog(merchant)
        return json_reply(200, {"merchantId": merchant, "products": [catalog[k] for k in sorted(catalog)]})

    def _put_catalog(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        merchant = _merchant(parts[1])
        products = data.get("products")
        if not isinstance(products, list) or not all(isinstance(p, dict) and "id" in p for p in products):
            raise ControlError("expected {'products': [{'id': ...}, ...]}")
        self.service.settle()
        self.service.store.replace_catalog(merchant, products, self.service.now())
        return self._get_catalog(parts, {}, query)

    def _delete_catalog(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        merchant = _merchant(parts[1])
        self.service.settle()
        self.service.store.replace_catalog(merchant, [], self.service.now())
        return json_reply(200, {"merchantId": merchant, "products": []})

    def _summary(self, operation: Operation) -> dict[str, Any]:
        now = self.service.now()
        return {
            "operationId": operation.operation_id,
            "operationToken": operation.token,
            "merchantId": operation.merchant_id,
            "clientId": operation.client_id,
            "status": operation.status_at(now),
            "createdAt": operation.created_at,
            "doneAt": operation.done_at,
            "expiresAt": operation.expires_at,
            "products": operation.products,
            "upserted": operation.upserted,
            "deleted": operation.deleted,
            "withErrors": len(operation.errors),
            "withWarnings": len(operation.warnings),
            "lost": operation.lost,
            "expired": operation.expired(now),
        }

    def _operations(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        return json_reply(200, {"operations": [self._summary(op) for op in self.service.store.list_operations()]})

    def _find(self, key: str) -> Operation:
        operation_id = key
        if "." in key:
            operation_id = operation_token.decode(key).operation_id
        operation = self.service.store.get_operation(operation_id)
        if operation is None:
            raise ControlError(f"unknown operation {key!r}")
        return operation

    def _operation(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        operation = self._find(parts[1])
        report = render_report(operation, self.service.now(), "spec")
        return json_reply(200, {**self._summary(operation), "report": report})

    def _lose(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        operation = self._find(parts[1])
        self.service.store.mark_lost(operation.operation_id)
        return json_reply(200, self._summary(self._find(operation.operation_id)))

    def _revoke(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        token = data.get("token")
        count = self.service.store.revoke_tokens(None if token is None else str(token))
        return json_reply(200, {"revoked": count})

    def _requests(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        params = parse_qs(query)
        route = params.get("route", [None])[0]
        version = params.get("api_version", [None])[0]
        records = [
            r.to_json()
            for r in self.service.requests
            if (route is None or r.route == route) and (version is None or r.api_version == version)
        ]
        return json_reply(200, {"requests": records})

    def _clear_requests(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        self.service.requests.clear()
        return json_reply(200, {"requests": []})

    def _generations(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        settings = self.service.settings
        views = []
        for name, generation in self.service.generations.items():
            sunset = settings.deprecated.get(name)
            state = "decommissioned" if name in settings.decommissioned else "deprecated" if sunset else "active"
            views.append({**describe(generation), "state": state, "sunset": None if sunset is None else iso(sunset)})
        return json_reply(200, {"generations": views})

    def _set_lifecycle(self, parts: list[str], data: dict[str, Any], query: str) -> Reply:
        name, action = parts[1].lower(), parts[2]
        if name not in self.service.generations:
            raise ControlError(f"unknown generation {parts[1]!r}: served are {', '.join(self.service.generations)}")
        settings = self.service.settings
        deprecated = {k: v for k, v in settings.deprecated.items() if k != name}
        decommissioned = settings.decommissioned - {name}
        if action == "deprecate":
            if "sunset" not in data:
                raise ControlError("expected {'sunset': 'YYYY-MM-DD'}")
            deprecated[name] = parse_sunset(data["sunset"])
        elif action == "decommission":
            decommissioned |= {name}
        self.service.configure(dataclasses.replace(settings, deprecated=deprecated, decommissioned=decommissioned))
        return self._generations([], {}, "")


_LIFECYCLE_ACTIONS = ("deprecate", "decommission", "activate")


def _seconds(value: Any, name: str) -> float:
    if type(value) not in (int, float):
        raise ControlError(f"{name} must be a number of seconds")
    return float(value)


def _merchant(text: str) -> int:
    merchant = as_merchant_id(text)
    if merchant is None:
        raise ControlError(merchant_id_problem(text) or "")
    return merchant
