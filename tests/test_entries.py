"""The direct calls' bodies: strict in what we send, every entry checked before anything is sent."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from criteo_catalog_sdk import InvalidBatchError, InvalidRequestError, Price, Product, ProductsCustomBatchRequestEntry
from criteo_catalog_sdk.api_versions import ApiVersion, get_api_version
from criteo_catalog_sdk.entries import delete_body, entries_body, upsert_body
from tests.documented_examples import DOCUMENTED_BATCH

PREVIEW = get_api_version("preview")

# Criteo's documented 202 request entry, verbatim (merchantId as a string, a null, no channel).
DOC_ENTRY: dict[str, Any] = DOCUMENTED_BATCH["entries"][0]


def product(pid: str = "sku-1", **extra: Any) -> dict[str, Any]:
    return {"id": pid, "title": "T", "link": "https://x/p", "imageLink": "https://x/i.jpg", **extra}


def insert(merchant: object, item: object) -> dict[str, Any]:
    return {"merchantId": merchant, "method": "insert", "product": item}


def delete(merchant: object, pid: object) -> dict[str, Any]:
    return {"merchantId": merchant, "method": "delete", "productId": pid}


def sent(body: bytes) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(body)["entries"]
    return entries


def test_documented_entry_is_sent_in_the_published_form() -> None:
    (wire,) = sent(entries_body(PREVIEW, [DOC_ENTRY]))
    assert wire["merchantId"] == 123  # an int32 in preview, even when given as a digit string
    assert wire["product"]["channel"] == "online"
    assert "googleProductCategory" not in wire["product"]  # nulls are dropped
    assert wire["product"]["brand"] == ""  # empty strings are data
    assert set(wire) == {"merchantId", "method", "product"}  # batchId/feedId are not sent


def test_input_is_not_mutated() -> None:
    before = copy.deepcopy(DOC_ENTRY)
    entries_body(PREVIEW, [DOC_ENTRY])
    assert before == DOC_ENTRY


def test_none_is_dropped_at_every_depth() -> None:
    item = product(
        price={"currency": None, "value": "1.00"}, shipping=[{"country": "FR", "price": None}, None], sizes=["S", None]
    )
    (wire,) = sent(upsert_body(PREVIEW, 1, [item]))
    assert wire["product"]["price"] == {"value": "1.00"}
    assert wire["product"]["shipping"] == [{"country": "FR"}]
    assert wire["product"]["sizes"] == ["S"]


def test_models_and_dicts_give_the_same_body() -> None:
    model = ProductsCustomBatchRequestEntry(
        method="insert",
        merchant_id=42,
        product=Product(
            id="A1", title="T", link="https://x/p", image_link="https://x/i.jpg", price=Price(currency="EUR", value="9")
        ),
    )
    as_dict = insert(42, product("A1", price={"currency": "EUR", "value": "9"}))
    assert entries_body(PREVIEW, [model]) == entries_body(PREVIEW, [as_dict])
    assert upsert_body(PREVIEW, 42, [model.product]) == entries_body(PREVIEW, [as_dict])


def test_a_wrongly_typed_product_is_refused_naming_product_field_and_expectation() -> None:
    bad = product("sku-2", price={"currency": "EUR", "value": 49.99})  # the published spec says string
    with pytest.raises(InvalidBatchError) as info:
        upsert_body(PREVIEW, 7, [product("sku-1"), bad])
    error = info.value
    assert (error.index, error.product_id) == (1, "sku-2")
    assert "sku-2" in str(error) and "price.value" in str(error) and "string" in str(error)
    ((index, pid, issues),) = error.rejections
    assert (index, pid) == (1, "sku-2") and issues[0].field == "price.value"


def test_every_refused_entry_is_listed_with_its_limit() -> None:
    long_title = product("b", title="x" * 501)
    with pytest.raises(InvalidBatchError) as info:
        upsert_body(PREVIEW, 7, [product("a", link="not-a-url"), long_title, product("c")])
    assert [r[0] for r in info.value.rejections] == [0, 1]
    assert "500" in str(info.value) and "501" in str(info.value)
    title_issue = info.value.rejections[1][2][0]
    assert (title_issue.field, title_issue.length, title_issue.limit) == ("title", 501, 500)


@pytest.mark.parametrize("merchant", [0, -1, 2**31, "12a", "", 1.0, True, None])
def test_one_merchant_id_rule_everywhere(merchant: object) -> None:
    with pytest.raises(InvalidRequestError, match="merchant id"):
        upsert_body(PREVIEW, merchant, [product()])  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError, match="merchant id"):
        delete_body(PREVIEW, merchant, ["p"])  # type: ignore[arg-type]
    with pytest.raises(InvalidBatchError, match="merchant id") as info:
        entries_body(PREVIEW, [insert(1, product("ok")), insert(merchant, product("BAD"))])
    assert info.value.index == 1


def test_empty_batch_is_refused() -> None:
    with pytest.raises(InvalidBatchError, match="empty"):
        entries_body(PREVIEW, [])
    with pytest.raises(InvalidBatchError, match="empty"):
        upsert_body(PREVIEW, 1, iter(()))


def test_duplicate_ids_are_refused_ignoring_case() -> None:
    entries = [
        insert(1, product("Sku-1")),
        insert(1, product("other")),
        delete(1, "SKU-1"),
        insert(1, product("x")),
        insert(1, product("X")),
    ]
    with pytest.raises(InvalidBatchError) as info:
        entries_body(PREVIEW, entries)
    assert set(info.value.product_ids) == {"sku-1", "x"}
    assert "entries 0, 2" in str(info.value)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"merchantId": 1, "method": "update", "product": product()}, "method"),
        ({"merchantId": 1, "product": product()}, "method"),
        ({"merchantId": 1, "method": "insert"}, "needs a product"),
        ({"merchantId": 1, "method": "insert", "product": {"title": "T"}}, "id is required"),
        ({"merchantId": 1, "method": "insert", "product": {"id": "p", "title": "T"}}, "imageLink"),
        ({"merchantId": 1, "method": "delete"}, "productId"),
        ({"method": "delete", "productId": "p"}, "merchant id"),
    ],
)
def test_malformed_entries_are_refused(entry: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidBatchError, match=message):
        entries_body(PREVIEW, [entry])


def test_delete_ids() -> None:
    (wire,) = sent(entries_body(PREVIEW, [{"merchantId": 1, "method": "delete", "product": {"id": "p", "x": 1}}]))
    assert wire == {"merchantId": 1, "method": "delete", "productId": "p"}
    assert sent(delete_body(PREVIEW, 1, ["a", "b"]))[1] == {"merchantId": 1, "method": "delete", "productId": "b"}
    with pytest.raises(InvalidBatchError, match="ASCII"):
        delete_body(PREVIEW, 1, ["café"])


@pytest.mark.parametrize(("given", "wire"), [("5", 5), ("-2", -2), (7, 7)])
def test_multipack_digit_strings_become_integers(given: object, wire: object) -> None:
    (entry,) = sent(upsert_body(PREVIEW, 1, [product(multipack=given)]))
    assert entry["product"]["multipack"] == wire


@pytest.mark.parametrize("given", ["five", "5.0", "--5", "99999999999999999999", "٣"])
def test_multipack_that_is_not_an_int64_is_refused(given: str) -> None:
    with pytest.raises(InvalidBatchError, match="multipack"):
        upsert_body(PREVIEW, 1, [product(multipack=given)])


def test_not_an_iterable_of_entries() -> None:
    with pytest.raises(InvalidBatchError, match="entry 0"):
        entries_body(PREVIEW, [42])
    with pytest.raises(InvalidRequestError, match="iterable"):
        entries_body(PREVIEW, DOC_ENTRY)  # a single entry, not a batch
    with pytest.raises(InvalidRequestError, match="iterable"):
        upsert_body(PREVIEW, 1, product())  # type: ignore[arg-type]


def test_body_is_compact_utf8_json() -> None:
    body = upsert_body(PREVIEW, 5, [product("e", title="Café")])
    assert b" " not in body and "Café".encode() in body


def test_nan_is_refused_naming_the_product() -> None:
    with pytest.raises(InvalidBatchError) as info:
        upsert_body(PREVIEW, 5, [product("a"), product("nan", displayAdsValue=float("nan"))])
    assert (info.value.index, info.value.product_id) == (1, "nan")


def test_merchant_id_is_sent_as_the_generations_type() -> None:
    published = json.loads(json.dumps(PREVIEW.published))
    entry = published["components"]["schemas"]["ProductsCustomBatchRequestEntry"]["properties"]
    entry["merchantId"] = {"type": "string"}
    dated = ApiVersion("2027-01", published=published, spec=published)
    (wire,) = sent(upsert_body(dated, 123, [product()]))
    assert wire["merchantId"] == "123"
    assert sent(entries_body(dated, [delete(123, "p")]))[0]["merchantId"] == "123"
    assert sent(upsert_body(PREVIEW, "123", [product()]))[0]["merchantId"] == 123


_text = st.text(alphabet=st.characters(codec="ascii", exclude_categories=("Cc",)), min_size=1, max_size=12).filter(
    lambda s: s.strip() == s
)


@given(
    ids=st.lists(_text, min_size=1, max_size=8, unique_by=str.lower),
    merchant=st.integers(1, 2**31 - 1) | st.integers(1, 2**31 - 1).map(str),
)
def test_bodies_are_spec_shaped(ids: list[str], merchant: int | str) -> None:
    wire = sent(upsert_body(PREVIEW, merchant, [product(pid) for pid in ids]))
    assert [e["product"]["id"] for e in wire] == ids
    for entry in wire:
        assert entry["merchantId"] == int(merchant)
        assert entry["product"]["channel"] == "online"
