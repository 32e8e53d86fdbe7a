from __future__ import annotations

import hashlib
import json
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from criteo_catalog_sdk.push.wire import (
    EntryBuilder,
    PreparedEntry,
    Rejected,
    batch_body,
    body_size,
    canonical_json,
    content_hash,
    legacy_content_hash,
    same_content,
)

from .conftest import product


def entry(b: EntryBuilder, pos: int, p: Any) -> PreparedEntry:
    e = b.insert(pos, p)
    assert isinstance(e, PreparedEntry), e
    return e


def validator(spec: dict[str, Any]) -> jsonschema.Draft7Validator:
    schema = {"$ref": "#/components/schemas/ProductsCustomBatchRequest", "components": spec["components"]}
    return jsonschema.Draft7Validator(schema)


def test_insert_entry_wire_shape() -> None:
    b = EntryBuilder(123)
    e = entry(b, 7, product(id="AbC"))
    assert (e.position, e.key, e.product_id, e.method) == (7, "abc", "AbC", "insert")
    d = json.loads(e.data)
    assert d == {"merchantId": 123, "method": "insert", "product": {**product(id="AbC"), "channel": "online"}}
    assert e.digest == content_hash(canonical_json(d["product"]))


def test_delete_entry_wire_shape() -> None:
    b = EntryBuilder("42")
    e = b.delete(3, 'Sku-"1"')
    assert isinstance(e, PreparedEntry)
    assert json.loads(e.data) == {"merchantId": 42, "method": "delete", "productId": 'Sku-"1"'}
    assert e.key == 'sku-"1"' and e.digest is None
    r = b.delete(4, "caf\u00e9")
    assert isinstance(r, Rejected) and r.issues[0].type == "NonAsciiId"


def test_bodies_satisfy_both_specs(catalog_spec: dict[str, Any], published_spec: dict[str, Any]) -> None:
    """Strict in what we send: the body validates against the published spec, not only the corrected one."""
    b = EntryBuilder(99)
    rich = product(
        sizes=["S"],
        numberOfReviews=3,
        shipping=[{"country": "FR", "price": {"value": "1", "currency": "EUR"}}],
        multipack=6,
    )
    entries = [entry(b, 1, rich).data, entry(b, 2, product(id="2")).data]
    d = b.delete(3, "old")
    assert isinstance(d, PreparedEntry)
    body = json.loads(batch_body([*entries, d.data]))
    validator(catalog_spec).validate(body)
    validator(published_spec).validate(body)


def test_hash_is_canonical() -> None:
    b = EntryBuilder(1)
    p1 = product()
    p2 = dict(reversed(list(product().items())))
    p2["price"] = {"currency": "EUR", "value": "49.99"}
    assert entry(b, 1, p1).digest == entry(b, 2, p2).digest
    assert entry(b, 1, p1).digest != entry(b, 1, product(title="Other")).digest


def test_the_content_hash_is_xxh3_128_behind_a_version_byte() -> None:
    # Digests are kept in users' state files: the algorithm must never change under them unnoticed.
    # XXH3-128 of the empty input, as published by xxHash.
    assert content_hash(b"") == b"\x01" + bytes.fromhex("99aa06d3014798d86001c324468d497f")
    assert len(content_hash(b'{"id":"A"}')) == 17 != len(legacy_content_hash(b'{"id":"A"}'))


def test_same_content_reads_either_format() -> None:
    b = EntryBuilder("77")
    e = entry(b, 1, product())
    canonical = canonical_json(json.loads(e.data)["product"])
    legacy = hashlib.sha256(canonical).digest()[:16]  # what state files written before XXH3 hold
    assert legacy_content_hash(canonical) == legacy
    assert same_content(e, content_hash(canonical)) and same_content(e, legacy)
    changed = entry(b, 1, product(title="Other"))
    assert not same_content(changed, content_hash(canonical)) and not same_content(changed, legacy)
    assert not same_content(e, b"") and not same_content(e, legacy[:15] + bytes([legacy[15] ^ 1]))
    d = b.delete(2, "SKU-1")
    assert isinstance(d, PreparedEntry) and not same_content(d, legacy)


def test_rejections() -> None:
    b = EntryBuilder(1)
    r = b.insert(5, product(title=None))
    assert isinstance(r, Rejected) and r.product_id == "SKU-1" and r.position == 5
    r = b.insert(6, "not a product")
    assert isinstance(r, Rejected) and r.issues[0].type == "WrongType"
    r = b.insert(7, product(brand="\ud800"))  # a lone surrogate cannot be UTF-8 encoded
    assert isinstance(r, Rejected) and r.issues[0].type == "Unserializable"
    small = EntryBuilder(1, max_entry_bytes=200)
    r = small.insert(8, product(description="x" * 300))
    assert isinstance(r, Rejected) and r.issues[0].type == "EntryTooLarge" and r.issues[0].limit == 200


def test_body_size_is_exact() -> None:
    datas = [b"{}", b'{"a":1}', b"[]"]
    for n in range(4):
        assert body_size(n, sum(map(len, datas[:n]))) == len(batch_body(datas[:n]))


def test_batch_body_is_the_entries_in_their_envelope() -> None:
    datas = [b'{"a":1}', b'{"b":2}', b'{"c":3}']
    for n in range(4):
        given = datas[:n]
        assert batch_body(given) == b'{"entries":[' + b",".join(given) + b"]}"
        assert batch_body(iter(given)) == batch_body(given)
        assert given == datas[:n]  # the caller's list is left as it was
    assert json.loads(batch_body(datas)) == {"entries": [{"a": 1}, {"b": 2}, {"c": 3}]}


def test_merchant_id_is_checked() -> None:
    for bad in (2**31, 0, "x"):
        with pytest.raises(ValueError, match="merchant id"):
            EntryBuilder(bad)
