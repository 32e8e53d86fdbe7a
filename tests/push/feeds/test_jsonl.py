"""JSON Lines: the wire format passes unchanged; Google's names are mapped; bad lines never sink others."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from criteo_catalog_sdk.push.feeds import FeedError, FeedRecord, read_feed, read_jsonl
from criteo_catalog_sdk.push.feeds.source import compression_from_magic

from .helpers import HOSTILE, check_stream, hostile_bytes, jl, summary


def test_jsonl_basic_and_line_numbers() -> None:
    data = b'\xef\xbb\xbf{"id": "A"}\r\n\n  \n{"id": "B", "price": {"value": "1"}}\n{"id": "C"}'
    items = jl(data)
    assert summary(items) == [(1, "ok"), (4, "ok"), (5, "ok")]
    assert isinstance(items[1], FeedRecord) and items[1].product == {"id": "B", "price": {"value": "1"}}
    assert items[1].source_line is None


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        (b"{bad json}", "invalid JSON"),
        (b'["not", "an", "object"]', "expected a JSON object"),
        (b'"just a string"', "expected a JSON object"),
        (b'{"id": "\xff\xfe"}', "invalid JSON"),
        (b'{"id": "\\ud800"}', "invalid JSON"),
        (b'{"a": ' * 2000 + b"1" + b"}" * 2000, "invalid JSON"),
        (b'{"a": NaN}', "invalid JSON"),
        (b'{"a": 1e999}', "invalid JSON"),
        (b'{"a": "x"} trailing', "invalid JSON"),
        (b"\x00\x01\x02", "invalid JSON"),
        (b'{"id": "B", "sale_price": "cheap"}', "sale_price: expected an amount"),
        (b'{"id": "B", "imageLink": "https://x/1.jpg", "image_link": "https://x/2.jpg"}', "given twice"),
    ],
)
def test_jsonl_hostile_lines_are_reported_and_the_rest_goes_on(line: bytes, fragment: str) -> None:
    items = jl(b'{"id": "before"}\n' + line + b'\n{"id": "after"}\n')
    assert summary(items) == [(1, "ok"), (2, "err"), (3, "ok")]
    assert isinstance(items[1], FeedError) and fragment in items[1].message
    assert str(items[1]).startswith("line 2: ")


def test_a_conversion_error_names_the_field_and_the_product() -> None:
    (err,) = jl(b'{"id": "P1", "sale_price": "cheap"}\n')
    assert isinstance(err, FeedError) and err.product_id == "P1" and err.field == "salePrice"
    rejected = err.to_rejected()
    assert rejected.position == 1 and rejected.issues[0].field == "salePrice"
    assert rejected.issues[0].type == "ParseError" and rejected.issues[0].message.startswith("line 1: sale_price:")


def test_jsonl_overlong_line_is_skipped_without_holding_it() -> None:
    huge = b'{"id": "' + b"x" * 5_000_000 + b'"}'
    items = jl(b'{"id": "A"}\n' + huge + b'\n{"id": "B"}\n', max_line_bytes=1000)
    assert summary(items) == [(1, "ok"), (2, "err"), (3, "ok")]
    assert isinstance(items[1], FeedError) and "longer than 1000" in items[1].message


def test_jsonl_line_exactly_at_the_limit() -> None:
    line = b'{"id": "' + b"x" * 12 + b'"}'  # 22 bytes
    assert summary(jl(line + b"\n", max_line_bytes=22)) == [(1, "ok")]
    assert summary(jl(line, max_line_bytes=22)) == [(1, "ok")]
    assert summary(jl(line + b"\n", max_line_bytes=21)) == [(1, "err")]


def test_jsonl_from_a_path_and_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "feed.jsonl"
    p.write_bytes(b'{"id": "A"}\n')
    assert summary(list(read_feed(p))) == [(1, "ok")]
    assert summary(list(read_feed(str(p)))) == [(1, "ok")]

    class FakeStdin:
        buffer = io.BytesIO(b'{"id": "S"}\n')

    monkeypatch.setattr(sys, "stdin", FakeStdin)
    items = list(read_feed("-"))
    assert isinstance(items[0], FeedRecord) and items[0].product == {"id": "S"}
    assert not FakeStdin.buffer.closed  # stdin is not ours to close


def test_criteo_names_pass_through_as_the_same_object() -> None:
    # The hot path: no copy, no conversion (a price as text stays text: validation judges the wire format).
    line = b'{"id": "A", "imageLink": "https://x/a.jpg", "price": "49.99 EUR", "sizes": ["M"]}\n'
    (item,) = jl(line)
    assert isinstance(item, FeedRecord)
    assert item.product == {"id": "A", "imageLink": "https://x/a.jpg", "price": "49.99 EUR", "sizes": ["M"]}


def test_google_names_are_mapped_and_their_text_converted() -> None:
    line = {
        "id": "G1",
        "g:title": "Shoe",
        "image_link": "https://x/a.jpg",
        "Additional_Image_Link": "https://x/b.jpg,https://x/c.jpg",
        "sale_price": "EUR 39.99",
        "availability": "in_stock",  # a Criteo name: as written
        "identifier_exists": "no",
        "shipping_weight": "2 kg",
        "product_highlight": ["Light", "Grippy"],
        "tax": [{"country": "US", "rate": "5.5", "tax_ship": "yes"}],
        "custom_label_0": "summer",
    }
    (item,) = jl(json.dumps(line).encode() + b"\n")
    assert isinstance(item, FeedRecord)
    assert item.product == {
        "id": "G1",
        "title": "Shoe",
        "imageLink": "https://x/a.jpg",
        "additionalImageLinks": ["https://x/b.jpg", "https://x/c.jpg"],
        "salePrice": {"value": "39.99", "currency": "EUR"},
        "availability": "in_stock",
        "identifierExists": False,
        "shippingWeight": {"value": 2, "unit": "kg"},
        "customAttributes": [
            {"name": "product_highlight", "value": "Light"},
            {"name": "product_highlight", "value": "Grippy"},
        ],
        "taxes": [{"country": "US", "rate": 5.5, "taxShip": True}],
        "customLabel0": "summer",
    }


def test_unknown_keys_are_left_out_and_counted_once_per_feed() -> None:
    data = b"".join(json.dumps({"id": f"U{i}", "foo_bar": i, "gtin": "1"}).encode() + b"\n" for i in range(1859))
    feed = read_jsonl(io.BytesIO(data))
    items = list(feed)
    assert len(items) == 1859 and all(isinstance(i, FeedRecord) and "foo_bar" not in i.product for i in items)
    assert feed.unmapped == {"foo_bar": 1859}
    assert feed.notes == ["attribute 'foo_bar' (1,859 rows) maps to no Criteo Product field; ignored"]
    kept = list(read_jsonl(io.BytesIO(data[:100]), keep_unmapped=True))
    assert isinstance(kept[0], FeedRecord) and kept[0].product["foo_bar"] == 0


# -- hostile input, property-based ------------------------------------------------------------------


@HOSTILE
@given(hostile_bytes)
def test_jsonl_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    check_stream(jl(data, max_line_bytes=50))


@HOSTILE
@given(
    st.lists(
        st.one_of(
            st.dictionaries(
                st.one_of(st.sampled_from(["id", "title", "image_link", "price", "g:size", "x"]), st.text(max_size=8)),
                # orjson reads an integer beyond 64 bits as a float: "as written" holds within them
                st.one_of(
                    st.text(max_size=8),
                    st.integers(-(2**63), 2**63 - 1),
                    st.none(),
                    st.lists(st.text(max_size=4), max_size=2),
                ),
                max_size=4,
            ),
            hostile_bytes,
        ),
        max_size=15,
    )
)
def test_jsonl_good_lines_survive_among_bad_ones(lines: list[Any]) -> None:
    encoded = []
    for x in lines:
        if isinstance(x, dict):
            encoded.append(json.dumps(x).encode())
        else:
            encoded.append(x.replace(b"\n", b" ").replace(b"\r", b" "))
    data = b"\n".join(encoded) + b"\n"
    assume(compression_from_magic(data) is None)  # a stream that starts like gzip is read as gzip
    items = jl(data)
    check_stream(items)
    by_line = {i.line: i for i in items}
    for n, x in enumerate(lines, start=1):
        if isinstance(x, dict):
            assert n in by_line, (n, encoded)  # every object line gives a record or an error of its own
            item = by_line[n]
            if isinstance(item, FeedRecord):
                criteo = {k: v for k, v in x.items() if k in ("id", "title", "price")}
                assert criteo.items() <= item.product.items()  # Criteo's names as written
