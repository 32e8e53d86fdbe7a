"""A Python handle on a running simulator's control endpoint (``/_simulator/...``), over HTTP.

It works the same for a simulator on a thread of the test process and for one started by the CLI in
another process.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any, cast

import httpx


class SimulatorControl:
    """Drive a simulator: faults, clock, catalogs, operations, settings, request log."""

    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=f"{self.base_url}/_simulator", timeout=timeout)

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._http.close()

    def __enter__(self) -> SimulatorControl:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _call(
        self, method: str, path: str, body: Mapping[str, Any] | None = None, params: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        response = self._http.request(method, path, json=body, params=params)
        if response.status_code >= 400:
            raise RuntimeError(f"simulator control {method} {path}: {response.status_code} {response.text}")
        return cast(dict[str, Any], response.json())

    # --- state ------------------------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        """``{"status": "ok", "now": ...}``."""
        return self._call("GET", "/health")

    def reset(self) -> None:
        """Forget all state; settings, faults and clock back to how the simulator started."""
        self._call("POST", "/reset")

    def settings(self) -> dict[str, Any]:
        """The runtime settings."""
        return self._call("GET", "/settings")

    def configure(self, **settings: Any) -> dict[str, Any]:
        """Change runtime settings, e.g. ``configure(rate_limit=0, merchants=[123], response_shape="spec")``."""
        return self._call("PATCH", "/settings", settings)

    # --- faults -----------------------------------------------------------------------------------------
    def faults(self) -> dict[str, Any]:
        """Random-fault settings, seed and scheduled faults."""
        return self._call("GET", "/faults")

    def set_faults(
        self,
        rate: float | None = None,
        kinds: Iterable[str] | None = None,
        *,
        seed: int | None = None,
        latency_seconds: float | None = None,
        routes: Iterable[str] | None = None,
    ) -> dict[str, Any]:
        """Random faults: ``rate`` of the requests of ``routes`` get one of ``kinds`` (see ``FaultKind``)."""
        body: dict[str, Any] = {}
        if rate is not None:
            body["rate"] = rate
        if kinds is not None:
            body["kinds"] = list(kinds)
        if latency_seconds is not None:
            body["latency_seconds"] = latency_seconds
        if routes is not None:
            body["routes"] = list(routes)
        if seed is not None:
            body["seed"] = seed
        return self._call("PUT", "/faults", body)

    def fail_next(self, kind: str, count: int = 1, route: str | None = None) -> dict[str, Any]:
        """Inject ``kind`` ("429", "500", "503", "drop", "truncate", "invalid-json", "latency", "revoke",
        "lost") on the next ``count`` requests of ``route`` ("batch", "report", "stats", "token"; None: any
        route random faults apply to, by default batch, report and stats).
        """
        return self._call("POST", "/faults/schedule", {"kind": kind, "count": count, "route": route})

    def clear_faults(self) -> None:
        """No more faults."""
        self._call("DELETE", "/faults")

    # --- clock ------------------------------------------------------------------------------------------
    def now(self) -> float:
        """The simulator's current time (epoch seconds)."""
        return float(self._call("GET", "/clock")["now"])

    def advance(self, seconds: float) -> float:
        """Move the simulator's clock forward; returns the new time."""
        return float(self._call("POST", "/clock", {"advance": seconds})["now"])

    def set_time(self, epoch: float) -> float:
        """Jump the simulator's clock to an absolute time."""
        return float(self._call("POST", "/clock", {"set": epoch})["now"])

    def freeze(self, frozen: bool = True) -> float:
        """Stop (or restart, with ``False``) the simulator's clock."""
        return float(self._call("POST", "/clock", {"freeze": frozen})["now"])

    def reset_clock(self) -> float:
        """Back to real time."""
        return float(self._call("POST", "/clock", {"reset": True})["now"])

    # --- catalogs, operations, tokens, requests ----------------------------------------------------------
    def catalog(self, merchant_id: int) -> dict[str, dict[str, Any]]:
        """A merchant's catalog as ``{lowercased id: product}`` (finished operations applied)."""
        products = self._call("GET", f"/catalogs/{merchant_id}")["products"]
        return {str(p["id"]).lower(): p for p in products}

    def set_catalog(self, merchant_id: int, products: Iterable[Mapping[str, Any]]) -> None:
        """Replace a merchant's catalog."""
        self._call("PUT", f"/catalogs/{merchant_id}", {"products": [dict(p) for p in products]})

    def clear_catalog(self, merchant_id: int) -> None:
        """Empty a merchant's catalog."""
        self._call("DELETE", f"/catalogs/{merchant_id}")

    def operations(self) -> list[dict[str, Any]]:
        """Summaries of every operation."""
        return cast(list[dict[str, Any]], self._call("GET", "/operations")["operations"])

    def operation(self, token_or_id: str) -> dict[str, Any]:
        """One operation (by operation token or id), with its report in the spec shape."""
        return self._call("GET", f"/operations/{token_or_id}")

    def lose_operation(self, token_or_id: str) -> None:
        """Make an operation lost: its report answers 404 and its changes are never applied."""
        self._call("POST", f"/operations/{token_or_id}/lose")

    def revoke_tokens(self, token: str | None = None) -> int:
        """Revoke one access token, or all of them; returns how many."""
        return int(self._call("POST", "/tokens/revoke", {} if token is None else {"token": token})["revoked"])

    def requests(self, route: str | None = None, api_version: str | None = None) -> list[dict[str, Any]]:
        """The request log (``route``: token, batch, report, stats; ``api_version``: a generation)."""
        params = {k: v for k, v in (("route", route), ("api_version", api_version)) if v}
        return cast(list[dict[str, Any]], self._call("GET", "/requests", params=params or None)["requests"])

    def clear_requests(self) -> None:
        """Empty the request log."""
        self._call("DELETE", "/requests")

    # --- API generations ----------------------------------------------------------------------------------
    def generations(self) -> list[dict[str, Any]]:
        """The served generations: name, operations (method and path), merchantId type, state, sunset."""
        return cast(list[dict[str, Any]], self._call("GET", "/generations")["generations"])

    def deprecate(self, generation: str, sunset: str) -> list[dict[str, Any]]:
        """Deprecate a generation: every answer of it carries ``Deprecation: true`` and ``Sunset`` (``sunset``:
        an ISO 8601 date such as ``"2026-12-31"``, or a date-time). ``reset()`` undoes it."""
        return cast(
            list[dict[str, Any]],
            self._call("POST", f"/generations/{generation}/deprecate", {"sunset": sunset})["generations"],
        )

    def decommission(self, generation: str) -> list[dict[str, Any]]:
        """Decommission a generation: every call of it answers ``410 Gone``. ``reset()`` undoes it."""
        return cast(list[dict[str, Any]], self._call("POST", f"/generations/{generation}/decommission")["generations"])

    def activate(self, generation: str) -> list[dict[str, Any]]:
        """A generation neither deprecated nor decommissioned."""
        return cast(list[dict[str, Any]], self._call("POST", f"/generations/{generation}/activate")["generations"])
