"""The text rules shared by CSV, TSV and XML (Google's conventions included) and product assembly."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from criteo_catalog_sdk.push.feeds.attributes import lookup
from criteo_catalog_sdk.push.feeds.values import Assembler, convert_text, split_groups


def conv(name: str, text: str, **kw: Any) -> Any:
    attr = lookup(name)
    assert attr is not None, name
    return convert_text(attr, text, **kw)


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("price", "49.99 EUR", {"value": "49.99", "currency": "EUR"}),
        ("price", "EUR 49.99", {"value": "49.99", "currency": "EUR"}),
        ("sale_price", "15usd", {"value": "15", "currency": "USD"}),
        ("price", "10", {"value": "10"}),
        ("price", "1,299.00 USD", {"value": "1299.00", "currency": "USD"}),
        ("price", "USD 12,345,678.5", {"value": "12345678.5", "currency": "USD"}),
        ("price", "49,99 EUR", {"value": "49.99", "currency": "EUR"}),
        ("price", "1.299,00 EUR", {"value": "1299.00", "currency": "EUR"}),
        ("price", "EUR 7,5", {"value": "7.5", "currency": "EUR"}),
        ("shipping_weight", "1,5 kg", {"value": 1.5, "unit": "kg"}),
        ("availability", "in_stock", "in stock"),
        ("availability", "In Stock", "in stock"),
        ("availability", "out_of_stock", "out of stock"),
        ("availability", "preorder", "preorder"),
        ("identifier_exists", "no", False),
        ("identifier_exists", "TRUE", True),
        ("is_bundle", "y", True),
        ("multipack", "6", 6),
        ("shipping_weight", "2 kg", {"value": 2, "unit": "kg"}),
        ("shipping_length", "30.5 cm", {"value": 30.5, "unit": "cm"}),
        ("unit_pricing_base_measure", "100 ml", {"value": 100, "unit": "ml"}),
        ("additional_image_link", "https://x/1.jpg, https://x/2.jpg", ["https://x/1.jpg", "https://x/2.jpg"]),
        ("additionalImageLinks", "https://x/1.jpg | https://x/2.jpg", ["https://x/1.jpg", "https://x/2.jpg"]),
        ("product_type", "Home > Women > Dresses", ["Home > Women > Dresses"]),
        ("size", "XL, tall", ["XL, tall"]),
        (
            "shipping",
            "US:CA:Overnight:16.00 USD",
            [{"country": "US", "region": "CA", "service": "Overnight", "price": {"value": "16.00", "currency": "USD"}}],
        ),
        ("shipping", ":::4.95 EUR", [{"price": {"value": "4.95", "currency": "EUR"}}]),
        ("tax", "US:CA:5.00:y", [{"country": "US", "region": "CA", "rate": 5, "taxShip": True}]),
        ("installment", "6:50 EUR", {"months": 6, "amount": {"value": "50", "currency": "EUR"}}),
        ("loyalty_points", "Club:100:1.5", {"name": "Club", "pointsValue": 100, "ratio": 1.5}),
        ("product_detail", "General:Weight:1.5 kg", [{"name": "General: Weight", "value": "1.5 kg"}]),
        ("product_detail", ':Colour:"red, blue"', [{"name": "Colour", "value": "red, blue"}]),
        ("product_highlight", "Light, grippy", [{"name": "product_highlight", "value": "Light, grippy"}]),
        ("customAttributes", '[{"name": "a", "value": "b"}]', [{"name": "a", "value": "b"}]),
        ("filters", '{"size": ["M"]}', {"size": ["M"]}),
        ("title", "  kept as is  ", "  kept as is  "),
    ],
)
def test_text_rules(name: str, text: str, value: Any) -> None:
    assert conv(name, text) == value


def test_xml_repeats_elements_instead_of_comma_lists_for_urls() -> None:
    url = "https://x/c_fill,w_800/a.jpg"
    assert conv("additional_image_link", url, xml=True) == [url]
    assert conv("product_type", "A > B,C > D", xml=True) == ["A > B", "C > D"]  # Google: commas separate types


@pytest.mark.parametrize(
    ("name", "text", "fragment"),
    [
        ("price", "49.99 euros", 'expected an amount and a currency like "49.99 EUR"'),
        ("price", "EURO 5", "expected an amount"),
        ("price", "1,299 USD", "expected an amount"),  # 1.299 or 1299? not guessed
        ("price", "1,29.00 USD", "expected an amount"),
        ("price", "1,2,3 USD", "expected an amount"),
        ("shipping_weight", "1,500 kg", "expected a number and a unit"),
        ("adult", "maybe", "expected yes or no"),
        ("multipack", "1.5", "expected an integer"),
        ("number_of_reviews", "99999999999", "out of range"),
        ("display_ads_value", "1e999", "out of range"),
        ("shipping_weight", "heavy", "expected a number and a unit"),
        ("shipping", "US:CA:Ground:cheap", "price: expected an amount"),
        ("shipping", "a:b:c:d:e", "at most 4 parts"),
        ("tax", "US:CA:high:y", "rate: expected a number"),
        ("installment", "6:50 EUR:7", "at most 2 parts"),
        ("installment", "", "expected months:amount"),
        ("product_detail", "General:Weight", "expected an attribute_name and an attribute_value"),
        ("customAttributes", "{not json", "expected JSON"),
        ("filters", "[]", "expected a JSON object"),
    ],
)
def test_text_rule_errors_say_what_was_expected(name: str, text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(")):
        conv(name, text)


def test_split_groups_honours_quotes() -> None:
    assert split_groups('a:"b:c""d",e:f', ",") == [["a", 'b:c"d'], ["e", "f"]]
    assert split_groups(" , ", ",") == []
    with pytest.raises(ValueError, match="unterminated quote"):
        split_groups('a:"b', ",")


@given(st.text(max_size=60))
def test_converters_raise_only_value_errors(text: str) -> None:
    for name in ("price", "shipping", "tax", "installment", "product_detail", "shipping_weight", "adult", "filters"):
        with contextlib.suppress(ValueError):
            conv(name, text)


def test_assembly_adds_up_lists_and_refuses_two_different_values() -> None:
    out = Assembler()
    image, images, title = lookup("image_link"), lookup("additional_image_link"), lookup("g:title")
    assert image is not None and images is not None and title is not None
    out.put(images, "additional_image_link", ["a"])
    out.put(images, "additionalImageLinks", ["b"])
    out.put(image, "image_link", "x")
    out.put(image, "imageLink", "x")  # the same value twice is fine
    out.fallback(title, "title", "plain")
    out.fallback(title, "atom:title", "ignored")
    assert out.product == {"additionalImageLinks": ["a", "b"], "imageLink": "x", "title": "plain"}
    with pytest.raises(ValueError, match="given twice with different values"):
        out.put(image, "g:image_link", "y")
