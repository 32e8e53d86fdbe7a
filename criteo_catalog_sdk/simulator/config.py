"""Settings of the simulator: those fixed at start (:class:`SimulatorConfig`) and those that can change
while it runs, through the control endpoint (:class:`Settings`)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Facts sections 3 and 8: 250 calls per minute per client-credentials application, every call counted
# (the SDK's own budget default: one number for both sides).
from criteo_catalog_sdk.budget import DEFAULT_CALLS_PER_MINUTE
from criteo_catalog_sdk.simulator.faults import FaultKind, FaultSettings
from criteo_catalog_sdk.simulator.generations import GenerationSpec, check_served, generation_names
from criteo_catalog_sdk.simulator.lifecycle import iso, parse_sunset
from criteo_catalog_sdk.simulator.products import DEFAULT_MAX_ID_LENGTH
from criteo_catalog_sdk.simulator.reports import SHAPES, ResponseShape

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787
# Facts section 3: "bodies of 16 MB and more get 413". Counted in decimal megabytes, the stricter reading,
# so that a client that passes here also passes at Criteo.
DEFAULT_MAX_BODY_BYTES = 16_000_000

# TEST-ONLY FAULTS. Deliberate breaches of the effective spec, for proving that the contract harness
# (contract_tests/) notices them. They make the simulator wrong on purpose; never turn them on otherwise.
CONTRACT_BREAKS: tuple[str, ...] = (
    "202-without-token",  # the batch 202 answers {} (operationToken is required)
    "report-status-outside-enum",  # report status "COMPLETED" (not one of the five statuses)
    "counter-not-numeric",  # report numberOfProductsInTheBatch and stats total are "n/a"
    "json-as-text-plain",  # JSON answers are labelled Content-Type: text/plain
    "error-without-envelope",  # API error answers are {"message": ...}, not {"errors": [...]}
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Behaviour that the control endpoint may change at run time."""

    rate_limit: float = 3000.0  # products per second per merchant; 0 turns the limit off
    calls_per_minute: int = DEFAULT_CALLS_PER_MINUTE  # API calls per minute per client id; 0 turns it off
    retry_after_header: bool = False  # Criteo documents no Retry-After; opt in
    response_shape: ResponseShape = "documented"
    token_ttl: int = 900
    credentials: Mapping[str, str] | None = None  # None: any non-empty client id and secret
    merchants: frozenset[int] | None = None  # merchants every client may manage; None: any positive int32
    client_merchants: Mapping[str, frozenset[int]] = field(default_factory=dict)
    static_tokens: frozenset[str] = frozenset()  # bearer tokens that never expire (e.g. for `st run -H`)
    accepted_seconds: float = 1.0
    processing_seconds: float = 2.0
    retention_seconds: float = 4 * 86400.0
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_id_length: int = DEFAULT_MAX_ID_LENGTH
    latency_seconds: float = 0.0  # added to every API answer
    # Lifecycle per generation (lifecycle.py): deprecated ones carry Deprecation/Sunset, decommissioned ones 410.
    deprecated: Mapping[str, datetime] = field(default_factory=dict)  # generation -> sunset (aware, UTC)
    decommissioned: frozenset[str] = frozenset()
    # TEST ONLY: deliberate breaches of the spec (names in CONTRACT_BREAKS); empty in any honest use.
    break_contract: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.response_shape not in SHAPES:
            raise ValueError(f"response_shape must be one of {SHAPES}")
        unknown_breaks = set(self.break_contract) - set(CONTRACT_BREAKS)
        if unknown_breaks:
            raise ValueError(f"unknown break_contract {sorted(unknown_breaks)}: expected some of {CONTRACT_BREAKS}")
        numbers = {
            "rate_limit": self.rate_limit,
            "calls_per_minute": self.calls_per_minute,
            "accepted_seconds": self.accepted_seconds,
            "processing_seconds": self.processing_seconds,
            "retention_seconds": self.retention_seconds,
            "latency_seconds": self.latency_seconds,
        }
        for name, value in numbers.items():
            if value < 0:
                raise ValueError(f"{name} must not be negative")
        if self.token_ttl < 1 or self.max_body_bytes < 1 or self.max_id_length < 1:
            raise ValueError("token_ttl, max_body_bytes and max_id_length must be positive")
        both = set(self.deprecated) & self.decommissioned
        if both:
            raise ValueError(f"generations {sorted(both)} cannot be both deprecated and decommissioned")
        if any(sunset.tzinfo is None for sunset in self.deprecated.values()):
            raise ValueError("sunset dates must be timezone-aware (use lifecycle.parse_sunset)")

    @property
    def lifecycle_generations(self) -> frozenset[str]:
        """The generations whose lifecycle is set (deprecated or decommissioned)."""
        return frozenset(self.deprecated) | self.decommissioned

    def to_json(self) -> dict[str, Any]:
        """A JSON view (control endpoint)."""
        return {
            "rate_limit": self.rate_limit,
            "calls_per_minute": self.calls_per_minute,
            "retry_after_header": self.retry_after_header,
            "response_shape": self.response_shape,
            "token_ttl": self.token_ttl,
            "credentials": None if self.credentials is None else dict(self.credentials),
            "merchants": None if self.merchants is None else sorted(self.merchants),
            "client_merchants": {k: sorted(v) for k, v in self.client_merchants.items()},
            "static_tokens": sorted(self.static_tokens),
            "accepted_seconds": self.accepted_seconds,
            "processing_seconds": self.processing_seconds,
            "retention_seconds": self.retention_seconds,
            "max_body_bytes": self.max_body_bytes,
            "max_id_length": self.max_id_length,
            "latency_seconds": self.latency_seconds,
            "deprecated": {name: iso(sunset) for name, sunset in sorted(self.deprecated.items())},
            "decommissioned": sorted(self.decommissioned),
            "break_contract": sorted(self.break_contract),
        }

    def updated(self, patch: Mapping[str, Any]) -> Settings:
        """A copy with the JSON ``patch`` applied; raises ValueError on unknown keys or bad values."""
        known = {f.name for f in dataclasses.fields(self)}
        unknown = set(patch) - known
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        changes: dict[str, Any] = {}
        for key, value in patch.items():
            if key == "credentials":
                changes[key] = None if value is None else {str(k): str(v) for k, v in dict(value).items()}
            elif key == "merchants":
                changes[key] = None if value is None else frozenset(int(m) for m in value)
            elif key == "client_merchants":
                changes[key] = {str(k): frozenset(int(m) for m in v) for k, v in dict(value).items()}
            elif key == "deprecated":
                changes[key] = {str(k).lower(): parse_sunset(v) for k, v in dict(value).items()}
            elif key == "decommissioned":
                changes[key] = frozenset(str(name).lower() for name in value)
            elif key in ("static_tokens", "break_contract"):
                changes[key] = frozenset(str(t) for t in value)
            elif key in ("retry_after_header",):
                if not isinstance(value, bool):
                    raise ValueError(f"{key} must be a boolean")
                changes[key] = value
            elif key == "response_shape":
                changes[key] = str(value)
            elif key in ("calls_per_minute", "token_ttl", "max_body_bytes", "max_id_length"):
                changes[key] = _integer(key, value)
            else:
                changes[key] = _number(key, value)
        return dataclasses.replace(self, **changes)


def _integer(name: str, value: Any) -> int:
    if type(value) is not int:
        raise ValueError(f"{name} must be an integer")
    return value


def _number(name: str, value: Any) -> float:
    if type(value) not in (int, float):
        raise ValueError(f"{name} must be a number")
    return float(value)


def faults_to_json(settings: FaultSettings) -> dict[str, Any]:
    """A JSON view of fault settings."""
    return {
        "rate": settings.rate,
        "kinds": [k.value for k in settings.kinds],
        "latency_seconds": settings.latency_seconds,
        "routes": sorted(settings.routes),
    }


def faults_from_json(data: Mapping[str, Any], base: FaultSettings | None = None) -> FaultSettings:
    """Fault settings from JSON (keys missing from ``data`` keep ``base``'s values)."""
    base = base or FaultSettings()
    unknown = set(data) - {"rate", "kinds", "latency_seconds", "routes", "seed"}
    if unknown:
        raise ValueError(f"unknown fault settings: {sorted(unknown)}")
    kinds = data.get("kinds")
    routes = data.get("routes")
    return FaultSettings(
        rate=_number("rate", data.get("rate", base.rate)),
        kinds=base.kinds if kinds is None else tuple(FaultKind(str(k)) for k in kinds),
        latency_seconds=_number("latency_seconds", data.get("latency_seconds", base.latency_seconds)),
        routes=base.routes if routes is None else frozenset(str(r) for r in routes),
    )


def parse_fault_kinds(text: str) -> tuple[FaultKind, ...]:
    """``"429,503,drop"`` -> kinds; ``"all"`` -> every kind."""
    if text.strip().lower() == "all":
        return tuple(FaultKind)
    return tuple(FaultKind(part.strip()) for part in text.split(",") if part.strip())


def parse_merchants(text: str) -> frozenset[int]:
    """``"123,456"`` -> merchant ids."""
    return frozenset(int(part) for part in text.split(",") if part.strip())


def parse_client(text: str) -> tuple[str, str, frozenset[int] | None]:
    """``ID:SECRET`` or ``ID:SECRET:123,456`` (the merchants that client may manage); secrets may hold ``:``."""
    client_id, _, rest = text.partition(":")
    merchants: frozenset[int] | None = None
    secret, _, tail = rest.rpartition(":")
    if secret and re.fullmatch(r"[0-9, ]+", tail):
        merchants = parse_merchants(tail)
    else:
        secret = rest
    if not client_id or not secret:
        raise ValueError("expected CLIENT_ID:SECRET[:MERCHANT,...]")
    return client_id, secret, merchants


@dataclass(frozen=True, slots=True)
class SimulatorConfig:
    """Everything needed to start a simulator."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    seed: int | None = None
    state_file: str | None = None
    settings: Settings = field(default_factory=Settings)
    faults: FaultSettings = field(default_factory=FaultSettings)
    control: bool = True  # serve /_simulator/...
    access_log: bool = False
    log_level: str = "warning"
    # The generations served, each at its own paths: names of installed ones or ApiVersion objects
    # (synthetic generations in tests). None: every installed generation.
    api_versions: tuple[GenerationSpec, ...] | None = None

    def __post_init__(self) -> None:
        check_served(self.settings.lifecycle_generations, generation_names(self.api_versions))

    def with_settings(self, **changes: Any) -> SimulatorConfig:
        """A copy whose runtime settings are changed."""
        return dataclasses.replace(self, settings=dataclasses.replace(self.settings, **changes))


def shape(value: str) -> ResponseShape:
    """Validate a response-shape name."""
    if value not in SHAPES:
        raise ValueError(f"response shape must be one of {SHAPES}")
    return "spec" if value == "spec" else "documented"
