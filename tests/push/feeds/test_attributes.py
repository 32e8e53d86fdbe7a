"""The one Google -> Criteo table: derived from the spec's Product fields plus the irregular cases."""

from __future__ import annotations

import re

import pytest

from criteo_catalog_sdk.push.feeds.attributes import (
    CRITEO,
    IRREGULAR,
    LOOSE,
    google_table,
    lookup,
    markdown_table,
    snake,
    sub_field,
)
from criteo_catalog_sdk.push.schema import OBJECT_SPECS, PRODUCT_FIELDS

from ..conftest import ROOT


@pytest.mark.parametrize(
    ("camel", "snake_case"),
    [
        ("imageLink", "image_link"),
        ("customLabel0", "custom_label_0"),
        ("salePriceEffectiveDate", "sale_price_effective_date"),
        ("gtin", "gtin"),
        ("displayAdsSimilarIds", "display_ads_similar_ids"),
    ],
)
def test_snake_case(camel: str, snake_case: str) -> None:
    assert snake(camel) == snake_case


def test_every_product_field_is_reachable_by_its_criteo_and_snake_names() -> None:
    assert set(CRITEO) == set(PRODUCT_FIELDS)
    for field in PRODUCT_FIELDS:
        for name in (field, field.lower(), field.upper(), snake(field), "g:" + snake(field), snake(field).upper()):
            attr = lookup(name)
            assert attr is not None and attr.field == field, name


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("additional_image_link", "additionalImageLinks"),
        ("g:additional_image_link", "additionalImageLinks"),
        ("Additional Image Link", "additionalImageLinks"),
        ("product_type", "productTypes"),
        ("size", "sizes"),
        ("included_destination", "includedDestinations"),
        ("excluded_destination", "excludedDestinations"),
        ("promotion_id", "promotionIds"),
        ("tax", "taxes"),
        ("product_detail", "customAttributes"),
        ("product_highlight", "customAttributes"),
        ("ads_labels", "adsLabels"),
        ("display_ads_similar_id", "displayAdsSimilarIds"),
        ("image link", "imageLink"),
        ("IMAGE_LINK", "imageLink"),
    ],
)
def test_google_names(name: str, field: str) -> None:
    attr = lookup(name)
    assert attr is not None and attr.field == field


def test_names_that_map_to_nothing() -> None:
    for name in ("foo_bar", "certification", "g:pause", "", "image_links_x", "guid"):
        assert lookup(name) is None, name


def test_the_irregular_table_only_names_real_fields_and_google_names_are_unique() -> None:
    assert {field for field, *_ in IRREGULAR.values()} <= set(PRODUCT_FIELDS)
    rows = list(google_table())
    assert len({google for google, _, _ in rows}) == len(rows)
    assert all(LOOSE[google].field == field for google, field, _ in rows)
    singular_plural = {google: field for google, field, _ in rows if google in IRREGULAR}
    assert singular_plural["additional_image_link"] == "additionalImageLinks"
    assert "additional_image_links" not in {google for google, _, _ in rows}  # not Google's name


def test_sub_attributes_of_nested_objects() -> None:
    shipping = OBJECT_SPECS["ProductShipping"]
    assert sub_field(shipping, "postal_code") == "postalCode"
    assert sub_field(shipping, "g:location_group_name") == "locationGroupName"
    assert sub_field(shipping, "min_transit_time") is None
    assert sub_field(OBJECT_SPECS["ProductTax"], "tax_ship") == "taxShip"


def test_the_readme_table_is_the_code_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"\| Google attribute \| Criteo field .*?\n(?=\n)", readme, re.S)
    assert m is not None, "the README's Feeds section lost its field table"
    assert m.group(0).strip() == markdown_table(), "regenerate it: python -m criteo_catalog_sdk.push.feeds.attributes"
