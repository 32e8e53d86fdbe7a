"""Hypothesis strategies drawn from a generation's effective spec, through schemathesis's public API.

- :func:`request_cases`: requests the effective spec accepts (``positive``) or rejects (``negative``) for
  one operation (by operationId): bodies, path parameters, query parameters.
- :func:`response_bodies`: bodies of a response schema (``ReportOkResponse``...), valid or invalid under
  the effective spec. schemathesis generates request bodies only, so each response schema is exposed as
  the request body of a synthetic operation of a copy of the spec (same ``components``): the generator
  that fuzzes servers then fuzzes the SDK's parsers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

import schemathesis
from hypothesis import given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from contract_tests import specs

RESPONSE_SCHEMAS = (
    "BatchAcceptedResponse",
    "ReportOkResponse",
    "StatisticsOkResponse",
    "CatalogErrorResponse",
)
_MODES = {"positive": GenerationMode.POSITIVE, "negative": GenerationMode.NEGATIVE}


@cache
def _effective_schema(name: str) -> Any:
    return schemathesis.openapi.from_dict(specs.effective(name))


@cache
def _response_schema(name: str) -> Any:
    document = specs.effective(name)
    paths: dict[str, Any] = {}
    for schema_name in RESPONSE_SCHEMAS:
        if schema_name not in document["components"]["schemas"]:
            continue  # a generation without statistics has no StatisticsOkResponse
        paths[f"/{schema_name}"] = {
            "post": {
                "operationId": f"Generate{schema_name}",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}},
                },
                "responses": {"200": {"description": "unused"}},
            }
        }
    synthetic = {
        "openapi": document["openapi"],
        "info": {"title": f"response bodies of the {name} effective spec", "version": "1"},
        "paths": paths,
        "components": document["components"],
    }
    return schemathesis.openapi.from_dict(synthetic)


def request_cases(
    operation_id: str, mode: str = "positive", where: specs.Generation | None = None
) -> st.SearchStrategy[Any]:
    """schemathesis ``Case`` objects for the operation ``operation_id`` of a generation's effective spec."""
    where = where or specs.generation()
    method, _, template = where.label(operation_id).partition(" ")
    strategy: st.SearchStrategy[Any] = _effective_schema(where.name)[template][method].as_strategy(
        generation_mode=_MODES[mode]
    )
    return strategy


def response_bodies(
    schema_name: str, mode: str = "positive", where: specs.Generation | None = None
) -> st.SearchStrategy[Any]:
    """Bodies of the component schema ``schema_name`` of a generation: valid (``positive``) or invalid (``negative``).

    Negative bodies may be raw ``bytes`` (not JSON at all); everything else is a JSON value.
    """
    if schema_name not in RESPONSE_SCHEMAS:
        raise ValueError(f"no strategy for {schema_name}; expected one of {RESPONSE_SCHEMAS}")
    operation = _response_schema((where or specs.generation()).name)[f"/{schema_name}"]["POST"]
    strategy: st.SearchStrategy[Any] = operation.as_strategy(generation_mode=_MODES[mode]).map(lambda case: case.body)
    return strategy


def budget(where: specs.Generation, examples: int) -> int:
    """How many examples a property gets in generation ``where``: all of them in the default generation,
    a third (at least 5) in the others, which run the same code at other paths and types."""
    return examples if where.name == specs.DEFAULT_GENERATION else max(5, examples // 3)


def explore(
    where: specs.Generation,
    strategy: st.SearchStrategy[Any],
    check: Callable[[Any], None],
    base: settings,
    examples: int,
) -> None:
    """Run ``check`` on examples of ``strategy`` under ``base`` settings, with the budget of ``where``."""
    settings(base, max_examples=budget(where, examples))(given(strategy)(check))()


def to_wire(body: Any) -> bytes:
    """A generated body as the bytes a server would send (lone surrogates escaped, as ``json`` does)."""
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    return json.dumps(body).encode("utf-8")
