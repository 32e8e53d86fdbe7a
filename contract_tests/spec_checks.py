"""The checks the harness makes against a spec that ``spec_tools.validation`` does not make.

``spec_tools.validation`` answers "does this spec accept this JSON body". The harness also needs: the
path and query parameters of a concrete request (``parameter_errors``), the declared response headers
(``header_errors``), the media type of a JSON answer (``media_type_errors``), for what we send, bodies
checked with their ``format`` keywords (int32/int64 ranges, date-time) as well
(``strict_request_errors``), and every way an answer breaks a spec with the overlay target that would
change it (``response_problems``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote

from openapi_schema_validator import OAS30Validator, oas30_format_checker


def _deref(node: Any, document: Mapping[str, Any]) -> Any:
    while isinstance(node, Mapping) and "$ref" in node:
        target: Any = document
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _validate(schema: Mapping[str, Any], document: Mapping[str, Any], value: Any, where: str) -> list[str]:
    rooted = {**schema, "components": document.get("components", {})}
    validator = OAS30Validator(rooted, format_checker=oas30_format_checker)
    out = []
    for error in validator.iter_errors(value):
        pointer = "/".join(str(p) for p in error.absolute_path)
        out.append(f"{where}{'/' + pointer if pointer else ''}: {error.message}")
    return sorted(out)


def operation(document: Mapping[str, Any], method: str, template: str) -> dict[str, Any]:
    """The operation object of ``method template``; KeyError if the spec has none."""
    found = document["paths"][template][method.lower()]
    if not isinstance(found, dict):
        raise KeyError(f"{method.upper()} {template}")
    return found


def parameters(document: Mapping[str, Any], method: str, template: str) -> list[dict[str, Any]]:
    """The parameters of an operation (path-level ones included), references resolved."""
    path_item = document["paths"][template]
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*path_item.get("parameters", []), *operation(document, method, template).get("parameters", [])]:
        parameter = _deref(raw, document)
        merged[(parameter["in"], parameter["name"])] = parameter
    return list(merged.values())


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{[^}]+\}", template)
    return re.compile("([^/]+)".join(re.escape(part) for part in parts))


def match_path(template: str, path: str) -> dict[str, str] | None:
    """The (still escaped) path parameters of ``path`` under ``template``, or None when it does not match."""
    names = re.findall(r"\{([^}]+)\}", template)
    found = _template_regex(template).fullmatch(path)
    if found is None:
        return None
    return dict(zip(names, found.groups(), strict=True))


def _coerce(raw: str, schema: Mapping[str, Any]) -> tuple[Any, str | None]:
    """A parameter's text as the JSON value its schema types (simple style)."""
    kind = schema.get("type")
    if kind == "integer":
        return (int(raw), None) if re.fullmatch(r"-?[0-9]+", raw) else (raw, f"{raw!r} is not an integer")
    if kind == "number":
        try:
            return float(raw), None
        except ValueError:
            return raw, f"{raw!r} is not a number"
    if kind == "boolean":
        return (raw == "true", None) if raw in ("true", "false") else (raw, f"{raw!r} is not a boolean")
    return raw, None


def parameter_errors(
    document: Mapping[str, Any], method: str, template: str, path: str, query: str | Mapping[str, Iterable[str]] = ""
) -> list[str]:
    """Reasons why ``document`` rejects the path and query of a concrete request (empty: accepted).

    Strict, as befits what a client sends: a query parameter the operation does not declare, or one
    given twice, is a reason too. Formats (int32, int64...) are checked.
    """
    values = match_path(template, path)
    if values is None:
        return [f"path {path!r} does not match {template}"]
    given = (
        parse_qs(query, keep_blank_values=True) if isinstance(query, str) else {k: list(v) for k, v in query.items()}
    )
    problems: list[str] = []
    declared_query = set()
    for parameter in parameters(document, method, template):
        name, where = parameter["name"], parameter["in"]
        schema = _deref(parameter.get("schema", {}), document)
        if where == "path":
            raw: str | None = unquote(values[name]) if name in values else None
        elif where == "query":
            declared_query.add(name)
            items = given.get(name)
            if items is not None and len(items) > 1:
                problems.append(f"query {name}: given {len(items)} times")
            raw = items[0] if items else None
        else:
            continue  # headers and cookies: the transport's business
        if raw is None:
            if parameter.get("required") or where == "path":
                problems.append(f"{where} {name}: required, missing")
            continue
        value, problem = _coerce(raw, schema)
        if problem is not None:
            problems.append(f"{where} {name}: {problem}")
            continue
        problems += _validate(schema, document, value, f"{where} {name}")
    problems += [f"query {name}: not declared by the operation" for name in sorted(set(given) - declared_query)]
    return problems


def strict_request_errors(document: Mapping[str, Any], method: str, template: str, body: Any) -> list[str]:
    """Like ``spec_tools.validation.request_errors``, formats included (int32/int64 ranges, date-time)."""
    request_body = _deref(operation(document, method, template).get("requestBody"), document)
    if request_body is None:
        return [] if body is None else ["the operation declares no request body"]
    media = (request_body.get("content") or {}).get("application/json")
    if media is None:
        return ["the operation declares no JSON request body"]
    if body is None:
        return ["a JSON request body is required"] if request_body.get("required") else []
    return _validate(_deref(media.get("schema", {}), document), document, body, "body")


def declared_response(document: Mapping[str, Any], method: str, template: str, status: int) -> dict[str, Any] | None:
    """The response object declared for ``status`` (or its ``NXX`` range, or ``default``), references resolved."""
    responses = operation(document, method, template).get("responses", {})
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if key in responses:
            resolved = _deref(responses[key], document)
            return resolved if isinstance(resolved, dict) else None
    return None


def header_errors(
    document: Mapping[str, Any], method: str, template: str, status: int, headers: Mapping[str, str]
) -> list[str]:
    """Reasons why the declared headers of the ``status`` answer are not satisfied (missing, wrong type)."""
    declared = declared_response(document, method, template, status)
    if declared is None:
        return []
    lowered = {k.lower(): v for k, v in headers.items()}
    problems: list[str] = []
    for name, raw_header in (declared.get("headers") or {}).items():
        header = _deref(raw_header, document)
        schema = _deref(header.get("schema", {}), document)
        value = lowered.get(name.lower())
        if value is None:
            if header.get("required"):
                problems.append(f"header {name}: required, missing")
            continue
        coerced, problem = _coerce(value.strip(), schema)
        problems += [f"header {name}: {problem}"] if problem else _validate(schema, document, coerced, f"header {name}")
    return problems


def is_json_media_type(content_type: str | None) -> bool:
    """``application/json`` or any ``+json`` suffix, parameters ignored."""
    if not content_type:
        return False
    essence = content_type.split(";", 1)[0].strip().lower()
    return essence == "application/json" or (essence.startswith("application/") and essence.endswith("+json"))


def media_type_errors(
    document: Mapping[str, Any], method: str, template: str, status: int, content_type: str | None, has_body: bool
) -> list[str]:
    """Reasons why the Content-Type of an answer disagrees with what the spec declares for it."""
    declared = declared_response(document, method, template, status)
    if declared is None or not has_body:
        return []
    content = declared.get("content") or {}
    if not content:
        return []
    if not content_type:
        return [f"no Content-Type for a body the spec declares as {', '.join(sorted(content))}"]
    if "application/json" in content and not is_json_media_type(content_type):
        return [f"Content-Type {content_type!r} for a body the spec declares as application/json"]
    return []


# -- answers ----------------------------------------------------------------------------------------------

NOT_JSON = object()  # a decoded body that was not JSON


@dataclass(frozen=True)
class SpecProblem:
    """One way an answer disagrees with a spec, with where an overlay action would have to change it."""

    kind: str  # status, body, content-type, header
    message: str
    pointer: str = ""  # JSON pointer of the offending value in the body
    target: str = ""  # JSONPath into the spec of what would need an overlay action

    def __str__(self) -> str:
        where = f"body/{self.pointer}" if self.pointer else ("body" if self.kind == "body" else self.kind)
        return f"{where}: {self.message}"


def _ref_name(node: Any) -> str | None:
    if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        return str(node["$ref"]).rsplit("/", 1)[-1]
    return None


def schema_target(document: Mapping[str, Any], schema: Any, path: Sequence[str | int], fallback: str) -> str:
    """JSONPath of the (component) schema that governs the value at ``path`` of a body of ``schema``."""
    target, node = fallback, schema
    for step in [*path, None]:
        name = _ref_name(node)
        if name is not None:
            target = f"$.components.schemas.{name}"
            node = _deref(node, document)
        if step is None or not isinstance(node, Mapping):
            break
        if isinstance(step, int):
            node = node.get("items")
            target += ".items"
        elif step in (node.get("properties") or {}):
            node = node["properties"][step]
            target += f".properties.{step}"
        else:
            break
    return target


def response_problems(
    document: Mapping[str, Any],
    method: str,
    template: str,
    status: int,
    body: Any,
    *,
    content_type: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> list[SpecProblem]:
    """Every way ``document`` rejects an answer: undeclared status, body (formats checked), media type, headers.

    ``body`` is the decoded JSON, None for no body, or :data:`NOT_JSON`.
    """
    responses_target = f"$.paths['{template}'].{method.lower()}.responses"
    declared = declared_response(document, method, template, status)
    if declared is None:
        return [
            SpecProblem(
                "status", f"status {status} is not declared for {method.upper()} {template}", "", responses_target
            )
        ]
    target = f"{responses_target}['{status}']"
    media = (declared.get("content") or {}).get("application/json")
    schema = media.get("schema") if isinstance(media, Mapping) else None
    problems: list[SpecProblem] = []
    if schema is None:
        if body is not None:
            problems.append(SpecProblem("body", f"status {status} declares no body, got one", "", target))
    elif body is None:
        problems.append(SpecProblem("body", f"status {status} declares a JSON body, got none", "", target))
    elif body is NOT_JSON:
        problems.append(SpecProblem("body", "the body is not JSON", "", target))
    else:
        rooted = {**_deref(schema, document), "components": document.get("components", {})}
        validator = OAS30Validator(rooted, format_checker=oas30_format_checker)
        for error in sorted(validator.iter_errors(body), key=lambda e: [str(p) for p in e.absolute_path]):
            path = list(error.absolute_path)
            pointer = "/".join(str(p) for p in path)
            problems.append(SpecProblem("body", error.message, pointer, schema_target(document, schema, path, target)))
    problems += [
        SpecProblem("content-type", message, "", target)
        for message in media_type_errors(document, method, template, status, content_type, body is not None)
    ]
    problems += [
        SpecProblem("header", message, "", f"{target}.headers")
        for message in header_errors(document, method, template, status, headers or {})
    ]
    return problems
