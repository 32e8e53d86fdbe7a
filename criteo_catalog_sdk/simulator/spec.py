"""The effective OpenAPI document, read from the package data shipped with the SDK."""

from __future__ import annotations

import functools
import importlib.resources
import json
from collections.abc import Mapping
from typing import Any, cast

SPEC_PACKAGE = "criteo_catalog_sdk._generated"
SPEC_FILE = "catalog.json"

BATCH_PATH = "/preview/catalog/products/batch"


def spec_text() -> str:
    """The text of the effective spec (its JSON copy)."""
    return importlib.resources.files(SPEC_PACKAGE).joinpath(SPEC_FILE).read_text(encoding="utf-8")


@functools.cache
def load_spec() -> dict[str, Any]:
    """The effective spec as a dict (parsed once per process)."""
    return cast(dict[str, Any], json.loads(spec_text()))


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


def request_body_schema(root: Mapping[str, Any], path: str = BATCH_PATH, method: str = "post") -> Mapping[str, Any]:
    """The JSON schema of an operation's request body."""
    operation = root["paths"][path][method]
    return resolve(root, operation["requestBody"]["content"]["application/json"]["schema"])
