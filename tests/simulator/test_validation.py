import copy
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteo_catalog_sdk.api_versions import get_api_version
from criteo_catalog_sdk.simulator.schema import Findings, _has_equal_items, compile_schema
from criteo_catalog_sdk.simulator.spec import request_body_schema
from criteo_catalog_sdk.simulator.validation import BatchValidator, InvalidJson, parse_json

from .conftest import documented_batch, insert
from .jsonschema_util import to_json_schema


def problems(validator: BatchValidator, body: Any) -> list[tuple[str, str]]:
    return [(p.code, p.detail) for p in validator.validate(body)]


def test_documented_202_request_is_valid(validator: BatchValidator) -> None:
    # merchantId "123" (a string), no channel, googleProductCategory null, batchId 0.
    assert problems(validator, documented_batch()) == []


def test_documented_400_request_names_the_fields_as_criteo(validator: BatchValidator) -> None:
    # batchId "123" is a string where the spec says int64; Criteo's answer only lists the missing fields.
    assert problems(validator, {"entries": [{"batchId": "123"}]}) == [
        ("required-field", "entries.catalogId: field is required"),
        ("required-field", "entries.method: field is required"),
    ]


def test_batch_empty(validator: BatchValidator) -> None:
    assert problems(validator, {"entries": []}) == [("batch-empty", "The batch is empty.")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, ("required-field", "entries: field is required")),
        ({"entries": None}, ("required-field", "entries: field is required")),
        ({"entries": [{"merchantId": 1, "method": "insert", "product": {"id": "a"}}]}, None),
        ({"entries": [{"merchantId": 1, "method": "update"}]}, ("json-format", "entries.method: expected one of")),
        ({"entries": [{"merchantId": "12a", "method": "delete"}]}, ("json-format", "entries.catalogId: invalid value")),
        ({"entries": [{"merchantId": 2**31, "method": "delete"}]}, ("json-format", "entries.catalogId: invalid")),
        ({"entries": [{"merchantId": True, "method": "delete"}]}, ("json-format", "entries.catalogId: invalid")),
        ({"entries": [{"merchantId": 1, "method": "delete", "batchId": "1"}]}, ("json-format", "entries.batchId")),
        ({"entries": [{"merchantId": 1, "method": "delete", "batchId": 1.0}]}, ("json-format", "entries.batchId")),
        ({"entries": {}}, ("json-format", "entries: expected an array")),
        ([], ("json-format", "body: expected an object")),
    ],
)
def test_problems(validator: BatchValidator, body: Any, expected: tuple[str, str] | None) -> None:
    found = problems(validator, body)
    if expected is None:
        # A product missing title, link and imageLink: three required fields, named with their path.
        assert found == [
            ("required-field", f"entries.product.{name}: field is required") for name in ("imageLink", "link", "title")
        ]
        return
    assert found, body
    assert found[0][0] == expected[0]
    assert found[0][1].startswith(expected[1])


def test_nullable_and_null_required(validator: BatchValidator) -> None:
    body = {"entries": [insert("a", googleProductCategory=None)]}
    assert problems(validator, body) == []
    body = {"entries": [insert("a", title=None)]}
    assert problems(validator, body) == [("required-field", "entries.product.title: field is required")]
    body = {"entries": [insert("a", brand=None)]}
    assert problems(validator, body)[0][0] == "json-format"


def test_unknown_fields_are_ignored(validator: BatchValidator) -> None:
    body = {"entries": [dict(insert("a", somethingNew=1), extra=True)], "more": []}
    assert problems(validator, body) == []


def test_duplicates_are_case_insensitive_and_per_merchant(validator: BatchValidator) -> None:
    body = {"entries": [insert("SKU-1"), insert("sku-1"), insert("sku-1", merchant=456)]}
    assert problems(validator, body) == [
        ("duplicate-product", "entries.product.id: product 'sku-1' appears more than once in the batch")
    ]
    body = {"entries": [insert("a"), {"merchantId": 123, "method": "delete", "productId": "A"}]}
    assert problems(validator, body)[0][0] == "duplicate-product"
    # Entries without an id are not duplicate products (they fail in the report instead)...
    body = {"entries": [{"merchantId": 1, "method": "delete"}, {"merchantId": 1, "method": "insert"}]}
    assert problems(validator, body) == []
    # ...but two identical entries break the effective spec's uniqueItems.
    body = {"entries": [{"merchantId": 1, "method": "delete"}, {"merchantId": 1, "method": "delete"}]}
    assert problems(validator, body) == [("json-format", "entries: two items are identical")]


def test_problems_are_deduplicated(validator: BatchValidator) -> None:
    body = {"entries": [{"batchId": 1}] * 500}
    assert len(validator.validate(body)) == 2


@pytest.mark.parametrize("raw", [b"", b"   ", b"{", b"NaN", b'{"entries": [NaN]}', b"\xff\xfe\x00", b"[" * 100_000])
def test_parse_rejects(raw: bytes) -> None:
    with pytest.raises(InvalidJson):
        parse_json(raw)


def test_parse_accepts_utf8() -> None:
    assert parse_json('{"a": "é"}'.encode()) == {"a": "é"}


# --- the compiled validator agrees with a reference JSON Schema validator --------------------------------

VERSION = get_api_version("preview")
ROOT = VERSION.spec
REFERENCE = jsonschema.Draft4Validator(to_json_schema(request_body_schema(VERSION), ROOT))
COMPILED = compile_schema(request_body_schema(VERSION), ROOT)
PRODUCT_KEYS = sorted(ROOT["components"]["schemas"]["Product"]["properties"])
ENTRY_KEYS = sorted(ROOT["components"]["schemas"]["ProductsCustomBatchRequestEntry"]["properties"])

leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**65), max_value=2**65),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=4),
    st.sampled_from(["insert", "delete", "online", "123", "-7", "", "https://x.example/a"]),
)
values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(["name", "value", "currency", "unit", "a"]), children, max_size=3),
    ),
    max_leaves=6,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += paths(item, (*prefix, index))
    return out


@st.composite
def mutated_batches(draw: st.DrawFn) -> Any:
    body = documented_batch()
    body["entries"].append(copy.deepcopy(body["entries"][0]))
    body["entries"][1]["product"].update(
        {
            "channel": "online",
            "multipack": 2,
            "filters": {"a": ["b"]},
            "customAttributes": [{"name": "n", "value": "v"}],
        }
    )
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        where = draw(st.sampled_from(paths(body)))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if not where:
            if action == "replace":
                body = draw(values)
            continue
        parent: Any = body
        try:
            for step in where[:-1]:
                parent = parent[step]
            if action == "replace":
                parent[where[-1]] = draw(values)
            elif action == "delete" and isinstance(parent, dict):
                del parent[where[-1]]
            elif action == "add" and isinstance(parent, dict):
                parent[draw(st.sampled_from(PRODUCT_KEYS + ENTRY_KEYS))] = draw(values)
        except (KeyError, IndexError, TypeError):
            continue
    return body


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_batches())
def test_compiled_validator_agrees_with_jsonschema(body: Any) -> None:
    found = Findings()
    COMPILED(body, found)
    assert (not found) == REFERENCE.is_valid(body), json.dumps(body, default=str)[:2000]


@pytest.mark.parametrize(
    "raw",
    [b'{"a": [1, 2.5, "x", null, true]}', b'{"a": "\\u00e9\\ud83d\\ude00"}', b'{"n": 18446744073709551615}'],
)
def test_the_fast_parse_agrees_with_the_exact_one(raw: bytes) -> None:
    assert parse_json(raw) == parse_json(raw, exact=True)


def test_what_orjson_refuses_is_judged_by_the_exact_parser() -> None:
    # A lone surrogate escape: orjson refuses it, Python's json reads it (the schema then judges the value).
    assert parse_json(b'"\\ud800"') == "\ud800"
    # Integers beyond 64 bits: orjson reads a float, the exact parse keeps the integer.
    assert parse_json(b"123456789012345678901234567890", exact=True) == 123456789012345678901234567890


@pytest.mark.parametrize(
    ("values", "equal"),
    [
        ([float("inf"), None], False),
        ([float("inf"), float("-inf")], False),
        ([{"a": None}, {"a": None}], True),
        ([{"a": 1, "b": [2]}, {"b": [2], "a": 1}], True),
        ([1, True], False),
        ([2**70, 2**70], True),
    ],
)
def test_unique_items_tells_values_apart_as_json_does(values: list[Any], equal: bool) -> None:
    assert _has_equal_items(values) is equal
