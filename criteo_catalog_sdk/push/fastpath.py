"""The validation fast path: is a product certainly valid as it is? Cheap, because products repeat.

Most products of a catalog share their shape: the same fields, of the same types. A *signature* (the
product's keys and the types of its values, both taken in C: ``tuple(p)``, ``tuple(map(type, ...))``)
is judged once against the Product tables and compiled into a :class:`Plan`: which fields to drop
(``None`` values) and the few value checks the types alone do not settle (lengths, URLs, ids, integer
ranges, finite numbers, the items of lists, nested objects, themselves by signature). Checking a product
is then one dictionary lookup and one call of the plan's function, those checks compiled into it.
Anything unusual (an unknown field, a wrong type, a missing required field, a failed check) answers
``None``, and the full check runs to report everything; ``tests/push/test_fastpath.py`` checks that
both paths always agree.

Memory stays bounded: at most :data:`MAX_PLANS` signatures are kept (the cache starts over beyond).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Final

from criteo_catalog_sdk.ids import INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN
from criteo_catalog_sdk.push.schema import (
    BOOL,
    CHANNEL,
    INT32,
    INT64,
    NUMBER,
    OBJECT,
    OBJECT_LIST,
    STR,
    STR_LIST,
    URL_FIELDS,
    URL_PREFIXES,
    FieldSpec,
    ObjectSpec,
    ProductSchema,
)

__all__ = ["MAX_PLANS", "FastPath", "Plan"]

#: Signatures remembered per table (a catalog has a handful; a hostile feed must not grow memory).
MAX_PLANS: Final = 4096
Check = Callable[[Any], bool]
Signature = tuple[tuple[str, ...], tuple[type, ...]]
#: The names the compiled checks may use.
_GLOBALS: Final = {"__builtins__": {"len": len}, "isfinite": math.isfinite, "URL_PREFIXES": URL_PREFIXES}


class Plan:
    """What a product of one signature needs beyond its types: fields to drop, checks to run (``run``:
    all of them compiled into one function, see :func:`compile_checks`)."""

    __slots__ = ("checks", "drop", "run")

    def __init__(self, drop: tuple[str, ...], checks: tuple[tuple[str, Check], ...]) -> None:
        self.drop = drop
        self.checks = checks
        self.run = compile_checks(checks)


def _expression(expr: str) -> Check:
    """A check written once, as an expression of ``v`` whose limits are literals: callable as it is, and
    inlined by :func:`compile_checks` (one function call per product instead of one per field)."""
    check: Check = eval(f"lambda v: {expr}", dict(_GLOBALS))  # noqa: S307 - our templates, int literals
    setattr(check, "expression", expr)  # noqa: B010 - an attribute of this function object
    return check


def compile_checks(checks: tuple[tuple[str, Check], ...]) -> Callable[[Mapping[str, Any]], bool]:
    """One function that runs ``checks`` on a mapping (each ``(field, check)`` on ``mapping[field]``) and
    says whether all pass: expression checks inlined, the others called. Field names enter the source only
    through ``repr``."""
    env: dict[str, Any] = dict(_GLOBALS)
    lines = ["def run(p):"]
    for i, (name, check) in enumerate(checks):
        expr = getattr(check, "expression", None)
        if expr is None:
            env[f"check{i}"] = check
            expr = f"check{i}(v)"
        lines += [f"    v = p[{name!r}]", f"    if not ({expr}):", "        return False"]
    lines.append("    return True")
    exec("\n".join(lines), env)  # noqa: S102 - source built here (see above)
    return env["run"]  # type: ignore[no-any-return]


def _str_check(name: str, limit: int, required: bool) -> Check | None:
    limit = int(limit)  # a literal in the expressions below
    if name == "id":
        return _expression(
            f'v != "" and v.isascii() and v.isprintable() and v[0] != " " and v[-1] != " " and len(v) <= {limit}'
        )
    if name in URL_FIELDS:
        url = "v.startswith(URL_PREFIXES)"
        return _expression(f"{url} and len(v) <= {limit}" if limit else url)
    if required and limit:
        return _expression(f'v != "" and len(v) <= {limit}')
    if required:
        return _expression('v != ""')
    if limit:
        return _expression(f"len(v) <= {limit}")
    return None


def _int_check(low: int, high: int) -> Check:
    return _expression(f"{int(low)} <= v <= {int(high)}")


_float_ok: Final = _expression("isfinite(v)")


def _str_list_ok(v: list[Any]) -> bool:
    for item in v:  # noqa: SIM110 - cheaper than all(<genexpr>)
        if type(item) is not str:
            return False
    return True


class _Objects:
    """Nested objects by signature (prices, shipping entries...), with their own plans."""

    def __init__(self, spec: ObjectSpec) -> None:
        self.spec = spec
        self.plans: dict[Signature, Callable[[Mapping[str, Any]], bool] | None] = {}

    def ok(self, value: Any) -> bool:
        if type(value) is not dict:
            return False
        signature = (tuple(value), tuple(map(type, value.values())))
        run = self.plans.get(signature, _UNSEEN)
        if run is _UNSEEN:
            if len(self.plans) >= MAX_PLANS:
                self.plans.clear()
            checks = _object_checks(self.spec, signature)
            run = self.plans[signature] = None if checks is None else compile_checks(checks)
        return run is not None and run(value)


_UNSEEN: Any = object()
_OBJECTS: dict[int, _Objects] = {}


def _objects(spec: ObjectSpec) -> _Objects:
    found = _OBJECTS.get(id(spec))
    if found is None or found.spec is not spec:
        found = _OBJECTS[id(spec)] = _Objects(spec)
    return found


def _object_checks(spec: ObjectSpec, signature: Signature) -> tuple[tuple[str, Check], ...] | None:
    """Nested objects: every field known, none None (the full check drops those), required present."""
    checks: list[tuple[str, Check]] = []
    for name, kind in zip(*signature, strict=True):
        field = spec.fields.get(name)
        if field is None or kind is type(None):
            return None
        check = _value_check(name, field, kind, required=False)
        if check is False:
            return None
        if check is not None and check is not True:
            checks.append((name, check))
    if not spec.required <= set(signature[0]):
        return None
    return tuple(checks)


def _value_check(name: str, field: FieldSpec, kind: type, *, required: bool) -> Check | bool | None:
    """The check a value of type ``kind`` needs beyond its type; ``None``: none; ``False``: this type
    can never be right here (or is left to the full check)."""
    code = field.kind
    if code == STR:
        return _str_check(name, field.max_length, required) if kind is str else False
    if code == BOOL:
        return None if kind is bool else False
    if code in (INT64, INT32):
        if kind is not int:
            return False
        return _int_check(*((INT32_MIN, INT32_MAX) if code == INT32 else (INT64_MIN, INT64_MAX)))
    if code == NUMBER:
        if kind is float:
            return _float_ok
        return _int_check(INT64_MIN, INT64_MAX) if kind is int else False
    if code == STR_LIST:
        return _str_list_ok if kind is list else False
    if code == OBJECT and field.obj is not None:
        return _objects(field.obj).ok if kind is dict else False
    if code == OBJECT_LIST and field.obj is not None:
        if kind is not list:
            return False
        nested = _objects(field.obj).ok

        def each(v: list[Any]) -> bool:
            for item in v:  # noqa: SIM110
                if not nested(item):
                    return False
            return True

        return each
    if code == CHANNEL:
        return _expression('v == "online"') if kind is str else False
    return False  # INT_OR_DIGITS, STR_LIST_MAP, ANY: rare, left to the full check


class FastPath:
    """The fast path over one generation's Product tables."""

    def __init__(self, schema: ProductSchema) -> None:
        self.schema = schema
        self.required = frozenset(schema.required)
        self.plans: dict[Signature, Plan | None] = {}

    def plan(self, signature: Signature) -> Plan | None:
        """The plan of a product signature (``None``: such a product goes to the full check)."""
        fields = self.schema.fields
        drop: list[str] = []
        checks: list[tuple[str, Check]] = []
        present: set[str] = set()
        for name, kind in zip(*signature, strict=True):
            field = fields.get(name)
            if field is None:
                return None
            if kind is type(None):
                drop.append(name)
                continue
            present.add(name)
            check = _value_check(name, field, kind, required=name in self.required)
            if check is False:
                return None
            if check is not None and check is not True:
                checks.append((name, check))
        if not self.required <= present:
            return None
        return Plan(tuple(drop), tuple(checks))

    def ok(self, product: Mapping[str, Any]) -> tuple[str, ...] | None:
        """The top-level fields to drop if the product is otherwise certainly valid as is; ``None`` if
        the full check must run."""
        if type(product) is not dict:
            return None
        signature = (tuple(product), tuple(map(type, product.values())))
        plan = self.plans.get(signature, _UNSEEN)
        if plan is _UNSEEN:
            if len(self.plans) >= MAX_PLANS:
                self.plans.clear()
            plan = self.plans[signature] = self.plan(signature)
        if plan is None or not plan.run(product):
            return None
        return plan.drop  # type: ignore[no-any-return]
