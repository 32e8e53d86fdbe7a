"""Cut Criteo's whole MarketingSolutions document down to the Catalog slice this SDK vendors."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

CATALOG_PATH_PREFIX = "/preview/catalog"
_REF_PREFIX = "#/components/"


class SliceError(ValueError):
    """The source document cannot be sliced (no Catalog paths, or a dangling reference)."""


def slice_catalog(document: dict[str, Any], prefix: str = CATALOG_PATH_PREFIX) -> dict[str, Any]:
    """Return the part of ``document`` under ``prefix``.

    Kept: top-level metadata (``openapi``, ``info``, ``servers``, ``security``, ``tags``), the paths
    that start with ``prefix``, every component they reference (transitively, whatever the
    component section), and every security scheme. Everything else is dropped.
    """
    paths = {path: item for path, item in document.get("paths", {}).items() if path.startswith(prefix)}
    if not paths:
        raise SliceError(f"the document has no path starting with {prefix!r}")
    components = document.get("components", {})
    needed = _referenced_components(paths, components)
    result: dict[str, Any] = {}
    for key in ("openapi", "info", "servers", "security", "tags"):
        if key in document:
            result[key] = copy.deepcopy(document[key])
    result["paths"] = copy.deepcopy(paths)
    sliced_components: dict[str, Any] = {}
    for section, entries in components.items():
        if section == "securitySchemes":
            sliced_components[section] = copy.deepcopy(entries)
            continue
        kept = {name: copy.deepcopy(value) for name, value in entries.items() if (section, name) in needed}
        if kept:
            sliced_components[section] = kept
    if sliced_components:
        result["components"] = sliced_components
    return result


def _referenced_components(root: Any, components: dict[str, Any]) -> set[tuple[str, str]]:
    """The (section, name) pairs reachable from ``root`` through ``$ref`` chains."""
    seen: set[tuple[str, str]] = set()
    pending = list(_refs_in(root))
    while pending:
        ref = pending.pop()
        if not ref.startswith(_REF_PREFIX):
            raise SliceError(f"external or non-component reference {ref!r} is not supported")
        parts = ref[len(_REF_PREFIX) :].split("/")
        key = (parts[0], _unescape(parts[1]))
        if key in seen:
            continue
        section = components.get(key[0], {})
        if key[1] not in section:
            raise SliceError(f"dangling reference {ref!r}")
        seen.add(key)
        pending.extend(_refs_in(section[key[1]]))
    return seen


def _refs_in(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs_in(item)


def _unescape(token: str) -> str:
    # JSON Pointer escaping (RFC 6901).
    return token.replace("~1", "/").replace("~0", "~")
