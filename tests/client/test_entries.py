"""Turning models and camelCase dicts into wire entries."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from criteo_catalog_sdk import InvalidBatchError, Price, Product, ProductsCustomBatchRequestEntry
from criteo_catalog_sdk.entries import (
    check_merchant_id,
    delete_entry,
    encode_batch,
    find_duplicate_ids,
    insert_entry,
    normalize_entries,
    normalize_entry,
)

# Criteo's documented 202 request entry, verbatim (merchantId as a string, a null, no channel).
DOC_ENTRY: dict[str, Any] = {
    "batchId": 0,
    "merchantId": "123",
    "method": "insert",
    "product": {
        "id": "id",
        "title": "myTitle",
        "description": "myDescription",
        "link": "https://www.advertiser.com/myProduct",
        "imageLink": "https://www.advertiser.com/300x200/myProduct",
        "brand": "",
        "googleProductCategory": None,
        "gtin": "123456789",
        "price": {"currency": "EUR", "value": "49.99"},
        "availability": "in stock",
    },
    "feedId": "string",
}


def product(pid: str = "sku-1", **extra: Any) -> dict[str, Any]:
    return {"id": pid, "title": "T", "link": "https://x/p", "imageLink": "https://x/i.jpg", **extra}


def test_documented_entry_is_normalized_to_the_spec() -> None:
    wire = normalize_entry(DOC_ENTRY)
    assert wire["merchantId"] == 123
    assert wire["product"]["channel"] == "online"
    assert "googleProductCategory" not in wire["product"]
    assert wire["product"]["brand"] == ""  # empty strings are data, only None is dropped
    assert wire["batchId"] == 0  # falsy values are kept
    assert wire["feedId"] == "string"


def test_input_is_not_mutated() -> None:
    before = copy.deepcopy(DOC_ENTRY)
    normalize_entry(DOC_ENTRY)
    assert before == DOC_ENTRY


def test_none_is_dropped_at_every_depth() -> None:
    entry = insert_entry(
        1,
        product(
            price={"currency": None, "value": "1.00"},
            shipping=[{"country": "FR", "price": None}, None],
            filters={"size": ["S", None]},
        ),
    )
    wire = normalize_entry(entry)["product"]
    assert wire["price"] == {"value": "1.00"}
    assert wire["shipping"] == [{"country": "FR"}]
    assert wire["filters"] == {"size": ["S"]}


def test_explicit_channel_is_kept() -> None:
    assert normalize_entry(insert_entry(1, product(channel="online")))["product"]["channel"] == "online"


def test_models_and_dicts_give_the_same_wire_entry() -> None:
    model = ProductsCustomBatchRequestEntry(
        method="insert",
        merchant_id="42",
        product=Product(
            id="A1", title="T", link="https://x/p", image_link="https://x/i.jpg", price=Price(currency="EUR", value="9")
        ),
    )
    as_dict = insert_entry(42, product("A1", price={"currency": "EUR", "value": "9"}))
    assert normalize_entry(model) == normalize_entry(as_dict)


def test_a_product_model_inside_a_dict_entry() -> None:
    entry = insert_entry(7, Product(id="A", title="T", link="l", image_link="i"))
    wire = normalize_entry(entry)
    assert wire["product"] == {"id": "A", "imageLink": "i", "link": "l", "title": "T", "channel": "online"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [(123, 123), ("123", 123), ("0", 0), (2**31 - 1, 2**31 - 1), ("2147483647", 2**31 - 1)],
)
def test_merchant_id_accepted(value: object, expected: int) -> None:
    assert check_merchant_id(value) == expected


@pytest.mark.parametrize("value", ["12a", "", " 12", "-1", -1, 2**31, "2147483648", 1.0, True, None, "١٢٣"])
def test_merchant_id_refused(value: object) -> None:
    with pytest.raises(InvalidBatchError):
        check_merchant_id(value)


def test_bad_merchant_id_error_names_the_product_and_the_entry() -> None:
    entries = [insert_entry(1, product("ok")), insert_entry("x12", product("BAD-ONE"))]
    with pytest.raises(InvalidBatchError) as info:
        normalize_entries(entries)
    assert info.value.index == 1
    assert info.value.product_id == "BAD-ONE"
    assert "BAD-ONE" in str(info.value)
    assert "x12" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_empty_batch_is_refused() -> None:
    with pytest.raises(InvalidBatchError, match="empty"):
        normalize_entries([])
    with pytest.raises(InvalidBatchError, match="empty"):
        normalize_entries(iter(()))


def test_duplicate_ids_are_refused_ignoring_case() -> None:
    entries = [
        insert_entry(1, product("Sku-1")),
        insert_entry(1, product("other")),
        delete_entry(1, "SKU-1"),
        insert_entry(1, product("x")),
        insert_entry(1, product("X")),
    ]
    with pytest.raises(InvalidBatchError) as info:
        normalize_entries(entries)
    assert set(info.value.product_ids) == {"sku-1", "x"}
    assert "entries 0, 2" in str(info.value)


def test_find_duplicate_ids() -> None:
    wire = [normalize_entry(insert_entry(1, product(p))) for p in ["a", "B", "b", "A", "c"]]
    assert find_duplicate_ids(wire) == {"a": [0, 3], "b": [1, 2]}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"merchantId": 1, "method": "update", "product": product()}, "method"),
        ({"merchantId": 1, "product": product()}, "method"),
        ({"merchantId": 1, "method": "insert"}, "needs a product"),
        ({"merchantId": 1, "method": "insert", "product": {"title": "T"}}, "no id"),
        ({"merchantId": 1, "method": "insert", "product": {"id": "p", "title": "T"}}, "imageLink"),
        ({"merchantId": 1, "method": "delete"}, "productId"),
        ({"method": "delete", "productId": "p"}, "merchantId"),
    ],
)
def test_malformed_entries_are_refused(entry: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidBatchError, match=message):
        normalize_entry(entry)


def test_delete_takes_its_id_from_product_if_needed_and_numeric_ids_become_strings() -> None:
    assert normalize_entry({"merchantId": 1, "method": "delete", "product": {"id": "p"}})["productId"] == "p"
    assert normalize_entry(delete_entry(1, 123))["productId"] == "123"  # type: ignore[arg-type]
    assert normalize_entry(insert_entry(1, product(123)))["product"]["id"] == "123"  # type: ignore[arg-type]


def test_a_delete_is_sent_without_the_product_it_carries() -> None:
    wire = normalize_entry({"merchantId": 1, "method": "delete", "productId": "p", "product": {"id": "p", "x": 1}})
    assert wire == {"merchantId": 1, "method": "delete", "productId": "p"}


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("5", 5),
        ("-2", -2),
        (7, 7),
        ("five", "five"),
        ("5.0", "5.0"),
        ("--5", "--5"),  # not an integer: left for Criteo to judge, never a crash
        ("99999999999999999999", "99999999999999999999"),  # beyond int64: the string stays
        ("٣", "٣"),  # a non-ASCII digit
    ],
)
def test_multipack_digit_strings_become_integers(given: object, sent: object) -> None:
    # Only digit strings are converted; anything else is left for Criteo (or push validation) to judge.
    assert normalize_entry(insert_entry(1, product(multipack=given)))["product"]["multipack"] == sent


def test_not_an_entry() -> None:
    with pytest.raises(InvalidBatchError, match="entry 0"):
        normalize_entries([42])  # type: ignore[list-item]
    with pytest.raises(InvalidBatchError):
        normalize_entries(DOC_ENTRY)  # a single entry, not a batch


def test_encoded_body_is_compact_utf8_json() -> None:
    wire = normalize_entries([insert_entry(5, product("é", title="Café"))])
    body = encode_batch(wire)
    assert body == json.dumps({"entries": wire}, separators=(",", ":"), ensure_ascii=False).encode()
    assert b" " not in body
    assert "Café".encode() in body


def test_unencodable_values_are_refused_naming_the_product() -> None:
    wire = normalize_entries(
        [insert_entry(5, product("a")), insert_entry(5, product("nan", displayAdsValue=float("nan")))]
    )
    with pytest.raises(InvalidBatchError) as info:
        encode_batch(wire)
    assert info.value.product_id == "nan"
    assert info.value.index == 1


_text = st.text(alphabet=st.characters(codec="ascii", exclude_categories=("Cc",)), min_size=1, max_size=12)
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | _text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_text, children, max_size=3),
    max_leaves=10,
)


def _has_none(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, dict):
        return any(_has_none(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_none(v) for v in value)
    return False


@given(
    ids=st.lists(_text, min_size=1, max_size=8, unique_by=str.lower),
    merchant=st.integers(0, 2**31 - 1) | st.integers(0, 2**31 - 1).map(str),
    extra=st.dictionaries(
        _text.filter(lambda k: k not in {"id", "channel", "title", "link", "imageLink"}), _json, max_size=4
    ),
)
def test_normalized_batches_are_spec_shaped(ids: list[str], merchant: int | str, extra: dict[str, Any]) -> None:
    entries = [insert_entry(merchant, {**product(pid), **extra}) for pid in ids]
    wire = normalize_entries(entries)
    assert len(wire) == len(ids)
    for entry, pid in zip(wire, ids, strict=True):
        assert entry["merchantId"] == int(merchant)
        assert entry["product"]["id"] == pid
        assert entry["product"]["channel"] == "online"
        assert not _has_none(entry)
    assert json.loads(encode_batch(wire)) == {"entries": wire}
