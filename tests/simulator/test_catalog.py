"""The catalog's product flags (what the statistics count)."""

from criteo_catalog_sdk.simulator.catalog import product_flags


def test_flags() -> None:
    full = {"description": "d", "price": {"value": "1"}, "availability": "in stock"}
    assert product_flags(full) == 0
    assert product_flags({}) == 1 | 2
    assert product_flags({**full, "availability": "out_of_stock", "itemGroupId": "g"}) == 4 | 8
