"""Cut Criteo's whole MarketingSolutions document down to the Catalog slice this SDK vendors.

The catalog operations are found by tag and operationId (facts section 8: the stable way across
generations), never by a path prefix: their paths are what differs between generations.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from spec_tools.operations import HTTP_METHODS, Operation, iter_operations

CATALOG_TAG = "Catalog"
#: Without these two there is no catalog to talk to.
REQUIRED_OPERATIONS = ("SubmitCatalogProductsBatch", "GetCatalogProductsBatchReport")
#: Kept when present (the 2027-01 release candidate has no statistics operation).
OPTIONAL_OPERATIONS = ("GetCatalogMerchantStats",)
_REF_PREFIX = "#/components/"


class SliceError(ValueError):
    """The source document cannot be sliced (no catalog operations, or a dangling reference)."""


def find_catalog_operations(document: dict[str, Any]) -> list[Operation]:
    """The catalog operations of ``document`` in document order; :class:`SliceError` names any required one missing."""
    for key in ("paths", "components", "info"):
        if not isinstance(document.get(key, {}), dict):
            raise SliceError(f"the document's {key!r} is not a mapping")
    for section, entries in document.get("components", {}).items():
        if not isinstance(entries, dict):
            raise SliceError(f"the document's components.{section} is not a mapping")
    wanted = REQUIRED_OPERATIONS + OPTIONAL_OPERATIONS
    found: dict[str, Operation] = {}
    untagged: list[Operation] = []
    for op in iter_operations(document):
        if op.operation_id not in wanted:
            continue
        if CATALOG_TAG not in (op.operation.get("tags") or []):
            untagged.append(op)
        elif op.operation_id in found:
            first = found[op.operation_id]
            raise SliceError(f"{op.operation_id} is declared twice with tag {CATALOG_TAG} ({first.where}, {op.where})")
        else:
            found[op.operation_id] = op
    missing = [name for name in REQUIRED_OPERATIONS if name not in found]
    if missing:
        what = "no catalog operations" if not found else "an incomplete catalog"
        version = (document.get("info") or {}).get("version")
        message = f"{what} (info.version {version!r}): no {' or '.join(missing)} operation tagged {CATALOG_TAG}"
        for op in untagged:
            message += f"; {op.operation_id} at {op.where} is not tagged {CATALOG_TAG}"
        raise SliceError(message)
    return [op for op in iter_operations(document) if found.get(op.operation_id or "") == op]


def slice_catalog(document: dict[str, Any]) -> dict[str, Any]:
    """Return the Catalog slice of ``document``.

    Kept: top-level metadata (``openapi``, ``info``, ``servers``, ``security``, ``tags``), the catalog
    operations (:func:`find_catalog_operations`) with their path items' shared fields (path-level
    parameters, summary...) but not the items' other operations, every component they reference
    (transitively, whatever the component section), and every security scheme. Everything else is dropped.
    """
    kept_methods: dict[str, set[str]] = {}
    items: dict[str, dict[str, Any]] = {}
    for op in find_catalog_operations(document):
        kept_methods.setdefault(op.path, set()).add(op.method)
        items[op.path] = op.item
    paths = {
        path: {key: value for key, value in item.items() if key not in HTTP_METHODS or key in kept_methods[path]}
        for path, item in items.items()
    }
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
