"""Client-side product checks (facts sheet section 3 plus the Product schema's basic types).

Cheap by design: one pass over the product's keys with the precomputed tables of
:mod:`criteo_catalog_sdk.push.schema`; a string field (the common case) costs one dict lookup, one
``type() is`` and, for the few limited fields, one ``len``. Two paths: a fast one accepts a product
that is valid as is (the common case) with straight-line checks; anything else goes through the
full check, which finds and reports every problem (field, value length, limit). A rejected product
is never sent. A hypothesis test keeps both paths in agreement.

Normalization (what is sent): ``None`` values dropped at every level, ``channel`` set to ``online``.
Unknown fields are rejected by default: the Product schema allows them, but a misspelt field
(``image_link``, ``salesPrice``) would otherwise be silently ignored by Criteo.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final

from criteo_catalog_sdk.api_versions import ApiVersion
from criteo_catalog_sdk.ids import check_product_id, int64_from_digits, too_long
from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.push.options import UnknownFields
from criteo_catalog_sdk.push.schema import (
    ANY,
    BOOL,
    CHANNEL,
    INT32,
    INT32_MAX,
    INT32_MIN,
    INT64,
    INT64_MAX,
    INT64_MIN,
    INT_OR_DIGITS,
    KIND_NAMES,
    NUMBER,
    OBJECT,
    OBJECT_LIST,
    STR,
    STR_LIST,
    STR_LIST_MAP,
    URL_FIELDS,
    FieldSpec,
    ObjectSpec,
    ProductSchema,
    product_schema,
)

_SAME: Final = object()  # "value needs no normalization" marker
_URL_PREFIXES: Final = ("https://", "http://")


def _wrong_type(path: str, value: object, spec: FieldSpec) -> Issue:
    return Issue("WrongType", f"{path}: expected {KIND_NAMES[spec.kind]}, got {type(value).__name__}", path)


def _is_int(value: object) -> bool:
    # bool is an int subclass; True must not pass for a count.
    return type(value) is int or (isinstance(value, int) and not isinstance(value, bool))


def _check_value(path: str, value: Any, spec: FieldSpec, unknown: UnknownFields) -> tuple[list[Issue] | None, Any]:
    """Check a non-None value against its spec: (issues or None, normalized value or ``_SAME``)."""
    kind = spec.kind
    if kind == STR:
        if isinstance(value, str):
            if spec.max_length and len(value) > spec.max_length:
                return [too_long(path, value, spec.max_length)], _SAME
            return None, _SAME
        return [_wrong_type(path, value, spec)], _SAME
    if kind == OBJECT and spec.obj is not None:
        return _check_object(path, value, spec.obj, unknown)
    if kind == STR_LIST:
        if type(value) is not list and not isinstance(value, list | tuple):
            return [_wrong_type(path, value, spec)], _SAME
        has_none = False
        for i, item in enumerate(value):
            if type(item) is not str and not isinstance(item, str):
                if item is None:
                    has_none = True
                    continue
                return [Issue("WrongType", f"{path}[{i}]: expected string, got {type(item).__name__}", path)], _SAME
        return None, ([v for v in value if v is not None] if has_none else _SAME)
    if kind == BOOL:
        return (None if type(value) is bool else [_wrong_type(path, value, spec)]), _SAME
    if kind in (INT64, INT32):
        if not _is_int(value):
            return [_wrong_type(path, value, spec)], _SAME
        lo, hi = (INT32_MIN, INT32_MAX) if kind == INT32 else (INT64_MIN, INT64_MAX)
        if not lo <= value <= hi:
            return [Issue("InvalidValue", f"{path}: {value} is out of range [{lo}, {hi}]", path)], _SAME
        return None, _SAME
    if kind == NUMBER:
        if type(value) is float or (isinstance(value, float)):
            if not math.isfinite(value):
                return [Issue("InvalidValue", f"{path}: {value} is not a finite number", path)], _SAME
            return None, _SAME
        if _is_int(value):
            if not INT64_MIN <= value <= INT64_MAX:
                return [Issue("InvalidValue", f"{path}: {value} is out of range", path)], _SAME
            return None, _SAME
        return [_wrong_type(path, value, spec)], _SAME
    if kind == OBJECT_LIST and spec.obj is not None:
        if not isinstance(value, list | tuple):
            return [_wrong_type(path, value, spec)], _SAME
        issues: list[Issue] = []
        fixed: list[Any] | None = None
        for i, item in enumerate(value):
            if item is None:
                fixed = fixed if fixed is not None else list(value[:i])
                continue
            sub, norm = _check_object(f"{path}[{i}]", item, spec.obj, unknown)
            if sub:
                issues.extend(sub)
            if fixed is None and norm is not _SAME:
                fixed = list(value[:i])
            if fixed is not None:
                fixed.append(item if norm is _SAME else norm)
        return (issues or None), (_SAME if fixed is None else fixed)
    if kind == STR_LIST_MAP:
        if type(value) is not dict:
            return [_wrong_type(path, value, spec)], _SAME
        for k, v in value.items():
            if not isinstance(k, str) or not isinstance(v, list | tuple) or not all(isinstance(s, str) for s in v):
                return [Issue("WrongType", f"{path}.{k}: expected an array of strings", path)], _SAME
        return None, _SAME
    if kind == INT_OR_DIGITS:
        if _is_int(value):
            ok = INT64_MIN <= value <= INT64_MAX
        elif isinstance(value, str):
            number = int64_from_digits(value)
            if number is not None:  # sent as the integer, the published type (overlay D10)
                return None, number
            ok = False
        else:
            return [_wrong_type(path, value, spec)], _SAME
        return (None if ok else [Issue("InvalidValue", f"{path}: {value!r} is not an int64", path)]), _SAME
    if kind == CHANNEL:
        if value == "online":
            return None, _SAME
        return [Issue("InvalidValue", f'{path}: {value!r} is not a valid channel (only "online")', path)], _SAME
    if kind == ANY:  # a shape of a newer spec this module does not know: Criteo is the judge
        return None, _SAME
    raise AssertionError(f"unknown kind {kind}")  # pragma: no cover


def _check_object(path: str, value: Any, ospec: ObjectSpec, unknown: UnknownFields) -> tuple[list[Issue] | None, Any]:
    if type(value) is not dict:
        return [Issue("WrongType", f"{path}: expected object {ospec.name}, got {type(value).__name__}", path)], _SAME
    issues: list[Issue] | None = None
    changes: dict[str, Any] | None = None  # key -> new value, or _SAME marker meaning "drop"
    fields = ospec.fields
    for k, v in value.items():
        fs = fields.get(k)
        if v is None or (fs is None and unknown == "drop"):
            changes = changes or {}
            changes[k] = _SAME
            continue
        if fs is None:
            if unknown == "reject":
                issues = issues or []
                issues.append(Issue("UnknownField", f"{path}.{k}: not a field of {ospec.name}", f"{path}.{k}"))
            continue
        if fs.kind == STR and type(v) is str:
            continue
        sub, norm = _check_value(f"{path}.{k}", v, fs, unknown)
        if sub:
            issues = issues or []
            issues.extend(sub)
        elif norm is not _SAME:
            changes = changes or {}
            changes[k] = norm
    for r in ospec.required:
        if value.get(r) is None:
            issues = issues or []
            issues.append(Issue("MissingField", f"{path}.{r} is required", f"{path}.{r}"))
    if issues:
        return issues, _SAME
    if changes is None:
        return None, _SAME
    out = {k: changes.get(k, v) for k, v in value.items()}
    return None, {k: v for k, v in out.items() if v is not _SAME}


# --- the fast path ---------------------------------------------------------------------------------
# A product that is valid as is (the overwhelming majority) is checked by straight-line code over
# precomputed tables with literal kind codes, and copied whole. Anything unusual (an unknown field,
# a None inside a nested object, any problem) makes it answer None, and the full check runs to
# report everything. tests/push/test_validation.py checks that both paths always agree.

# (kind code, length limit, nested (fast table, required fields) for objects and lists of objects)
_FastSpec = tuple[int, int, "tuple[dict[str, _FastSpec], frozenset[str]] | None"]


def _fast_table(fields: Mapping[str, FieldSpec]) -> dict[str, _FastSpec]:
    table: dict[str, _FastSpec] = {}
    for name, spec in fields.items():
        sub = None if spec.obj is None else (_fast_table(spec.obj.fields), spec.obj.required)
        table[name] = (spec.kind, spec.max_length, sub)
    return table


# The literals used below; a renumbering of the kinds must fail loudly at import.
if (STR, BOOL, INT64, INT32, NUMBER, STR_LIST, OBJECT, OBJECT_LIST, STR_LIST_MAP, INT_OR_DIGITS, CHANNEL) != (
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
):  # pragma: no cover
    raise ImportError("criteo_catalog_sdk.push.schema kinds were renumbered: update validation's fast path")


def _fast_object(value: Any, table: dict[str, _FastSpec], required: frozenset[str]) -> bool:
    if type(value) is not dict:
        return False
    for k, v in value.items():
        spec = table.get(k)
        if spec is None:
            return False
        if spec[0] == 0:  # STR (nested strings have no length limit)
            if type(v) is not str:
                return False
        elif not _fast_value(spec, v):
            return False
    for r in required:  # noqa: SIM110 - a plain loop is cheaper than all(<genexpr>)
        if value.get(r) is None:
            return False
    return True


def _fast_value(spec: _FastSpec, value: Any) -> bool:
    """Whether a non-None value of a non-string field is certainly valid as is."""
    code = spec[0]
    if code == 5:  # STR_LIST
        if type(value) is not list:
            return False
        for item in value:  # noqa: SIM110
            if type(item) is not str:
                return False
        return True
    if code == 6:  # OBJECT
        return spec[2] is not None and _fast_object(value, *spec[2])
    if code == 1:  # BOOL
        return type(value) is bool
    if code == 2:  # INT64
        return type(value) is int and INT64_MIN <= value <= INT64_MAX
    if code == 3:  # INT32
        return type(value) is int and INT32_MIN <= value <= INT32_MAX
    if code == 4:  # NUMBER: a finite float, or an int64
        if type(value) is float:
            return value - value == 0.0  # false for inf and nan
        return type(value) is int and INT64_MIN <= value <= INT64_MAX
    if code == 7:  # OBJECT_LIST
        if type(value) is not list or spec[2] is None:
            return False
        table, required = spec[2]
        for item in value:  # noqa: SIM110
            if not _fast_object(item, table, required):
                return False
        return True
    if code == 10:  # CHANNEL
        return bool(value == "online")
    return False  # STR_LIST_MAP, INT_OR_DIGITS: rare, left to the full check


def _fast_ok(product: Mapping[str, Any], fields: dict[str, _FastSpec]) -> list[str] | None:
    """The top-level fields to drop (their value is None) if the product is otherwise certainly valid
    as is; ``None`` if the full check must run."""
    drop: list[str] = []
    for name, value in product.items():
        spec = fields.get(name)
        if spec is None:
            return None
        if spec[0] == 0:  # STR, the common case
            if type(value) is not str:
                if value is None:
                    drop.append(name)
                    continue
                return None
            limit = spec[1]
            if limit and len(value) > limit:
                return None
        elif value is None:
            drop.append(name)
        elif not _fast_value(spec, value):
            return None
    pid = product.get("id")
    if not pid or not pid.isascii() or not pid.isprintable() or pid[0] == " " or pid[-1] == " ":
        return None
    if not product.get("title"):
        return None
    link = product.get("link")
    if not link or not link.startswith(_URL_PREFIXES):
        return None
    image = product.get("imageLink")
    if not image or not image.startswith(_URL_PREFIXES):
        return None
    return drop


class ProductValidator:
    """Checks products against one generation's Product tables (see :func:`validate_product`)."""

    __slots__ = ("_fast", "schema")

    def __init__(self, schema: ProductSchema) -> None:
        self.schema = schema
        self._fast = _fast_table(schema.fields)

    def validate(
        self, product: Mapping[str, Any], unknown_fields: UnknownFields = "reject"
    ) -> tuple[dict[str, Any] | None, list[Issue]]:
        """Check one product (Criteo's camelCase field names) and normalize it for sending.

        Returns ``(normalized, [])`` when the product may be sent (a new dict: ``None`` values dropped,
        ``channel`` set to ``online``; the input is never modified), or ``(None, issues)`` listing
        everything wrong with it.
        """
        drop = _fast_ok(product, self._fast)
        if drop is not None:
            out = dict(product)  # copying a dict whole is several times cheaper than rebuilding it
            for name in drop:
                del out[name]
            out["channel"] = "online"
            return out, []
        return _validate_full(product, unknown_fields, self.schema)


_VALIDATORS: dict[str, ProductValidator] = {}


def product_validator(api_version: str | ApiVersion | None = None) -> ProductValidator:
    """The validator of a generation's Product schema (default: the SDK's default generation)."""
    schema = product_schema(api_version)
    found = _VALIDATORS.get(schema.api_version)
    if found is None or found.schema is not schema:
        found = _VALIDATORS[schema.api_version] = ProductValidator(schema)
    return found


def validate_product(
    product: Mapping[str, Any], unknown_fields: UnknownFields = "reject", api_version: str | ApiVersion | None = None
) -> tuple[dict[str, Any] | None, list[Issue]]:
    """Check one product against a generation's Product schema; see :meth:`ProductValidator.validate`."""
    return product_validator(api_version).validate(product, unknown_fields)


def _validate_full(
    product: Mapping[str, Any], unknown_fields: UnknownFields, schema: ProductSchema
) -> tuple[dict[str, Any] | None, list[Issue]]:
    issues: list[Issue] | None = None
    changes: dict[str, Any] | None = None  # field -> normalized value, or _SAME meaning "drop"
    fields = schema.fields
    for name, value in product.items():
        spec = fields.get(name)
        if spec is not None:
            if spec[0] == STR and type(value) is str:  # the hot path: a plain string field
                limit = spec[1]
                if limit and len(value) > limit:
                    issues = issues or []
                    issues.append(too_long(name, value, limit))
                continue
            if value is None:
                changes = changes or {}
                changes[name] = _SAME
                continue
            sub, norm = _check_value(name, value, spec, unknown_fields)
            if sub:
                issues = issues or []
                issues.extend(sub)
            elif norm is not _SAME:
                changes = changes or {}
                changes[name] = norm
        elif value is None or unknown_fields == "drop":
            changes = changes or {}
            changes[name] = _SAME
        elif unknown_fields == "reject":
            issues = issues or []
            issues.append(Issue("UnknownField", f"{name!r} is not a Product field", str(name)))

    for name in schema.required:
        value = product.get(name)
        if value is None or value == "":
            issues = issues or []
            issues.append(Issue("MissingField", f"{name} is required", name))
        elif name == "id":
            if type(value) is str and (not value.isascii() or not value.isprintable() or value.strip() != value):
                issues = issues or []
                issues.extend(i for i in check_product_id(value) if i.type != "TooLong")  # TooLong already seen
        elif (
            name in URL_FIELDS
            and type(value) is str
            and not value.startswith(_URL_PREFIXES)
            and not value[:8].lower().startswith(_URL_PREFIXES)
        ):
            issues = issues or []
            issues.append(Issue("InvalidValue", f"{name} must be an absolute http(s) URL", name, len(value)))

    if issues:
        return None, issues
    if changes is None:
        out = dict(product)
    else:
        out = {k: changes.get(k, v) for k, v in product.items()}
        out = {k: v for k, v in out.items() if v is not _SAME}
    if "channel" not in out:
        out["channel"] = "online"
    return out, []


def as_product_mapping(obj: object) -> Mapping[str, Any]:
    """Accept a dict, any mapping, or a model with ``to_dict()`` (the generated ``Product``).

    Raises ``TypeError`` for anything else.
    """
    if type(obj) is dict:
        return obj
    to_dict = getattr(obj, "to_dict", None)
    if to_dict is not None and callable(to_dict):
        d = to_dict()
        if isinstance(d, Mapping):
            return d
    if isinstance(obj, Mapping):
        return obj
    raise TypeError(f"a product must be a mapping or a model, got {type(obj).__name__}")


__all__ = [
    "ProductValidator",
    "UnknownFields",
    "as_product_mapping",
    "product_validator",
    "validate_product",
]
