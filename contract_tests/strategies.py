"""Hypothesis strategies drawn from the effective spec, through schemathesis's public API.

- :func:`request_cases`: requests the effective spec accepts (``positive``) or rejects (``negative``) for
  one operation: bodies, path parameters, query parameters.
- :func:`response_bodies`: bodies of a response schema (``ReportOkResponse``...), valid or invalid under
  the effective spec. schemathesis generates request bodies only, so each response schema is exposed as
  the request body of a synthetic operation of a copy of the spec (same ``components``): the generator
  that fuzzes servers then fuzzes the SDK's parsers.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import schemathesis
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


@lru_cache(maxsize=1)
def _effective_schema() -> Any:
    return schemathesis.openapi.from_dict(specs.effective())


@lru_cache(maxsize=1)
def _response_schema() -> Any:
    document = specs.effective()
    paths: dict[str, Any] = {}
    for name in RESPONSE_SCHEMAS:
        paths[f"/{name}"] = {
            "post": {
                "operationId": f"Generate{name}",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                },
                "responses": {"200": {"description": "unused"}},
            }
        }
    synthetic = {
        "openapi": document["openapi"],
        "info": {"title": "response bodies of the effective spec", "version": "1"},
        "paths": paths,
        "components": document["components"],
    }
    return schemathesis.openapi.from_dict(synthetic)


def request_cases(method: str, template: str, mode: str = "positive") -> st.SearchStrategy[Any]:
    """schemathesis ``Case`` objects for ``method template`` of the effective spec."""
    strategy: st.SearchStrategy[Any] = _effective_schema()[template][method.upper()].as_strategy(
        generation_mode=_MODES[mode]
    )
    return strategy


def response_bodies(schema_name: str, mode: str = "positive") -> st.SearchStrategy[Any]:
    """Bodies of the component schema ``schema_name``: valid (``positive``) or invalid (``negative``).

    Negative bodies may be raw ``bytes`` (not JSON at all); everything else is a JSON value.
    """
    if schema_name not in RESPONSE_SCHEMAS:
        raise ValueError(f"no strategy for {schema_name}; expected one of {RESPONSE_SCHEMAS}")
    operation = _response_schema()[f"/{schema_name}"]["POST"]
    strategy: st.SearchStrategy[Any] = operation.as_strategy(generation_mode=_MODES[mode]).map(lambda case: case.body)
    return strategy


def to_wire(body: Any) -> bytes:
    """A generated body as the bytes a server would send (lone surrogates escaped, as ``json`` does)."""
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    return json.dumps(body).encode("utf-8")
