"""Validate JSON bodies against the schemas of an OpenAPI 3.0 document.

Used by the tests and the contract harness to ask "does this spec accept this body?" for requests
and responses alike. OpenAPI 3.0 schemas are not plain JSON Schema (``nullable``, ``$ref`` into
``components``): openapi-schema-validator's OAS30 dialect handles both.
"""

from __future__ import annotations

from typing import Any

from openapi_schema_validator import OAS30Validator


def _media_schema(container: dict[str, Any], document: dict[str, Any]) -> dict[str, Any] | None:
    container = _deref(container, document)
    content = container.get("content")
    if not content:
        return None
    media = content.get("application/json")
    if media is None:
        return None
    schema = media.get("schema")
    return schema if isinstance(schema, dict) else None


def _deref(node: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = document
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    try:
        operation = document["paths"][path][method.lower()]
    except KeyError as exc:
        raise KeyError(f"the spec has no operation {method.upper()} {path}") from exc
    if not isinstance(operation, dict):
        raise KeyError(f"the spec has no operation {method.upper()} {path}")
    return operation


def _errors(schema: dict[str, Any], document: dict[str, Any], body: Any) -> list[str]:
    rooted = {**schema, "components": document.get("components", {})}
    validator = OAS30Validator(rooted)
    return sorted(
        f"{'/'.join(str(p) for p in error.absolute_path) or '<body>'}: {error.message}"
        for error in validator.iter_errors(body)
    )


def response_errors(document: dict[str, Any], method: str, path: str, status: int | str, body: Any) -> list[str]:
    """Reasons why ``document`` rejects ``body`` as the ``status`` answer of ``method path`` (empty: accepted).

    An undeclared status is itself a reason. A declared answer without JSON content accepts only no body.
    """
    responses = _operation(document, method, path).get("responses", {})
    declared = responses.get(str(status))
    if declared is None:
        return [f"status {status} is not declared for {method.upper()} {path}"]
    schema = _media_schema(declared, document)
    if schema is None:
        return [] if body is None else [f"status {status} declares no body, got one"]
    if body is None:
        return [f"status {status} declares a JSON body, got none"]
    return _errors(schema, document, body)


def request_errors(document: dict[str, Any], method: str, path: str, body: Any) -> list[str]:
    """Reasons why ``document`` rejects ``body`` as the JSON request body of ``method path`` (empty: accepted)."""
    request_body = _operation(document, method, path).get("requestBody")
    if request_body is None:
        return [] if body is None else ["the operation declares no request body"]
    schema = _media_schema(request_body, document)
    if schema is None:
        return ["the operation declares no JSON request body"]
    return _errors(schema, document, body)
