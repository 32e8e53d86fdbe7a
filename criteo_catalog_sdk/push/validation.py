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
from criteo_catalog_sdk.push.fastpath import FastPath
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
    URL_PREFIXES,
    FieldSpec,
    ObjectSpec,
    ProductSchema,
    product_schema,
)

_SAME: Final = object()  # "value needs no normalization" marker


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


class ProductValidator:
    """Checks products against one generation's Product tables (see :func:`validate_product`)."""

    __slots__ = ("_fast", "schema")

    def __init__(self, schema: ProductSchema) -> None:
        self.schema = schema
        self._fast = FastPath(schema)

    def validate(
        self, product: Mapping[str, Any], unknown_fields: UnknownFields = "reject"
    ) -> tuple[dict[str, Any] | None, list[Issue]]:
        """Check one product (Criteo's camelCase field names) and normalize it for sending.

        Returns ``(normalized, [])`` when the product may be sent (a new dict: ``None`` values dropped,
        ``channel`` set to ``online``; the input is never modified), or ``(None, issues)`` listing
        everything wrong with it.
        """
        drop = self._fast.ok(product)  # the common case: a product valid as it is (see push/fastpath.py)
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
            and not value.startswith(URL_PREFIXES)
            and not value[:8].lower().startswith(URL_PREFIXES)
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
