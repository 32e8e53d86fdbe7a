"""Precomputed tables of the Product schema, for cheap per-product checks, one set per API generation.

Validation runs once per product on catalogs of millions, so it must not walk a JSON Schema: it looks
each key up in a table of fields and compares ``type(value)`` against a small integer kind. The tables
(:class:`ProductSchema`) are derived once per generation, on first use, from that generation's
effective spec shipped with the generated code (``criteo_catalog_sdk/_generated/<module>/catalog.json``):
when Criteo's spec changes, ``make update-spec`` regenerates it and validation follows. Only the
length limits, which Criteo states in prose, are written here. The module-level tables
(:data:`PRODUCT_FIELDS`...) are those of the default generation.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Final, NamedTuple

from criteo_catalog_sdk.api_versions import ApiVersion, get_api_version
from criteo_catalog_sdk.ids import INT32_MAX as INT32_MAX  # one definition each, re-exported for the push
from criteo_catalog_sdk.ids import INT32_MIN as INT32_MIN
from criteo_catalog_sdk.ids import INT64_MAX as INT64_MAX
from criteo_catalog_sdk.ids import INT64_MIN as INT64_MIN
from criteo_catalog_sdk.ids import PRODUCT_ID_MAX_LENGTH as PRODUCT_ID_MAX_LENGTH

# Kinds of values. Small ints: compared with ``is``/``==`` in the hot loop.
STR: Final = 0
BOOL: Final = 1
INT64: Final = 2
INT32: Final = 3
NUMBER: Final = 4
STR_LIST: Final = 5
OBJECT: Final = 6
OBJECT_LIST: Final = 7
STR_LIST_MAP: Final = 8
INT_OR_DIGITS: Final = 9  # multipack: int64 or a digit string (overlay D10); we accept both
CHANNEL: Final = 10
ANY: Final = 11  # a shape this module does not know (a newer spec): accepted as it is

KIND_NAMES: Final[dict[int, str]] = {
    STR: "string",
    BOOL: "boolean",
    INT64: "integer",
    INT32: "integer (int32)",
    NUMBER: "number",
    STR_LIST: "array of strings",
    OBJECT: "object",
    OBJECT_LIST: "array of objects",
    STR_LIST_MAP: "object of string arrays",
    INT_OR_DIGITS: "integer",
    CHANNEL: '"online"',
    ANY: "any value",
}


class ObjectSpec(NamedTuple):
    """The fields of a nested object schema and which of them are required."""

    name: str
    fields: dict[str, FieldSpec]
    required: frozenset[str]


class FieldSpec(NamedTuple):
    """How one field is checked: its kind, its length limit (0: none) and, for objects, their spec."""

    kind: int
    max_length: int = 0
    obj: ObjectSpec | None = None


# Length limits Criteo states in prose (facts sheet section 3), not as ``maxLength``: applied to the
# fields the spec has. The product id limit is ours (see PRODUCT_ID_MAX_LENGTH).
LENGTH_LIMITS: Final[dict[str, int]] = {
    "id": PRODUCT_ID_MAX_LENGTH,
    "title": 500,
    "description": 5000,
    "link": 1000,
    "imageLink": 2000,
    "itemGroupId": 50,
    "externalSellerId": 50,
    "externalSellerName": 50,
    "sellerId": 50,
}

_SCALAR_KINDS: Final[dict[str, int]] = {"string": STR, "boolean": BOOL, "number": NUMBER}


def field_spec(prop: Mapping[str, Any], schemas: Mapping[str, Any], max_length: int = 0) -> FieldSpec:
    """How a property of the effective spec is checked. Shapes this module does not know are accepted
    as they are (ANY): a new kind of field in a new revision of Criteo's spec must not be refused."""
    if "$ref" in prop:
        return FieldSpec(OBJECT, 0, object_spec(_ref_name(prop["$ref"]), schemas))
    variants = prop.get("anyOf")
    if isinstance(variants, list):
        types = {v.get("type") for v in variants if isinstance(v, dict)}
        return FieldSpec(INT_OR_DIGITS) if types == {"integer", "string"} else FieldSpec(ANY)
    if prop.get("enum") == ["online"]:
        return FieldSpec(CHANNEL)
    kind = prop.get("type")
    if kind == "integer":
        return FieldSpec(INT32 if prop.get("format") == "int32" else INT64)
    if kind == "array":
        items = prop.get("items", {})
        if "$ref" in items:
            return FieldSpec(OBJECT_LIST, 0, object_spec(_ref_name(items["$ref"]), schemas))
        return FieldSpec(STR_LIST) if items.get("type") == "string" else FieldSpec(ANY)
    if kind == "object":
        extra = prop.get("additionalProperties")
        is_map = (
            isinstance(extra, dict) and extra.get("type") == "array" and extra.get("items", {}).get("type") == "string"
        )
        return FieldSpec(STR_LIST_MAP) if is_map else FieldSpec(ANY)
    if kind == "string":
        return FieldSpec(STR, max_length)
    return FieldSpec(_SCALAR_KINDS.get(str(kind), ANY))


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def object_spec(name: str, schemas: Mapping[str, Any]) -> ObjectSpec:
    """The :class:`ObjectSpec` of a component schema (nested objects have no length limits)."""
    schema = schemas[name]
    fields = {field: field_spec(prop, schemas) for field, prop in schema.get("properties", {}).items()}
    return ObjectSpec(name, fields, frozenset(schema.get("required", ())))


def _product_fields(schemas: Mapping[str, Any]) -> dict[str, FieldSpec]:
    properties = schemas["Product"]["properties"]
    return {field: field_spec(prop, schemas, LENGTH_LIMITS.get(field, 0)) for field, prop in properties.items()}


#: Fields that must be absolute http(s) URLs (Criteo's InvalidProductUrl / InvalidBigImageUrl).
URL_FIELDS: Final = frozenset({"link", "imageLink"})
#: What a URL field must start with (the full check also accepts other letter cases and reports them).
URL_PREFIXES: Final = ("https://", "http://")


class ProductSchema(NamedTuple):
    """The Product tables of one API generation.

    ``fields``: every Product field (camelCase, as on the wire) -> how it is checked; ``required``: the
    fields required by the effective spec (channel excepted: it defaults to online), non-empty for
    Criteo (MissingID / MissingName / MissingURL / MissingImages); ``objects``: every nested object
    schema reachable from Product, by schema name.
    """

    api_version: str
    fields: dict[str, FieldSpec]
    required: tuple[str, ...]
    objects: dict[str, ObjectSpec]


def _collect(fields: Mapping[str, FieldSpec], into: dict[str, ObjectSpec]) -> dict[str, ObjectSpec]:
    for spec in fields.values():
        if spec.obj is not None and spec.obj.name not in into:
            into[spec.obj.name] = spec.obj
            _collect(spec.obj.fields, into)
    return into


@functools.cache
def _schema_of(version: ApiVersion) -> ProductSchema:
    schemas = version.spec["components"]["schemas"]
    fields = _product_fields(schemas)
    required = tuple(name for name in schemas["Product"].get("required", ()) if name != "channel")
    return ProductSchema(version.name, fields, required, _collect(fields, {}))


def product_schema(api_version: str | ApiVersion | None = None) -> ProductSchema:
    """The Product tables of a generation (default: the SDK's default), built once per generation."""
    return _schema_of(get_api_version(api_version))


_DEFAULT: Final = product_schema()
#: The default generation's tables (see :func:`product_schema` for another generation's).
PRODUCT_FIELDS: Final[dict[str, FieldSpec]] = _DEFAULT.fields
REQUIRED_FIELDS: Final = _DEFAULT.required
OBJECT_SPECS: Final[dict[str, ObjectSpec]] = _DEFAULT.objects
