"""Turn the effective spec's OpenAPI 3.0 schemas into JSON Schema for the reference validator (jsonschema)."""

from __future__ import annotations

from typing import Any

from criteo_catalog_sdk.simulator.spec import load_spec, resolve

_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def to_json_schema(node: Any, root: dict[str, Any] | None = None) -> Any:
    root = root or load_spec()
    if isinstance(node, list):
        return [to_json_schema(item, root) for item in node]
    if not isinstance(node, dict):
        return node
    node = dict(resolve(root, node))
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key.startswith("x-") or key in ("nullable", "description", "readOnly", "example", "default"):
            continue
        if key == "properties":
            out[key] = {name: to_json_schema(sub, root) for name, sub in value.items()}
        elif (key in ("items", "additionalProperties") and isinstance(value, dict)) or key in (
            "anyOf",
            "allOf",
            "oneOf",
        ):
            out[key] = to_json_schema(value, root)
        else:
            out[key] = value
    if node.get("type") == "integer" and node.get("format") in _RANGES:
        low, high = _RANGES[node["format"]]
        out.setdefault("minimum", low)
        out.setdefault("maximum", high)
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def component(name: str) -> Any:
    root = load_spec()
    return to_json_schema(root["components"]["schemas"][name], root)
