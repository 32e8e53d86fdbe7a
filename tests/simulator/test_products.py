from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from criteo_catalog_sdk.simulator.products import ProductLimits, check_id, check_product, check_product_in_detail

from .conftest import product

LIMITS = ProductLimits()


def types(issues: list[tuple[str, str]]) -> list[str]:
    return [t for t, _ in issues]


def test_a_good_product_has_nothing_to_report() -> None:
    assert check_product(product("sku-1", description="x" * 5000, badge="https://x.example/b.png"), LIMITS) == ([], [])


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"id": ""}, ["MissingID"]),
        ({"id": "   "}, ["MissingID"]),
        ({"id": "café"}, ["NonAsciiId"]),
        ({"id": "a\tb"}, ["InvalidProductId"]),
        ({"id": "x" * 241}, ["OverlargeID"]),
        ({"id": "x" * 240}, []),
        ({"title": ""}, ["MissingName"]),
        ({"title": "t" * 501}, ["UnknownError"]),
        ({"link": ""}, ["MissingURL"]),
        ({"link": "https://x.example/" + "a" * 1000}, ["OverlargeURL"]),
        ({"link": "/relative/path"}, ["InvalidProductUrl"]),
        ({"link": "ftp://x.example/a"}, ["InvalidProductUrl"]),
        ({"link": "https://x.example/a b"}, ["InvalidProductUrl"]),
        ({"imageLink": ""}, ["MissingImages"]),
        ({"imageLink": "https://x.example/" + "a" * 2000}, ["OverlargeBigImage"]),
        ({"imageLink": "x.example/a.jpg"}, ["InvalidBigImageUrl"]),
        ({"additionalImageLinks": ["https://x.example/ok.jpg", "nope"]}, ["InvalidSmallImageUrl"]),
        ({"additionalImageLinks": ["https://x.example/" + "a" * 2000]}, ["OverlargeSmallImage"]),
        ({"description": "d" * 5001}, ["UnknownError"]),
        ({"itemGroupId": "g" * 51}, ["UnknownError"]),
        ({"sellerId": "s" * 50}, []),
        ({"title": "", "link": "", "imageLink": ""}, ["MissingName", "MissingURL", "MissingImages"]),
    ],
)
def test_errors(fields: dict[str, Any], expected: list[str]) -> None:
    errors, warnings = check_product(product("sku-1", **fields), LIMITS)
    assert types(errors) == expected
    assert warnings == []


def test_messages() -> None:
    errors, _ = check_product(product("sku-1", imageLink="https://x.example/" + "a" * 2024), LIMITS)
    # Worded as Criteo's documented FAILED report.
    assert errors == [("OverlargeBigImage", '{"Length":2042}')]
    errors, _ = check_product(product("sku-1", title="t" * 501), LIMITS)
    assert errors == [("UnknownError", '{"Field": "title", "Length": 501, "MaxLength": 500}')]


def test_badge_warnings() -> None:
    assert types(check_product(product("a", badge="not a url"), LIMITS)[1]) == ["InvalidBadgeUrl"]
    assert types(check_product(product("a", badge="https://x.example/" + "b" * 2000), LIMITS)[1]) == [
        "OverlargeBadgeUrl"
    ]


def test_id_limit_is_configurable() -> None:
    assert types(check_id("x" * 11, ProductLimits(max_id_length=10))) == ["OverlargeID"]
    assert types(check_id(None, LIMITS)) == ["MissingID"]


fields = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=3), st.just("x" * 241), st.just("ok-id")),
        "title": st.one_of(st.text(max_size=3), st.just("t" * 501)),
        "link": st.sampled_from(["", " ", "https://a.example/x", "nope", "http://a.example/" + "l" * 1000]),
        "imageLink": st.sampled_from(["", "https://a.example/i.jpg", "i.jpg", "https://a.example/" + "i" * 2000]),
        "description": st.sampled_from(["", "d", "d" * 5001]),
        "sellerId": st.sampled_from(["s", "s" * 51]),
        "badge": st.sampled_from(["", "https://a.example/b", "b", "https://a.example/" + "b" * 2000, 5]),
        "additionalImageLinks": st.lists(
            st.sampled_from(["https://a.example/x", "x", "", "https://a.example/" + "x" * 2000, None]), max_size=3
        ),
    },
)


@settings(max_examples=500, deadline=None)
@given(fields)
def test_the_shortcut_agrees_with_the_detailed_checks(found: dict[str, Any]) -> None:
    candidate = {**product("ok-id"), **found}
    assert check_product(candidate, LIMITS) == check_product_in_detail(candidate, LIMITS)
