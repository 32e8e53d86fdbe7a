"""The effective OpenAPI document, read from the package data shipped with the SDK."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from criteo_catalog_sdk.api_versions import ApiVersion, get_api_version


def load_spec(api_version: str | None = None) -> Mapping[str, Any]:
    """The effective spec of a generation (default: the SDK's default), parsed once per process."""
    return get_api_version(api_version).spec


def resolve(root: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow local ``$ref`` pointers until a schema without one."""
    seen: set[str] = set()
    while "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
            raise ValueError(f"unsupported or cyclic $ref {ref!r}")
        seen.add(ref)
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def request_body_schema(version: ApiVersion) -> Mapping[str, Any]:
    """The JSON schema of a generation's batch request body, in its effective spec."""
    operation = version.spec["paths"][version.batch.template][version.batch.method.lower()]
    return resolve(version.spec, operation["requestBody"]["content"]["application/json"]["schema"])
