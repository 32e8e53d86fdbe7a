"""Criteo API generations the SDK can talk to, as data read from each generation's spec.

Criteo serves the Catalog API under several generations (``preview``, ``experimental``, dated
releases such as ``2027-01``). Each one is a folder ``openapi/<generation>/`` (published slice,
overlay, effective spec) and a generated package ``criteo_catalog_sdk/_generated/<module>/`` that
carries both specs as package data. Nothing hand-written spells a generation's paths or types: an
:class:`ApiVersion` finds its three operations by operationId and reads from the specs the path
templates, the path parameters' names and the JSON type ``merchantId`` is sent as.

Choose one with ``api_version=`` (clients, simulator), ``CRITEO_API_VERSION`` or ``--api-version``;
the default is :data:`DEFAULT_API_VERSION`.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast
from urllib.parse import quote

from criteo_catalog_sdk._generated import GENERATIONS
from criteo_catalog_sdk.config import ENV_API_VERSION
from criteo_catalog_sdk.errors import ConfigurationError, InvalidRequestError, UnsupportedOperationError

__all__ = [
    "API_VERSIONS",
    "DEFAULT_API_VERSION",
    "ENV_API_VERSION",
    "OP_BATCH",
    "OP_REPORT",
    "OP_STATS",
    "ApiVersion",
    "OperationPath",
    "get_api_version",
]

#: The generation of the seeds' contract. Criteo asks Preview callers to move to Experimental before
#: the end of 2026 (README "API versions" says when and how).
DEFAULT_API_VERSION = "preview"

#: The operationIds of the catalog operations: stable across generations (facts section 8).
OP_BATCH = "SubmitCatalogProductsBatch"
OP_REPORT = "GetCatalogProductsBatchReport"
OP_STATS = "GetCatalogMerchantStats"

_PARAMETER = re.compile(r"\{([^}]+)\}")
_GENERATED = "criteo_catalog_sdk._generated"


def _sort_key(name: str) -> tuple[bool, str]:
    # Tiers first (by name), then dated releases, oldest first.
    return (name[:1].isdigit(), name)


#: Every generation this installation can talk to.
API_VERSIONS: tuple[str, ...] = tuple(sorted(GENERATIONS, key=_sort_key))


@dataclass(frozen=True, slots=True)
class OperationPath:
    """Where one operation lives in a generation: method, path template, path parameter (if any)."""

    operation_id: str
    method: str
    template: str
    parameter: str | None = None

    @property
    def prefix(self) -> str:
        """The template up to its path parameter (the whole template when it has none)."""
        return self.template.split("{", 1)[0]

    def path(self, value: str | None = None) -> str:
        """The concrete path, ``value`` escaped into the path parameter so that no value can change the path.

        Every character outside the unreserved set is percent-encoded (``/``, ``?``, ``#``, ``%``...);
        a value that is only dots (a ``.``/``..`` segment) has its dots encoded too.
        """
        if self.parameter is None:
            return self.template
        if value is None:
            raise InvalidRequestError(f"{self.operation_id} needs its path parameter {self.parameter!r}")
        escaped = quote(value, safe="-._~")
        if escaped.strip(".") == "":
            escaped = escaped.replace(".", "%2E")
        return self.template.replace("{" + self.parameter + "}", escaped)


class ApiVersion:
    """One Criteo API generation: its specs and where its catalog operations live.

    ``name`` is the generation (``preview``, ``2027-01``); ``batch``, ``report`` and ``stats`` the
    operations (``stats`` is ``None`` where the generation has no statistics operation);
    ``merchant_id_type`` whether ``merchantId`` travels as a JSON ``"integer"`` or ``"string"``.
    ``published`` is Criteo's slice as published (what the SDK's requests must satisfy), ``spec`` the
    effective one (published + overlay: what the simulator enforces and the SDK accepts). Installed
    generations come from :func:`get_api_version`; tests may build one from two spec documents.
    """

    __slots__ = ("__weakref__", "batch", "merchant_id_type", "module", "name", "published", "report", "spec", "stats")

    def __init__(
        self, name: str, *, published: Mapping[str, Any], spec: Mapping[str, Any], module: str | None = None
    ) -> None:
        self.name = name
        self.module = module
        self.published = published
        self.spec = spec
        self.batch = _operation(published, OP_BATCH, name)
        self.report = _operation(published, OP_REPORT, name)
        self.stats = _find_operation(published, OP_STATS)
        self.merchant_id_type = _merchant_id_type(published, self.batch)

    def __repr__(self) -> str:
        return f"ApiVersion({self.name!r})"

    @property
    def operations(self) -> tuple[OperationPath, ...]:
        """The catalog operations this generation has."""
        return tuple(op for op in (self.batch, self.report, self.stats) if op is not None)

    def stats_operation(self) -> OperationPath:
        """The statistics operation; :class:`UnsupportedOperationError` if this generation has none."""
        if self.stats is None:
            with_stats = [n for n in API_VERSIONS if get_api_version(n).stats is not None]
            raise UnsupportedOperationError(
                f"the {self.name} generation of Criteo's API has no merchant statistics operation ({OP_STATS});"
                f" use one that has: {', '.join(with_stats) or 'none installed'}"
            )
        return self.stats

    def merchant_id_value(self, merchant_id: int) -> int | str:
        """A checked merchant id as this generation's wire type (a JSON integer, or a digit string)."""
        return str(merchant_id) if self.merchant_id_type == "string" else merchant_id


def _load(module: str, name: str) -> dict[str, Any]:
    text = importlib.resources.files(f"{_GENERATED}.{module}").joinpath(name).read_text(encoding="utf-8")
    return cast(dict[str, Any], json.loads(text))


def _find_operation(spec: Mapping[str, Any], operation_id: str) -> OperationPath | None:
    for template, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                names = _PARAMETER.findall(template)
                return OperationPath(operation_id, method.upper(), template, names[0] if names else None)
    return None


def _operation(spec: Mapping[str, Any], operation_id: str, name: str) -> OperationPath:
    found = _find_operation(spec, operation_id)
    if found is None:
        raise ConfigurationError(f"the {name} spec has no {operation_id} operation")
    return found


def _resolve(spec: Mapping[str, Any], node: Any) -> Any:
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _merchant_id_type(spec: Mapping[str, Any], batch: OperationPath) -> Literal["integer", "string"]:
    """The published JSON type of an entry's ``merchantId`` (integer in preview, string in 2027-01)."""
    operation = spec["paths"][batch.template][batch.method.lower()]
    body = _resolve(spec, operation["requestBody"]["content"]["application/json"]["schema"])
    entries = _resolve(spec, body["properties"]["entries"])
    entry = _resolve(spec, entries["items"])
    kind = _resolve(spec, entry["properties"]["merchantId"]).get("type")
    return "string" if kind == "string" else "integer"


@functools.cache
def _version(name: str) -> ApiVersion:
    module = GENERATIONS[name]
    return ApiVersion(
        name, published=_load(module, "published.json"), spec=_load(module, "catalog.json"), module=module
    )


def get_api_version(name: str | ApiVersion | None = None, environ: Mapping[str, str] | None = None) -> ApiVersion:
    """The generation called ``name``; by default ``CRITEO_API_VERSION``, else :data:`DEFAULT_API_VERSION`.

    An unknown name raises :class:`ConfigurationError` listing the known ones.
    """
    if isinstance(name, ApiVersion):
        return name
    if name is None:
        env = os.environ if environ is None else environ
        name = env.get(ENV_API_VERSION, "").strip() or DEFAULT_API_VERSION
    key = name.strip().lower()
    if key not in GENERATIONS:
        raise ConfigurationError(
            f"unknown API version {name!r}: this SDK knows {', '.join(API_VERSIONS)}"
            f" (set api_version=, {ENV_API_VERSION} or --api-version)"
        )
    return _version(key)
