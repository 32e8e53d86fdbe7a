"""The fast path's first check: a JSON Schema of a product that is certainly valid as it is, run in Rust.

``jsonschema-rs`` checks a product's fields in compiled code, at about half the cost of the fast
path's Python checks (:mod:`criteo_catalog_sdk.push.fastpath`). The schema is derived from one
generation's Product tables and says less than the SDK's rules, never more: whatever it accepts, the full
check accepts unchanged (``tests/push/test_fastpath.py`` holds the three checks in agreement). So it
leaves out what JSON Schema cannot say the SDK's way:

- ``None`` anywhere: the SDK drops it, a schema can only accept or refuse it (refused here, so the
  Python plan, which drops it, decides);
- integers: since draft 6, JSON Schema's ``integer`` takes ``1.0``, and the SDK does not. The schema
  is a draft 4 one, whose ``integer`` is a number without a fraction part (the tests hold
  ``jsonschema-rs`` to it);
- digit strings sent as integers (``multipack``, overlay D10): a change, so never "valid as it is".

``jsonschema-rs`` refuses to read some values at all (a ``str`` subclass, lone surrogates): the caller
treats that as "not certain" too (:data:`UNREADABLE`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import jsonschema_rs

from criteo_catalog_sdk.ids import INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN
from criteo_catalog_sdk.push.schema import (
    ANY,
    BOOL,
    CHANNEL,
    INT32,
    INT64,
    NUMBER,
    OBJECT,
    OBJECT_LIST,
    STR,
    STR_LIST,
    STR_LIST_MAP,
    URL_FIELDS,
    FieldSpec,
    ProductSchema,
)

__all__ = ["EXPRESSIBLE", "UNREADABLE", "product_json_schema", "valid_as_is_checker"]

#: The kinds of field the schema can accept as they are (not a digit string, which the SDK changes).
EXPRESSIBLE: Final = frozenset(
    {STR, BOOL, INT64, INT32, NUMBER, STR_LIST, OBJECT, OBJECT_LIST, CHANNEL, STR_LIST_MAP, ANY}
)
#: What ``jsonschema-rs`` raises for a value it cannot read (the product then goes to the Python plan).
UNREADABLE: Final = (ValueError, TypeError, OverflowError, RecursionError)
#: A product id: printable ASCII, no space at either end (``ids.check_product_id``'s rule).
_ID_PATTERN: Final = r"^[!-~](?:[ -~]*[!-~])?$"
#: The URL fields' prefixes (``schema.URL_PREFIXES``) as a pattern.
_URL_PATTERN: Final = r"^https?://"
_STRINGS: Final = {"type": "array", "items": {"type": "string"}}
#: No value (draft 4 has no ``false`` schema).
_NEVER: Final[dict[str, Any]] = {"not": {}}


def product_json_schema(schema: ProductSchema) -> dict[str, Any]:
    """The JSON Schema (draft 4) of a product certainly valid as it is, under one generation's tables."""
    return _object(schema.fields, frozenset(schema.required), top_level=True)


def valid_as_is_checker(schema: ProductSchema) -> Callable[[Mapping[str, Any]], bool]:
    """``jsonschema-rs``'s ``is_valid`` for :func:`product_json_schema` (it may raise :data:`UNREADABLE`)."""
    validator = jsonschema_rs.Draft4Validator(product_json_schema(schema))  # draft 4: see the module's docstring
    is_valid: Callable[[Mapping[str, Any]], bool] = validator.is_valid
    return is_valid


def _object(fields: Mapping[str, FieldSpec], required: frozenset[str], *, top_level: bool) -> dict[str, Any]:
    properties = {name: _value(name, spec, required=top_level and name in required) for name, spec in fields.items()}
    out: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:  # draft 4 wants at least one name in a "required"
        out["required"] = sorted(required)
    return out


def _value(name: str, field: FieldSpec, *, required: bool) -> dict[str, Any]:
    """A field's schema; ``required``: a required top-level field, which Criteo also wants non-empty."""
    code = field.kind
    if code not in EXPRESSIBLE:
        return _NEVER
    if code in (INT64, INT32):
        low, high = (INT32_MIN, INT32_MAX) if code == INT32 else (INT64_MIN, INT64_MAX)
        return {"type": "integer", "minimum": low, "maximum": high}
    if code == STR:
        out: dict[str, Any] = {"type": "string"}
        if required:
            out["minLength"] = 1
        if field.max_length:
            out["maxLength"] = field.max_length
        if name == "id":
            out["pattern"] = _ID_PATTERN
        elif name in URL_FIELDS:
            out["pattern"] = _URL_PATTERN
        return out
    if code == BOOL:
        return {"type": "boolean"}
    if code == NUMBER:  # a float (finite) or an int64: bounds that keep out larger integers
        return {"type": "number", "minimum": INT64_MIN, "maximum": INT64_MAX}
    if code == STR_LIST:
        return _STRINGS
    if code in (OBJECT, OBJECT_LIST):
        if field.obj is None:
            return _NEVER
        nested = _object(field.obj.fields, field.obj.required, top_level=False)
        return nested if code == OBJECT else {"type": "array", "items": nested}
    if code == CHANNEL:
        return {"enum": ["online"]}
    if code == STR_LIST_MAP:
        return {"type": "object", "additionalProperties": _STRINGS}
    return {"not": {"type": "null"}}  # ANY: anything but None, which the SDK drops
