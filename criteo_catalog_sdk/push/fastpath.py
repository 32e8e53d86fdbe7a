"""The validation fast path: is a product certainly valid as it is? Cheap, because products repeat.

Most products of a catalog share their shape: the same fields, in the same order. A product's keys
(``tuple(product)``, taken in C) are judged once against the Product tables and compiled into a plan:
one function that checks, field after field, the value's exact type and what the type alone does not
settle (lengths, URLs, ids, integer ranges, finite numbers, the items of lists, nested objects, themselves
planned by their keys), and collects the optional fields whose value is ``None`` (dropped). Checking a
product is then one dictionary lookup and one call. Anything unusual (an unknown field, a wrong type, a
missing required field, a failed check) answers ``None``, and the full check runs to report everything;
``tests/push/test_fastpath.py`` checks that both paths always agree.

Memory stays bounded: at most :data:`MAX_PLANS` key sets are kept (the cache starts over beyond).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, NamedTuple

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

__all__ = ["MAX_PLANS", "FastPath", "FieldCheck", "Run", "compile_checks"]

#: Key sets remembered per table (a catalog has a handful; a hostile feed must not grow memory).
MAX_PLANS: Final = 4096
#: A compiled plan: the fields to drop (``None`` values) when the mapping is certainly valid, else ``None``.
Run = Callable[[Mapping[str, Any]], tuple[str, ...] | None]
#: The names the compiled checks may use besides their helpers.
_BUILTINS: Final = {f.__name__: f for f in (len, type, str, bool, int, float, list)}
_GLOBALS: Final = {"__builtins__": _BUILTINS, "isfinite": math.isfinite, "URL_PREFIXES": URL_PREFIXES}
#: The expression of a value the fast path leaves to the full check.
_NEVER: Final = "False"


class FieldCheck(NamedTuple):
    """One field of a plan: ``expression`` (Python source, of ``v``) says whether its value is certainly
    valid, and ``items`` (of ``x``), if any, whether each of its items is (a list's); ``optional``: a
    ``None`` value is dropped rather than declined."""

    name: str
    expression: str
    optional: bool = False
    items: str | None = None


def compile_checks(checks: Sequence[FieldCheck], helpers: Mapping[str, Any] | None = None) -> Run:
    """One function that runs ``checks`` on a mapping holding every field named (``helpers``: functions
    the expressions call). It answers the names of the optional fields whose value is ``None``, or
    ``None`` as soon as a check fails. Field names enter the source only through ``repr``."""
    env: dict[str, Any] = {**_GLOBALS, **(helpers or {})}
    lines = ["def run(p):", "    drop = ()"]
    for name, expression, optional, items in checks:
        lines.append(f"    v = p[{name!r}]")
        indent = "    "
        if optional:
            lines += ["    if v is None:", f"        drop += ({name!r},)", "    else:"]
            indent = "        "
        lines += [f"{indent}if not ({expression}):", f"{indent}    return None"]
        if items is not None:  # a loop in the plan itself: no call per list
            lines += [f"{indent}for x in v:", f"{indent}    if not ({items}):", f"{indent}        return None"]
    lines.append("    return drop")
    exec("\n".join(lines), env)  # noqa: S102 - source built here (see above)
    return env["run"]  # type: ignore[no-any-return]


def _str_condition(name: str, limit: int, required: bool) -> str:
    """What a string value needs beyond its type, as an expression whose limits are int literals."""
    limit = int(limit)
    if name == "id":
        return f'v != "" and v.isascii() and v.isprintable() and v[0] != " " and v[-1] != " " and len(v) <= {limit}'
    if name in URL_FIELDS:
        return f"v.startswith(URL_PREFIXES) and len(v) <= {limit}" if limit else "v.startswith(URL_PREFIXES)"
    if required and limit:
        return f'v != "" and len(v) <= {limit}'
    if required:
        return 'v != ""'
    if limit:
        return f"len(v) <= {limit}"
    return "True"


def _int_condition(low: int, high: int) -> str:
    return f"type(v) is int and {int(low)} <= v <= {int(high)}"


class _Objects:
    """Nested objects of one schema (prices, shipping entries...), planned by their keys."""

    def __init__(self, spec: ObjectSpec) -> None:
        self.spec = spec
        self.plans: dict[tuple[str, ...], Run | None] = {}

    def ok(self, value: Any) -> bool:
        if type(value) is not dict:
            return False
        keys = tuple(value)
        run = self.plans.get(keys, _UNSEEN)
        if run is _UNSEEN:
            if len(self.plans) >= MAX_PLANS:
                self.plans.clear()
            run = self.plans[keys] = _plan(self.spec.fields, self.spec.required, keys, top_level=False)
        return run is not None and run(value) is not None


_UNSEEN: Any = object()
_OBJECTS: dict[int, _Objects] = {}


def _objects(spec: ObjectSpec) -> _Objects:
    found = _OBJECTS.get(id(spec))
    if found is None or found.spec is not spec:
        found = _OBJECTS[id(spec)] = _Objects(spec)
    return found


def _condition(name: str, field: FieldSpec, *, required: bool, helpers: dict[str, Any]) -> tuple[str, str | None]:
    """The expression of ``v`` that says a value of the field is certainly valid (its exact type: ``bool``
    is no ``int``, a ``str`` subclass no ``str``; and the checks the type does not settle), and for a list
    the expression of each item ``x``; :data:`_NEVER` for what is left to the full check. Nested objects'
    checks are added to ``helpers``."""
    code = field.kind
    if code == STR:
        return f"type(v) is str and {_str_condition(name, field.max_length, required)}", None
    if code == BOOL:
        return "type(v) is bool", None
    if code in (INT64, INT32):
        return _int_condition(*((INT32_MIN, INT32_MAX) if code == INT32 else (INT64_MIN, INT64_MAX))), None
    if code == NUMBER:
        return f"(type(v) is float and isfinite(v)) or ({_int_condition(INT64_MIN, INT64_MAX)})", None
    if code == STR_LIST:
        return "type(v) is list", "type(x) is str"
    if code in (OBJECT, OBJECT_LIST) and field.obj is not None:
        helper = f"object{len(helpers)}"
        helpers[helper] = _objects(field.obj).ok
        return (f"{helper}(v)", None) if code == OBJECT else ("type(v) is list", f"{helper}(x)")
    if code == CHANNEL:
        return 'type(v) is str and v == "online"', None
    return _NEVER, None  # INT_OR_DIGITS, STR_LIST_MAP, ANY: rare, left to the full check


def _plan(
    fields: Mapping[str, FieldSpec], required: frozenset[str], keys: tuple[str, ...], *, top_level: bool
) -> Run | None:
    """The plan of a mapping with these keys (``None``: such a mapping goes to the full check). At the
    top level an optional field's ``None`` is dropped; in a nested object the full check drops it."""
    if not required.issubset(keys):
        return None
    helpers: dict[str, Any] = {}
    checks: list[FieldCheck] = []
    for name in keys:
        field = fields.get(name)
        if field is None:
            return None
        is_required = name in required
        expression, items = _condition(name, field, required=is_required, helpers=helpers)
        optional = top_level and not is_required
        if expression == _NEVER and not optional:
            return None
        checks.append(FieldCheck(name, expression, optional, items))
    return compile_checks(checks, helpers)


class FastPath:
    """The fast path over one generation's Product tables."""

    def __init__(self, schema: ProductSchema) -> None:
        self.schema = schema
        self.required = frozenset(schema.required)
        self.plans: dict[tuple[str, ...], Run | None] = {}

    def plan(self, keys: tuple[str, ...]) -> Run | None:
        """The plan of a product with these keys, in this order (``None``: such a product goes to the
        full check)."""
        return _plan(self.schema.fields, self.required, keys, top_level=True)

    def ok(self, product: Mapping[str, Any]) -> tuple[str, ...] | None:
        """The top-level fields to drop if the product is otherwise certainly valid as is; ``None`` if
        the full check must run."""
        if type(product) is not dict:
            return None
        keys = tuple(product)
        run = self.plans.get(keys, _UNSEEN)
        if run is _UNSEEN:
            if len(self.plans) >= MAX_PLANS:
                self.plans.clear()
            run = self.plans[keys] = self.plan(keys)
        return None if run is None else run(product)
