"""Compile the OpenAPI 3.0 schema subset used by the request bodies into fast Python checkers.

A generic validator (jsonschema) costs tens of microseconds per product; the simulator must accept
20,000 products/s, so the request schema is compiled once into nested closures, each specialised for its
node. Criteo's messages name fields by dotted path without array indices ("entries.method"), so every
node's path is known at compile time and baked into its closure: nothing is formatted unless something
is wrong. Supported keywords: type, properties, required, items, additionalProperties, enum, pattern,
minItems, maxItems, uniqueItems, minimum, maximum, nullable, anyOf, allOf, format int32/int64, $ref, and the
overlay's ``x-criteo-error-name`` (the name Criteo's messages use for a property).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import orjson

from criteo_catalog_sdk.simulator.spec import resolve

ERROR_NAME_KEY = "x-criteo-error-name"

_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


class Findings:
    """What a check found: missing required fields, and other violations."""

    __slots__ = ("invalid", "missing")

    def __init__(self) -> None:
        self.missing: list[str] = []
        # (path, keyword, message)
        self.invalid: list[tuple[str, str, str]] = []

    def __bool__(self) -> bool:
        return bool(self.missing or self.invalid)


Checker = Callable[[Any, Findings], None]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def compile_schema(schema: Mapping[str, Any], root: Mapping[str, Any], path: str = "") -> Checker:
    """Compile ``schema`` (resolved against ``root`` for $refs) into a checker for values found at ``path``."""
    return _Compiler(root).compile(schema, path)


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root

    def compile(self, schema: Mapping[str, Any], path: str) -> Checker:
        schema = resolve(self.root, schema)
        parts: list[Checker] = []
        kind = schema.get("type")
        if kind == "object" or (kind is None and ("properties" in schema or "required" in schema)):
            parts.append(self._object(schema, path))
        elif kind == "array":
            parts.append(self._array(schema, path))
        elif kind == "string":
            parts.append(self._string(schema, path))
        elif kind == "integer":
            parts.append(self._integer(schema, path))
        elif kind == "number":
            parts.append(self._number(schema, path))
        elif kind == "boolean":
            parts.append(self._boolean(path))
        elif kind is not None:
            raise ValueError(f"unsupported type {kind!r} at {path}")
        if "anyOf" in schema:
            parts.append(self._any_of(schema["anyOf"], path))
        for sub in schema.get("allOf", ()):
            parts.append(self.compile(sub, path))
        if "enum" in schema and kind is None:
            parts.append(self._enum(schema["enum"], path))
        check = _sequence(parts)
        if schema.get("nullable"):
            return _nullable(check)
        return check

    def _leaf_type(self, schema: Mapping[str, Any]) -> type | None:
        """The Python type of a property that needs nothing but a type check (most product fields)."""
        kind = schema.get("type")
        if kind not in ("string", "boolean"):
            return None
        if set(schema) - {"type", "description", "default", "example", "readOnly", "writeOnly", ERROR_NAME_KEY}:
            return None
        return str if kind == "string" else bool

    def _object(self, schema: Mapping[str, Any], path: str) -> Checker:
        properties: dict[str, Checker] = {}
        leaves: dict[str, type] = {}
        names: dict[str, str] = {}
        for key, sub in (schema.get("properties") or {}).items():
            resolved = resolve(self.root, sub)
            name = str(resolved.get(ERROR_NAME_KEY, sub.get(ERROR_NAME_KEY, key)))
            names[key] = _join(path, name)
            leaf = self._leaf_type(resolved)
            if leaf is not None:
                leaves[key] = leaf
            else:
                properties[key] = self.compile(resolved, names[key])
        required = tuple((key, names.get(key, _join(path, key))) for key in schema.get("required", ()))
        required_keys = frozenset(key for key, _ in required)
        extra_schema = schema.get("additionalProperties")
        extra: Checker | None = None
        if isinstance(extra_schema, Mapping):
            extra = self.compile(extra_schema, _join(path, "*"))
        forbid_extra = extra_schema is False
        label = path or "body"
        # One lookup per field: a type for the fields that need only a type check, a checker otherwise.
        table: dict[str, type | Checker] = {**properties, **leaves}
        lookup = table.get
        type_names = {str: "a string", bool: "a boolean"}

        def check_object(value: Any, found: Findings) -> None:
            if type(value) is not dict:
                found.invalid.append((path, "type", f"{label}: expected an object"))
                return
            for key, name in required:
                # Criteo answers a null required field like a missing one.
                if value.get(key) is None:
                    found.missing.append(name)
            for key, item in value.items():
                entry = lookup(key)
                if entry is str or entry is bool:
                    if type(item) is not entry and not (item is None and key in required_keys):
                        found.invalid.append((names[key], "type", f"{names[key]}: expected {type_names[entry]}"))
                elif entry is not None:
                    if item is None and key in required_keys:
                        continue
                    entry(item, found)
                elif extra is not None:
                    extra(item, found)
                elif forbid_extra:
                    found.invalid.append((path, "additionalProperties", f"{label}: unexpected field {key!r}"))

        return check_object

    def _array(self, schema: Mapping[str, Any], path: str) -> Checker:
        items = self.compile(schema["items"], path) if "items" in schema else None
        min_items = schema.get("minItems")
        max_items = schema.get("maxItems")
        unique = schema.get("uniqueItems") is True
        label = path or "body"

        def check_array(value: Any, found: Findings) -> None:
            if type(value) is not list:
                found.invalid.append((path, "type", f"{label}: expected an array"))
                return
            if min_items is not None and len(value) < min_items:
                found.invalid.append((path, "minItems", f"{label}: expected at least {min_items} item(s)"))
            if max_items is not None and len(value) > max_items:
                found.invalid.append((path, "maxItems", f"{label}: expected at most {max_items} item(s)"))
            if unique and _has_equal_items(value):
                found.invalid.append((path, "uniqueItems", f"{label}: two items are identical"))
            if items is not None:
                for item in value:
                    items(item, found)

        return check_array

    def _string(self, schema: Mapping[str, Any], path: str) -> Checker:
        pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
        enum = frozenset(schema["enum"]) if "enum" in schema else None
        min_length = schema.get("minLength")
        max_length = schema.get("maxLength")
        if pattern is None and enum is None and min_length is None and max_length is None:

            def check_plain_string(value: Any, found: Findings) -> None:
                if type(value) is not str:
                    found.invalid.append((path, "type", f"{path}: expected a string"))

            return check_plain_string

        def check_string(value: Any, found: Findings) -> None:
            if type(value) is not str:
                found.invalid.append((path, "type", f"{path}: expected a string"))
                return
            if enum is not None and value not in enum:
                found.invalid.append((path, "enum", f"{path}: expected one of {', '.join(sorted(enum))}"))
            if pattern is not None and pattern.search(value) is None:
                found.invalid.append((path, "pattern", f"{path}: does not match {pattern.pattern}"))
            if min_length is not None and len(value) < min_length:
                found.invalid.append((path, "minLength", f"{path}: shorter than {min_length}"))
            if max_length is not None and len(value) > max_length:
                found.invalid.append((path, "maxLength", f"{path}: longer than {max_length}"))

        return check_string

    def _integer(self, schema: Mapping[str, Any], path: str) -> Checker:
        low, high = _INT_RANGES.get(str(schema.get("format")), (None, None))
        if "minimum" in schema:
            low = schema["minimum"] if low is None else max(low, schema["minimum"])
        if "maximum" in schema:
            high = schema["maximum"] if high is None else min(high, schema["maximum"])
        fmt = f" ({schema['format']})" if "format" in schema else ""

        def check_integer(value: Any, found: Findings) -> None:
            # bool is an int subclass in Python, not in JSON; 1.0 is not an integer in OpenAPI 3.0 (draft 4).
            if type(value) is not int:
                found.invalid.append((path, "type", f"{path}: expected an integer{fmt}"))
                return
            if (low is not None and value < low) or (high is not None and value > high):
                found.invalid.append((path, "range", f"{path}: {value} is out of range{fmt}"))

        return check_integer

    def _number(self, schema: Mapping[str, Any], path: str) -> Checker:
        low = schema.get("minimum")
        high = schema.get("maximum")

        def check_number(value: Any, found: Findings) -> None:
            if type(value) is not int and type(value) is not float:
                found.invalid.append((path, "type", f"{path}: expected a number"))
                return
            if (low is not None and value < low) or (high is not None and value > high):
                found.invalid.append((path, "range", f"{path}: {value} is out of range"))

        return check_number

    def _boolean(self, path: str) -> Checker:
        def check_boolean(value: Any, found: Findings) -> None:
            if type(value) is not bool:
                found.invalid.append((path, "type", f"{path}: expected a boolean"))

        return check_boolean

    def _enum(self, values: list[Any], path: str) -> Checker:
        allowed = list(values)

        def check_enum(value: Any, found: Findings) -> None:
            if not any(type(value) is type(v) and value == v for v in allowed):
                found.invalid.append((path, "enum", f"{path}: value not allowed"))

        return check_enum

    def _predicate(self, schema: Mapping[str, Any]) -> Callable[[Any], bool] | None:
        """A plain yes/no test for the simple branches of an anyOf (no allocation per check)."""
        schema = resolve(self.root, schema)
        simple = {"type", "format", "pattern", "description", "minimum", "maximum"}
        if set(schema) - simple:
            return None
        if schema.get("type") == "string" and set(schema) <= {"type", "pattern", "description"}:
            pattern = re.compile(schema.get("pattern", ""))
            return lambda value: type(value) is str and pattern.search(value) is not None
        if schema.get("type") == "integer" and set(schema) <= {"type", "format", "description", "minimum", "maximum"}:
            low, high = _INT_RANGES.get(str(schema.get("format")), (-(2**63), 2**63 - 1))
            low = max(low, schema.get("minimum", low))
            high = min(high, schema.get("maximum", high))
            return lambda value: type(value) is int and low <= value <= high
        return None

    def _any_of(self, branches: list[Mapping[str, Any]], path: str) -> Checker:
        predicates = [self._predicate(branch) for branch in branches]
        if all(p is not None for p in predicates):
            tests = [p for p in predicates if p is not None]

            def check_simple_any_of(value: Any, found: Findings) -> None:
                for test in tests:
                    if test(value):
                        return
                found.invalid.append((path, "anyOf", f"{path}: invalid value"))

            return check_simple_any_of
        compiled = [self.compile(branch, path) for branch in branches]

        def check_any_of(value: Any, found: Findings) -> None:
            for branch in compiled:
                scratch = Findings()
                branch(value, scratch)
                if not scratch:
                    return
            found.invalid.append((path, "anyOf", f"{path}: invalid value"))

        return check_any_of


def _has_equal_items(values: list[Any]) -> bool:
    """JSON Schema ``uniqueItems``: is any item equal to another? One pass over canonical JSON (1 and true differ)."""
    seen: set[bytes] = set()
    for value in values:
        key = _canonical_json(value)
        if key in seen:
            return True
        seen.add(key)
    return False


def _canonical_json(value: Any) -> bytes:
    """Sorted-keys compact JSON of a parsed value: orjson (fast), else json for what orjson cannot encode
    (integers beyond 64 bits, lone surrogates) or writes as ``null`` (NaN and infinities, which json
    spells apart). Equal values always take the same path."""
    try:
        out = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        if b"null" not in out:
            return out
    except (orjson.JSONEncodeError, TypeError):
        pass
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8", "surrogatepass")


def _json_equal(a: Any, b: Any) -> bool:
    if type(a) is bool or type(b) is bool:
        return type(a) is type(b) and a == b
    if type(a) is dict and type(b) is dict:
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if type(a) is list and type(b) is list:
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) and (type(a) in (int, float)) == (type(b) in (int, float))


def _sequence(parts: list[Checker]) -> Checker:
    if not parts:
        return _accept
    if len(parts) == 1:
        return parts[0]

    def check_all(value: Any, found: Findings) -> None:
        for part in parts:
            part(value, found)

    return check_all


def _accept(value: Any, found: Findings) -> None:
    return None


def _nullable(check: Checker) -> Checker:
    def check_nullable(value: Any, found: Findings) -> None:
        if value is not None:
            check(value, found)

    return check_nullable
