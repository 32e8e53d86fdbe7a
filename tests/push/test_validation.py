from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteo_catalog_sdk.models import Price, Product
from criteo_catalog_sdk.push.result import Issue
from criteo_catalog_sdk.push.schema import product_schema
from criteo_catalog_sdk.push.validation import (
    _validate_full,
    as_product_mapping,
    product_validator,
    validate_product,
)

from .conftest import product


def issues_of(p: dict[str, Any], **kw: Any) -> list[Issue]:
    out, issues = validate_product(p, **kw)
    assert (out is None) == bool(issues)
    return issues


def types(p: dict[str, Any], **kw: Any) -> set[tuple[str, str | None]]:
    return {(i.type, i.field) for i in issues_of(p, **kw)}


def test_valid_product_is_normalized_without_touching_the_input() -> None:
    p = product()
    out, issues = validate_product(p)
    assert issues == []
    assert out == {**p, "channel": "online"}
    assert "channel" not in p


def test_none_values_are_dropped_at_every_level() -> None:
    p = product(googleProductCategory=None)
    p["googleProductCategory"] = None
    p["price"] = {"value": "1.00", "currency": None}
    p["shipping"] = [{"country": "FR", "price": {"value": "3", "currency": None}}, None]
    p["sizes"] = ["S", None, "M"]
    out, issues = validate_product(p)
    assert issues == []
    assert out is not None
    assert "googleProductCategory" not in out
    assert out["price"] == {"value": "1.00"}
    assert out["shipping"] == [{"country": "FR", "price": {"value": "3"}}]
    assert out["sizes"] == ["S", "M"]
    assert p["price"] == {"value": "1.00", "currency": None}  # input untouched


@pytest.mark.parametrize("field", ["id", "title", "link", "imageLink"])
def test_required_fields(field: str) -> None:
    assert ("MissingField", field) in types(product(**{field: None}))
    assert ("MissingField", field) in types(product(**{field: ""}))


def test_channel_defaults_to_online_and_rejects_anything_else() -> None:
    out, _ = validate_product(product(channel="online"))
    assert out is not None and out["channel"] == "online"
    assert types(product(channel="local")) == {("InvalidValue", "channel")}


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("title", 500),
        ("description", 5000),
        ("link", 1000),
        ("imageLink", 2000),
        ("itemGroupId", 50),
        ("externalSellerId", 50),
        ("externalSellerName", 50),
        ("sellerId", 50),
        ("id", 240),
    ],
)
def test_length_limits_report_field_length_and_limit(field: str, limit: int) -> None:
    base = "https://x.example/" if field in ("link", "imageLink") else ""
    ok = base + "a" * (limit - len(base))
    assert issues_of(product(**{field: ok})) == []
    too_long = ok + "a"
    (issue,) = issues_of(product(**{field: too_long}))
    assert (issue.type, issue.field, issue.length, issue.limit) == ("TooLong", field, limit + 1, limit)


def test_ids_must_be_ascii_printable_and_trimmed() -> None:
    assert ("NonAsciiId", "id") in types(product(id="caf\u00e9"))
    assert ("InvalidId", "id") in types(product(id="a\tb"))
    assert ("InvalidId", "id") in types(product(id=" a"))
    assert ("InvalidId", "id") in types(product(id="a "))
    assert issues_of(product(id="A b-1_/.:#")) == []


def test_urls_must_be_http() -> None:
    assert ("InvalidValue", "link") in types(product(link="www.example.com/p"))
    assert ("InvalidValue", "imageLink") in types(product(imageLink="ftp://x/y.jpg"))
    assert issues_of(product(link="HTTPS://EXAMPLE.COM/P")) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", 12),
        ("brand", ["a"]),
        ("adult", "false"),
        ("adult", 0),
        ("numberOfReviews", True),
        ("numberOfReviews", 1.5),
        ("numberOfReviews", "3"),
        ("displayAdsValue", "1.2"),
        ("additionalImageLinks", "https://x/a.jpg"),
        ("additionalImageLinks", ["https://x/a.jpg", 3]),
        ("price", "49.99 EUR"),
        ("price", {"value": 49.99, "currency": "EUR"}),
        ("customAttributes", {"name": "a", "value": "b"}),
        ("customAttributes", [{"name": "a", "value": 1}]),
        ("filters", {"size": "M"}),
        ("multipack", 2.0),
        ("shippingWeight", {"value": "2", "unit": "kg"}),
        ("installment", {"amount": {"value": 10}, "months": 3}),
    ],
)
def test_wrong_types_are_reported(field: str, value: Any) -> None:
    issues = issues_of(product(**{field: value}))
    assert issues and all(i.type == "WrongType" for i in issues), issues
    assert all(i.field is not None and i.field.startswith(field) for i in issues)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("numberOfReviews", 2**31),
        ("maxHandlingTime", 2**63),
        ("displayAdsValue", math.inf),
        ("displayAdsValue", math.nan),
        ("multipack", "12a"),
    ],
)
def test_out_of_range_values(field: str, value: Any) -> None:
    assert types(product(**{field: value})) == {("InvalidValue", field)}


def test_nested_required_and_unknown_fields() -> None:
    assert ("MissingField", "customAttributes[0].value") in types(product(customAttributes=[{"name": "a"}]))
    assert ("UnknownField", "price.amount") in types(product(price={"amount": "1"}))


def test_valid_rich_product() -> None:
    p = product(
        multipack="6",
        numberOfReviews=12,
        displayAdsValue=3,
        shippingWeight={"value": 2.5, "unit": "kg"},
        unitPricingBaseMeasure={"value": 100, "unit": "g"},
        customAttributes=[{"name": "fit", "value": "slim"}],
        filters={"size": ["S", "M"]},
        installment={"amount": {"value": "10", "currency": "EUR"}, "months": 6},
        loyaltyPoints={"name": "pts", "pointsValue": 10, "ratio": 0.5},
        taxes=[{"country": "FR", "rate": 20.0, "taxShip": True}],
        shipping=[{"country": "FR", "price": {"value": "3.99", "currency": "EUR"}, "locationId": 7}],
        sizes=("S", "M"),
    )
    assert issues_of(p) == []


@pytest.mark.parametrize(("given", "sent"), [("6", 6), ("-3", -3), (6, 6)])
def test_multipack_is_sent_as_the_integer(given: object, sent: int) -> None:
    # Overlay D10: Criteo's text asks for a string, the published type is int64; the SDK sends the integer.
    out, issues = validate_product(product(multipack=given))
    assert issues == [] and out is not None
    assert out["multipack"] == sent and type(out["multipack"]) is int


@pytest.mark.parametrize("given", ["--5", "99999999999999999999", "5.0", "٣", ""])
def test_multipack_strings_that_are_no_int64_are_rejected_per_product(given: str) -> None:
    assert types(product(multipack=given)) == {("InvalidValue", "multipack")}


def test_unknown_fields_policy() -> None:
    p = product(image_link="https://x/y.jpg")
    assert types(p) == {("UnknownField", "image_link")}
    out, issues = validate_product(p, unknown_fields="drop")
    assert issues == [] and out is not None and "image_link" not in out
    out, issues = validate_product(p, unknown_fields="keep")
    assert issues == [] and out is not None and out["image_link"] == "https://x/y.jpg"


def test_every_problem_is_reported_at_once() -> None:
    p = product(title="t" * 501, adult="no", link=None, foo=1)
    assert types(p) == {("TooLong", "title"), ("WrongType", "adult"), ("MissingField", "link"), ("UnknownField", "foo")}


def test_models_and_mappings_are_accepted() -> None:
    model = Product(
        id="M1", title="T", link="https://x/p", image_link="https://x/i.jpg", price=Price(value="1", currency="EUR")
    )
    mapping = as_product_mapping(model)
    out, issues = validate_product(mapping)
    assert issues == [] and out is not None and out["imageLink"] == "https://x/i.jpg"
    with pytest.raises(TypeError):
        as_product_mapping(42)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=6,
)
plausible = st.sampled_from(
    [
        "x",
        "",
        " a",
        "https://x/y",
        "http://x",
        "caf\u00e9",
        "a" * 60,
        ["a", "b"],
        [],
        {"value": "1", "currency": "EUR"},
        {"value": "1", "other": "x"},
        {"value": 1},
        {"value": "1", "currency": None},
        [{"country": "FR", "price": {"value": "1"}}],
        [{"country": "FR", "locationId": True}],
        [{"country": "FR"}, None],
        None,
        True,
        0,
        2**31,
        1.5,
        float("inf"),
        "online",
    ]
)
field_names = st.sampled_from(
    [
        *("id", "title", "link", "imageLink", "brand", "itemGroupId", "price", "sizes", "adult", "channel"),
        *("numberOfReviews", "displayAdsValue", "maxHandlingTime", "shipping", "multipack", "x"),
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(field_names, plausible | json_values, max_size=6).map(lambda d: {**product(), **d}))
def test_fast_path_agrees_with_the_full_check(p: dict[str, Any]) -> None:
    """Whatever the input, the fast path never accepts what the full check rejects, and never raises."""
    full_out, full_issues = _validate_full(p, "reject", product_schema())
    drop = product_validator()._fast.ok(p)
    if drop is not None:
        assert full_issues == []
        assert full_out == {**{k: v for k, v in p.items() if k not in drop}, "channel": "online"}
    out, issues = validate_product(p)
    assert (out is None) == bool(issues)
    assert issues == full_issues
