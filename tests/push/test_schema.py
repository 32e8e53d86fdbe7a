"""The tables push/schema.py derives from the shipped effective spec match openapi/catalog.yaml field for field."""

from __future__ import annotations

import re
from typing import Any

from criteo_catalog_sdk.push import schema as s

_SCALARS = {"string": s.STR, "boolean": s.BOOL, "number": s.NUMBER}


def _kind(prop: dict[str, Any], schemas: dict[str, Any]) -> tuple[int, str | None]:
    if "$ref" in prop:
        return s.OBJECT, prop["$ref"].rsplit("/", 1)[1]
    if "anyOf" in prop:  # multipack: int64 or digit string (overlay D10)
        return s.INT_OR_DIGITS, None
    if "enum" in prop:
        assert prop["enum"] == ["online"]
        return s.CHANNEL, None
    t = prop["type"]
    if t == "integer":
        return (s.INT32 if prop.get("format") == "int32" else s.INT64), None
    if t == "array":
        items = prop["items"]
        if "$ref" in items:
            return s.OBJECT_LIST, items["$ref"].rsplit("/", 1)[1]
        assert items["type"] == "string"
        return s.STR_LIST, None
    if t == "object":
        assert prop["additionalProperties"]["items"]["type"] == "string"
        return s.STR_LIST_MAP, None
    return _SCALARS[t], None


def _check_object(name: str, fields: dict[str, s.FieldSpec], schemas: dict[str, Any]) -> None:
    sch = schemas[name]
    assert set(fields) == set(sch["properties"]), name
    for field, prop in sch["properties"].items():
        kind, ref = _kind(prop, schemas)
        spec = fields[field]
        assert spec.kind == kind, (name, field)
        if ref is not None:
            assert spec.obj is not None and spec.obj.name == ref, (name, field)
            assert spec.obj.required == frozenset(schemas[ref].get("required", ())), ref
            _check_object(ref, spec.obj.fields, schemas)


def test_product_fields_match_the_effective_spec(catalog_spec: dict[str, Any]) -> None:
    _check_object("Product", s.PRODUCT_FIELDS, catalog_spec["components"]["schemas"])


def test_every_object_spec_is_a_spec_schema(catalog_spec: dict[str, Any]) -> None:
    schemas = catalog_spec["components"]["schemas"]
    for name, spec in s.OBJECT_SPECS.items():
        _check_object(name, spec.fields, schemas)


def test_required_fields_are_the_specs(catalog_spec: dict[str, Any]) -> None:
    required = set(catalog_spec["components"]["schemas"]["Product"]["required"]) - {"channel"}
    assert set(s.REQUIRED_FIELDS) == required


def test_length_limits_are_the_ones_criteo_states_in_prose(published_spec: dict[str, Any]) -> None:
    """Facts sheet section 3: Criteo's spec states field lengths in descriptions ("up to 500 characters"),
    not as maxLength; the product id limit is ours. Each is applied to the field."""
    properties = published_spec["components"]["schemas"]["Product"]["properties"]
    stated = {
        name: int(match.group(1))
        for name, prop in properties.items()
        if (match := re.search(r"up to (\d+) characters", prop.get("description", "")))
    }
    assert {"id": s.PRODUCT_ID_MAX_LENGTH, **stated} == s.LENGTH_LIMITS
    for name, limit in s.LENGTH_LIMITS.items():
        if name in s.PRODUCT_FIELDS:
            assert s.PRODUCT_FIELDS[name].max_length == limit


def test_unknown_shapes_of_a_newer_spec_are_accepted_not_refused() -> None:
    schemas = {"X": {"properties": {"a": {"type": "string"}}}}
    assert s.field_spec({"oneOf": [{"type": "string"}]}, schemas).kind == s.ANY
    assert s.field_spec({"type": "array", "items": {"type": "integer"}}, schemas).kind == s.ANY
    assert s.field_spec({"type": "object"}, schemas).kind == s.ANY
    assert s.field_spec({"anyOf": [{"type": "integer"}, {"type": "string"}]}, schemas).kind == s.INT_OR_DIGITS
    nested = s.field_spec({"$ref": "#/components/schemas/X"}, schemas)
    assert nested.kind == s.OBJECT and nested.obj is not None and nested.obj.fields["a"].kind == s.STR
