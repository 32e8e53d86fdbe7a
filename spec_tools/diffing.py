"""A short, semantic summary of what changed between two revisions of an OpenAPI document.

Operations are matched by operationId, not by path, so that two generations (``/preview/...`` and
``/2027-01/marketing-solutions/...``) compare operation by operation: a moved operation is one
``~ operation X: path A -> B`` line, not a removal and an addition.
"""

from __future__ import annotations

from typing import Any

from spec_tools.operations import Operation, iter_operations, parameters, resolve


def same_contract(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether two slices describe the same contract once the operations' paths are set aside (the
    case of preview and experimental, facts section 8; a renamed path parameter is a difference)."""
    return not summarize_changes(old, new, paths=False)


def summarize_changes(old: dict[str, Any], new: dict[str, Any], *, paths: bool = True) -> list[str]:
    """Describe, one line each, the operations, parameters, schemas and fields that were added, removed or changed.

    Operation changes cover the path, the method, the parameters (a path parameter renamed is one line),
    the request body and the declared responses; field changes cover the type (with format and
    nullability), the enum, and whether the field is required. An empty list means no semantic change
    (descriptions and ordering are ignored). ``paths=False`` leaves out operations' path changes.
    """
    lines: list[str] = []
    old_ops = {op.key: op for op in iter_operations(old)}
    new_ops = {op.key: op for op in iter_operations(new)}
    for key in sorted(new_ops.keys() - old_ops.keys()):
        lines.append(f"+ operation {key} ({new_ops[key].where})")
    for key in sorted(old_ops.keys() - new_ops.keys()):
        lines.append(f"- operation {key} ({old_ops[key].where})")
    for key in sorted(old_ops.keys() & new_ops.keys()):
        lines.extend(_operation_changes(key, (old, old_ops[key]), (new, new_ops[key]), paths=paths))
    old_schemas = old.get("components", {}).get("schemas", {})
    new_schemas = new.get("components", {}).get("schemas", {})
    for name in sorted(new_schemas.keys() - old_schemas.keys()):
        lines.append(f"+ schema {name}")
    for name in sorted(old_schemas.keys() - new_schemas.keys()):
        lines.append(f"- schema {name}")
    for name in sorted(old_schemas.keys() & new_schemas.keys()):
        lines.extend(_schema_changes(name, old_schemas[name], new_schemas[name]))
    return lines


_Side = tuple[dict[str, Any], Operation]


def _operation_changes(key: str, old: _Side, new: _Side, *, paths: bool) -> list[str]:
    (old_doc, before), (new_doc, after) = old, new
    lines: list[str] = []
    if paths and before.path != after.path:
        lines.append(f"~ operation {key}: path {before.path} -> {after.path}")
    if before.method != after.method:
        lines.append(f"~ operation {key}: method {before.method.upper()} -> {after.method.upper()}")
    lines.extend(_parameter_changes(key, parameters(old_doc, before), parameters(new_doc, after)))
    old_body = _body_type(old_doc, before.operation.get("requestBody"))
    new_body = _body_type(new_doc, after.operation.get("requestBody"))
    if old_body != new_body:
        lines.append(f"~ operation {key}: request body {old_body} -> {new_body}")
    old_responses = before.operation.get("responses") or {}
    new_responses = after.operation.get("responses") or {}
    for code in sorted(new_responses.keys() - old_responses.keys(), key=str):
        lines.append(f"+ response {key} {code}")
    for code in sorted(old_responses.keys() - new_responses.keys(), key=str):
        lines.append(f"- response {key} {code}")
    for code in sorted(old_responses.keys() & new_responses.keys(), key=str):
        old_type = _body_type(old_doc, old_responses[code])
        new_type = _body_type(new_doc, new_responses[code])
        if old_type != new_type:
            lines.append(f"~ response {key} {code}: body {old_type} -> {new_type}")
    return lines


_Parameters = dict[tuple[str, str], dict[str, Any]]


def _parameter_changes(key: str, old: _Parameters, new: _Parameters) -> list[str]:
    lines: list[str] = []
    added, removed = sorted(new.keys() - old.keys()), sorted(old.keys() - new.keys())
    pairs = [(k, k) for k in sorted(old.keys() & new.keys())]
    added_in_path = [k for k in added if k[0] == "path"]
    removed_in_path = [k for k in removed if k[0] == "path"]
    if len(added_in_path) == 1 and len(removed_in_path) == 1:
        # One path parameter out, one in: the same parameter under a new name (``operation-token`` -> ``id``).
        was, now = removed_in_path[0], added_in_path[0]
        lines.append(f"~ parameter {key} path {was[1]}: renamed to {now[1]}")
        added.remove(now)
        removed.remove(was)
        pairs.append((was, now))
    lines.extend(f"+ parameter {key} {where} {name}" for where, name in added)
    lines.extend(f"- parameter {key} {where} {name}" for where, name in removed)
    for was, now in pairs:
        before, after = old[was], new[now]
        label = f"{key} {now[0]} {now[1]}"
        if bool(before.get("required")) != bool(after.get("required")):
            lines.append(
                f"~ parameter {label}: required {bool(before.get('required'))} -> {bool(after.get('required'))}"
            )
        old_type, new_type = _type_of(before.get("schema", {})), _type_of(after.get("schema", {}))
        if old_type != new_type:
            lines.append(f"~ parameter {label}: type {old_type} -> {new_type}")
    return lines


def _body_type(document: dict[str, Any], container: Any) -> str:
    """The type label of a request body's or response's JSON content (``none`` without one)."""
    container = resolve(document, container)
    if not isinstance(container, dict):
        return "none"
    media = (container.get("content") or {}).get("application/json")
    if not isinstance(media, dict) or not isinstance(media.get("schema"), dict):
        return "none"
    return _type_of(media["schema"])


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
