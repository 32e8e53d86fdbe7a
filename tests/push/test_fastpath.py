"""The validation fast path never disagrees with the full check (push/fastpath.py's promise).

Whatever a product holds, ``ProductValidator.validate`` (fast path first) must answer exactly what the full
check alone answers: the same normalized product, or the same issues. Products are generated from each
generation's own Product tables, valid values and every way to be wrong mixed field by field.
"""

from __future__ import annotations

import copy
import decimal
import enum
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteo_catalog_sdk.api_versions import API_VERSIONS, ApiVersion, get_api_version
from criteo_catalog_sdk.push import fastpath
from criteo_catalog_sdk.push import schema as s
from criteo_catalog_sdk.push.fastpath import FastPath
from criteo_catalog_sdk.push.schema import FieldSpec, ObjectSpec, ProductSchema, product_schema
from criteo_catalog_sdk.push.validation import ProductValidator, _validate_full

from .conftest import product

WRONG: st.SearchStrategy[Any] = st.sampled_from(
    [None, 1, -1, 2**40, 1.5, math.nan, math.inf, True, "", " x ", "x", [], {}, ["x"], [1]]
)


def text(limit: int) -> st.SearchStrategy[str]:
    near = [max(limit - 1, 0), limit, limit + 1] if limit else [0, 1, 300]
    return st.one_of(
        st.text(max_size=12),
        st.sampled_from(near).map(lambda n: "a" * n),
        st.sampled_from(["", " ", " lead", "trail ", "tab\there", "é", "https://x.example/a", "http://x", "ftp://x"]),
    )


def value_of(name: str, spec: FieldSpec, depth: int = 0) -> st.SearchStrategy[Any]:
    code = spec.kind
    good: st.SearchStrategy[Any]
    if code == s.STR:
        good = st.sampled_from(["https://shop.example/p", "http://shop.example/p"]) if name in s.URL_FIELDS else text(0)
        good = st.one_of(good, text(spec.max_length))
    elif code == s.BOOL:
        good = st.booleans()
    elif code in (s.INT32, s.INT64):
        good = st.one_of(st.integers(-5, 5), st.sampled_from([2**31 - 1, 2**31, -(2**31) - 1, 2**63, -(2**63) - 1]))
    elif code == s.NUMBER:
        good = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(2**64), 2**64))
    elif code == s.STR_LIST:
        good = st.lists(st.one_of(text(0), WRONG), max_size=3)
    elif code == s.OBJECT and spec.obj is not None and depth < 2:
        good = object_of(spec.obj, depth + 1)
    elif code == s.OBJECT_LIST and spec.obj is not None and depth < 2:
        good = st.lists(st.one_of(object_of(spec.obj, depth + 1), WRONG), max_size=2)
    elif code == s.CHANNEL:
        good = st.sampled_from(["online", "local", "ONLINE", ""])
    else:
        good = st.one_of(st.integers(), st.text(max_size=5))
    return st.one_of(good, good, good, WRONG)  # mostly plausible values, sometimes any wrong type


def object_of(spec: ObjectSpec, depth: int) -> st.SearchStrategy[dict[str, Any]]:
    names = sorted(spec.fields)
    return st.fixed_dictionaries(
        {},
        optional={name: value_of(name, spec.fields[name], depth) for name in names} | {"unknownNested": st.just("x")},
    )


def products_of(schema: ProductSchema) -> st.SearchStrategy[dict[str, Any]]:
    """A valid product with one to three fields changed (or added, or removed): mostly one thing wrong at a
    time, so that the fast path is asked about products it might wrongly take."""
    base = product(id="SKU-1")
    fields = sorted(schema.fields)
    change = st.sampled_from([*fields, "notAField"]).flatmap(
        lambda name: st.tuples(st.just(name), value_of(name, schema.fields[name]) if name in schema.fields else WRONG)
    )
    return st.builds(
        lambda changed, dropped: {k: v for k, v in {**base, **dict(changed)}.items() if k not in dropped},
        st.lists(change, min_size=1, max_size=3),
        st.sets(st.sampled_from(sorted(base)), max_size=1),
    )


def both(validator: ProductValidator, item: dict[str, Any], unknown: str = "reject") -> None:
    snapshot = copy.deepcopy(item)
    full = _validate_full(item, unknown, validator.schema)  # type: ignore[arg-type]
    fast = validator.validate(item, unknown)  # type: ignore[arg-type]
    assert repr(fast) == repr(full)  # repr: NaN != NaN, but prints the same
    assert repr(item) == repr(snapshot)  # neither path modifies the input


@pytest.mark.parametrize("generation", API_VERSIONS)
def test_the_fast_path_agrees_with_the_full_check(generation: str) -> None:
    schema = product_schema(generation)
    validator = ProductValidator(schema)

    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(item=products_of(schema), repeat=st.integers(1, 2), unknown=st.sampled_from(["reject", "drop", "keep"]))
    def check(item: dict[str, Any], repeat: int, unknown: str) -> None:
        for _ in range(repeat):  # the second time, the signature's plan is cached
            both(validator, item, unknown)

    check()


EDGE_TEXT = ["", " ", " lead", "trail ", "tab\there", "é", "a\x00b", "https://x.example/a", "http://x", "ftp://x", "x"]
EDGE_NUMBERS = [0, -1, 2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63 - 1, 2**63, 1.5, math.nan, -math.inf]


def edges(spec: FieldSpec, depth: int = 0) -> list[Any]:
    """Every edge value of a field: each text and number edge, lengths around its limit, wrong types, and
    for nested objects each edge of each nested field on its own."""
    wrong: list[Any] = [None, True, [], {}, ["x"], [1], "x", 1]
    if spec.kind == s.STR:
        limit = spec.max_length
        return EDGE_TEXT + (["a" * (limit - 1), "a" * limit, "a" * (limit + 1)] if limit else []) + wrong
    if spec.kind in (s.INT32, s.INT64, s.NUMBER):
        return EDGE_NUMBERS + wrong
    if spec.kind == s.STR_LIST:
        return [[t] for t in EDGE_TEXT] + [[None], [1], ["a", 2]] + wrong
    if spec.kind in (s.OBJECT, s.OBJECT_LIST) and spec.obj is not None and depth < 2:
        nested: list[Any] = [{}] + [
            {name: value} for name, field in sorted(spec.obj.fields.items()) for value in edges(field, depth + 1)
        ]
        nested += [{**dict.fromkeys(spec.obj.required, "x")}, {**dict.fromkeys(spec.obj.required, "x"), "zz": 1}]
        return (nested if spec.kind == s.OBJECT else [[n] for n in nested]) + wrong
    return [*EDGE_TEXT, True, False, *EDGE_NUMBERS, *wrong]


@pytest.mark.parametrize("generation", API_VERSIONS)
def test_every_edge_of_every_field_alone(generation: str) -> None:
    schema = product_schema(generation)
    validator = ProductValidator(schema)
    cases = 0
    for name, field in sorted(schema.fields.items()):
        for value in edges(field):
            for _ in range(2):  # the second time, from the cached plan
                both(validator, {**product(), name: value})
            cases += 1
    assert cases > 1000  # the catalog of edges really was walked


def test_the_fast_path_takes_the_common_product_and_declines_what_it_cannot_settle() -> None:
    fast = FastPath(product_schema())
    assert fast.ok(product()) == ()
    assert fast.ok({**product(), "gtin": None}) == ("gtin",)
    for bad in (
        {"title": "a" * 10_000},  # over the limit
        {"id": " SKU-1"},  # id with a leading space
        {"link": "ftp://shop.example/p"},  # not http(s)
        {"customAttributes": [{"name": "colour"}]},  # nested required field missing
        {"price": {"value": "1.00", "currency": "EUR", "extra": 1}},  # nested unknown field
        {"notAField": 1},  # unknown field
        {"title": 5},  # wrong type
        {"id": None},  # a required field missing
    ):
        assert fast.ok({**product(), **bad}) is None, bad
    assert fast.ok(dict(list(product().items()))) == ()  # the same signature again, from the cache


def test_a_generation_that_requires_more_fields_is_held_to_them_on_both_paths() -> None:
    preview = get_api_version("preview")
    spec, published = copy.deepcopy(preview.spec), copy.deepcopy(preview.published)
    for document in (spec, published):
        document["components"]["schemas"]["Product"]["required"].append("gtin")
    validator = ProductValidator(product_schema(ApiVersion("gtin-required", published=published, spec=spec)))
    item = {k: v for k, v in product().items() if k != "gtin"}
    for _ in range(2):
        normalized, issues = validator.validate(item)
        assert normalized is None and [(i.type, i.field) for i in issues] == [("MissingField", "gtin")]
    both(validator, item)


def test_the_plans_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastpath, "MAX_PLANS", 3)
    fast = FastPath(product_schema())
    for order in range(5):  # the same fields in five orders: five key sets
        fields = list(product().items())
        item = dict(fields[order:] + fields[:order])
        assert fast.ok(item) == ()
        assert len(fast.plans) <= 3
    assert len(fast.plans) == 2  # started over at the fourth


class Colour(enum.Enum):
    RED = "red"


class Size(enum.StrEnum):
    M = "M"


class Count(enum.IntEnum):
    ONE = 1


#: Values a looser reader takes for their ``.value`` or as numbers (jsonschema-rs does, and was tried
#: as a first check for that reason): the SDK refuses them, on both paths, naming the field.
LOOKALIKES = [
    ("color", Colour.RED),
    ("availability", Size.M),
    ("id", Size.M),
    ("numberOfReviews", Count.ONE),
    ("displayAdsValue", decimal.Decimal("1.5")),
    ("sizes", [Colour.RED]),
    ("price", {"value": decimal.Decimal("1.00"), "currency": "EUR"}),
    ("loyaltyPoints", {"pointsValue": Count.ONE}),
]


@pytest.mark.parametrize(("name", "value"), LOOKALIKES)
def test_lookalike_values_get_the_full_checks_answer(name: str, value: Any) -> None:
    validator = ProductValidator(product_schema())
    item = {**product(), name: value}
    for _ in range(2):  # the second time, from the cached plan
        both(validator, item)
    assert FastPath(product_schema()).ok(item) is None  # exact types only: the full check decides
