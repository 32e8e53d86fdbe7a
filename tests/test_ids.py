"""One rule per identifier: merchant ids, product ids, int64 digit strings."""

from __future__ import annotations

import pytest

from criteo_catalog_sdk.errors import InvalidRequestError
from criteo_catalog_sdk.ids import (
    MERCHANT_ID_MAX,
    PRODUCT_ID_MAX_LENGTH,
    check_merchant_id,
    check_product_id,
    int64_from_digits,
    merchant_id_problem,
    product_key,
)


@pytest.mark.parametrize(("value", "expected"), [(1, 1), ("123", 123), (MERCHANT_ID_MAX, MERCHANT_ID_MAX), ("007", 7)])
def test_merchant_ids_accepted(value: object, expected: int) -> None:
    assert check_merchant_id(value) == expected
    assert merchant_id_problem(value) is None


@pytest.mark.parametrize(
    "value", [0, "0", -1, MERCHANT_ID_MAX + 1, "2147483648", "12a", "", " 12", 1.0, True, None, "١٢٣"]
)
def test_merchant_ids_refused_naming_the_value_and_the_range(value: object) -> None:
    with pytest.raises(InvalidRequestError) as info:
        check_merchant_id(value)
    assert repr(value) in str(info.value)
    assert merchant_id_problem(value) == str(info.value)


def test_product_ids() -> None:
    assert check_product_id("abc") == []
    assert [i.type for i in check_product_id(5)] == ["WrongType"]
    assert [i.type for i in check_product_id("")] == ["MissingField"]
    assert [i.type for i in check_product_id(" a")] == ["InvalidId"]
    assert [i.type for i in check_product_id("\u00e9" * 300)] == ["NonAsciiId", "TooLong"]
    too_long = check_product_id("a" * (PRODUCT_ID_MAX_LENGTH + 1), "productId")[0]
    assert (too_long.field, too_long.length, too_long.limit) == ("productId", PRODUCT_ID_MAX_LENGTH + 1, 240)
    assert product_key("SKU-1") == "sku-1"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5", 5),
        ("-2", -2),
        ("9223372036854775807", 2**63 - 1),
        ("9223372036854775808", None),
        ("5.0", None),
        ("--5", None),
    ],
)
def test_int64_from_digits(text: str, value: int | None) -> None:
    assert int64_from_digits(text) == value
