"""A short, semantic summary of what changed between two revisions of an OpenAPI document."""

from __future__ import annotations

from typing import Any

_HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def summarize_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Describe, one line each, the operations, schemas and fields that were added, removed or changed.

    Field changes cover the type (with format and nullability), the enum, and whether the field is
    required. An empty list means no semantic change (descriptions and ordering are ignored).
    """
    lines: list[str] = []
    old_ops, new_ops = _operations(old), _operations(new)
    for op in sorted(new_ops.keys() - old_ops.keys()):
        lines.append(f"+ operation {op}")
    for op in sorted(old_ops.keys() - new_ops.keys()):
        lines.append(f"- operation {op}")
    for op in sorted(old_ops.keys() & new_ops.keys()):
        lines.extend(_operation_changes(op, old_ops[op], new_ops[op]))
    old_schemas = old.get("components", {}).get("schemas", {})
    new_schemas = new.get("components", {}).get("schemas", {})
    for name in sorted(new_schemas.keys() - old_schemas.keys()):
        lines.append(f"+ schema {name}")
    for name in sorted(old_schemas.keys() - new_schemas.keys()):
        lines.append(f"- schema {name}")
    for name in sorted(old_schemas.keys() & new_schemas.keys()):
        lines.extend(_schema_changes(name, old_schemas[name], new_schemas[name]))
    return lines


def _operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path, item in document.get("paths", {}).items():
        for method in _HTTP_METHODS:
            if method in item:
                found[f"{method.upper()} {path}"] = item[method]
    return found


def _operation_changes(op: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if old.get("operationId") != new.get("operationId"):
        lines.append(f"~ operation {op}: operationId {old.get('operationId')} -> {new.get('operationId')}")
    old_params = {(p.get("in"), p.get("name")): p for p in old.get("parameters", []) if "name" in p}
    new_params = {(p.get("in"), p.get("name")): p for p in new.get("parameters", []) if "name" in p}
    for key in sorted(new_params.keys() - old_params.keys(), key=str):
        lines.append(f"+ parameter {op} {key[0]} {key[1]}")
    for key in sorted(old_params.keys() - new_params.keys(), key=str):
        lines.append(f"- parameter {op} {key[0]} {key[1]}")
    for key in sorted(old_params.keys() & new_params.keys(), key=str):
        before, after = old_params[key], new_params[key]
        where = f"{op} {key[0]} {key[1]}"
        if bool(before.get("required")) != bool(after.get("required")):
            lines.append(
                f"~ parameter {where}: required {bool(before.get('required'))} -> {bool(after.get('required'))}"
            )
        if _type_of(before.get("schema", {})) != _type_of(after.get("schema", {})):
            lines.append(
                f"~ parameter {where}: type {_type_of(before.get('schema', {}))} -> {_type_of(after.get('schema', {}))}"
            )
    old_codes, new_codes = set(old.get("responses", {})), set(new.get("responses", {}))
    for code in sorted(new_codes - old_codes):
        lines.append(f"+ response {op} {code}")
    for code in sorted(old_codes - new_codes):
        lines.append(f"- response {op} {code}")
    return lines


def _schema_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if _type_of(old) != _type_of(new):
        lines.append(f"~ schema {name}: type {_type_of(old)} -> {_type_of(new)}")
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    for field in sorted(new_props.keys() - old_props.keys()):
        flag = " (required)" if field in new_required else ""
        lines.append(f"+ field {name}.{field}: {_type_of(new_props[field])}{flag}")
    for field in sorted(old_props.keys() - new_props.keys()):
        lines.append(f"- field {name}.{field}")
    for field in sorted(old_props.keys() & new_props.keys()):
        before, after = _type_of(old_props[field]), _type_of(new_props[field])
        if before != after:
            lines.append(f"~ field {name}.{field}: type {before} -> {after}")
        if old_props[field].get("enum") != new_props[field].get("enum"):
            lines.append(
                f"~ field {name}.{field}: enum {old_props[field].get('enum')} -> {new_props[field].get('enum')}"
            )
        if (field in old_required) != (field in new_required):
            state = "now required" if field in new_required else "no longer required"
            lines.append(f"~ field {name}.{field}: {state}")
    return lines


def _type_of(schema: dict[str, Any]) -> str:
    """A compact type label: ``string(int64)?`` for a nullable string of format int64, ``[Price]`` for arrays."""
    if "$ref" in schema:
        label = str(schema["$ref"]).rsplit("/", 1)[-1]
    elif "anyOf" in schema or "oneOf" in schema:
        variants = schema.get("anyOf") or schema.get("oneOf") or []
        label = "|".join(_type_of(variant) for variant in variants)
    elif schema.get("type") == "array":
        label = f"[{_type_of(schema.get('items', {}))}]"
    else:
        label = str(schema.get("type", "any"))
        if "format" in schema:
            label += f"({schema['format']})"
    if schema.get("nullable"):
        label += "?"
    return label
