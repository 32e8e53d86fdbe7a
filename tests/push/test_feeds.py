from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteo_catalog_sdk.push.feeds import FeedError, FeedItem, FeedRecord, feed_format, read_csv, read_feed, read_jsonl

HEADER = "id,title,link,imageLink,price,additionalImageLinks,adult,numberOfReviews,shippingWeight,customAttributes"


def jl(data: bytes, **kw: Any) -> list[FeedItem]:
    return list(read_jsonl(io.BytesIO(data), **kw))


def cs(data: bytes | str, **kw: Any) -> list[FeedItem]:
    return list(read_csv(io.BytesIO(data.encode() if isinstance(data, str) else data), **kw))


def summary(items: list[FeedItem]) -> list[tuple[int, str]]:
    return [(i.line, "ok" if isinstance(i, FeedRecord) else "err") for i in items]


# -- JSON Lines -------------------------------------------------------------------------------------


def test_jsonl_basic_and_line_numbers() -> None:
    data = b'\xef\xbb\xbf{"id": "A"}\r\n\n  \n{"id": "B", "price": {"value": "1"}}\n{"id": "C"}'
    items = jl(data)
    assert summary(items) == [(1, "ok"), (4, "ok"), (5, "ok")]
    assert isinstance(items[1], FeedRecord) and items[1].product == {"id": "B", "price": {"value": "1"}}


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
    ],
)
def test_jsonl_hostile_lines_are_reported_and_the_rest_goes_on(line: bytes, fragment: str) -> None:
    items = jl(b'{"id": "before"}\n' + line + b'\n{"id": "after"}\n')
    assert summary(items) == [(1, "ok"), (2, "err"), (3, "ok")]
    assert isinstance(items[1], FeedError) and fragment in items[1].message


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


def test_feed_format() -> None:
    assert feed_format("a/b.CSV") == "csv"
    assert feed_format("feed.jsonl") == "jsonl"
    assert feed_format("feed.ndjson") == "jsonl"
    with pytest.raises(ValueError):
        read_feed(io.BytesIO(b""), "xml")  # type: ignore[arg-type]


# -- CSV --------------------------------------------------------------------------------------------


def test_csv_conversions() -> None:
    data = (
        "\ufeff" + HEADER + "\r\n"
        'A1,"Shoe, ""Pro""\nedition",https://x/a,https://x/a.jpg,49.99 eur,https://x/1.jpg | https://x/2.jpg ,TRUE,12,'
        '2.5 kg,"[{""name"":""fit"",""value"":""slim""}]"\r\n'
        "A2,Plain,https://x/b,https://x/b.jpg,10,,,,,\r\n"
    )
    items = cs(data)
    assert summary(items) == [(2, "ok"), (4, "ok")]
    a, b = items
    assert isinstance(a, FeedRecord) and isinstance(b, FeedRecord)
    assert a.product == {
        "id": "A1",
        "title": 'Shoe, "Pro"\nedition',
        "link": "https://x/a",
        "imageLink": "https://x/a.jpg",
        "price": {"value": "49.99", "currency": "EUR"},
        "additionalImageLinks": ["https://x/1.jpg", "https://x/2.jpg"],
        "adult": True,
        "numberOfReviews": 12,
        "shippingWeight": {"value": 2.5, "unit": "kg"},
        "customAttributes": [{"name": "fit", "value": "slim"}],
    }
    assert b.product == {
        "id": "A2",
        "title": "Plain",
        "link": "https://x/b",
        "imageLink": "https://x/b.jpg",
        "price": {"value": "10"},
    }


def test_csv_more_conversions() -> None:
    data = (
        "id,displayAdsValue,multipack,unitPricingBaseMeasure,price,filters,custom\n"
        'A,3.5,6,100 g,"{""value"": ""1"", ""currency"": ""USD""}","{""size"": [""M""]}",kept\n'
    )
    (item,) = cs(data)
    assert isinstance(item, FeedRecord)
    assert item.product == {
        "id": "A",
        "displayAdsValue": 3.5,
        "multipack": 6,
        "unitPricingBaseMeasure": {"value": 100, "unit": "g"},
        "price": {"value": "1", "currency": "USD"},
        "filters": {"size": ["M"]},
        "custom": "kept",
    }


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("B1,t,https://x,https://x.jpg,abc,,,,,", "column price"),
        ("B1,t,https://x,https://x.jpg,,,maybe,,,", "column adult"),
        ("B1,t,https://x,https://x.jpg,,,,1.5,,", "column numberOfReviews"),
        ("B1,t,https://x,https://x.jpg,,,,99999999999,,", "out of range"),
        ("B1,t,https://x,https://x.jpg,,,,,heavy,", "column shippingWeight"),
        ("B1,t,https://x,https://x.jpg,,,,,,{not json", "expected JSON"),
        ("B1,t,https://x,https://x.jpg,,,,,,{}", "expected a JSON array"),
        ("B1,t,https://x", "expected 10 fields, got 3"),
        ("B1,t,https://x,https://x.jpg,,,,,,,extra", "expected 10 fields, got 11"),
        ('B1,"bad"quote,https://x,https://x.jpg,,,,,,', "malformed CSV"),
    ],
)
def test_csv_bad_rows_are_reported_with_line_and_id(row: str, fragment: str) -> None:
    items = cs(HEADER + "\nA,ok,https://x,https://x.jpg,,,,,,\n" + row + "\nC,ok,https://x,https://x.jpg,,,,,,\n")
    assert summary(items) == [(2, "ok"), (3, "err"), (4, "ok")]
    err = items[1]
    assert isinstance(err, FeedError) and fragment in err.message
    if "malformed" not in fragment:
        assert err.product_id == "B1"


def test_csv_trailing_empty_cells_are_tolerated() -> None:
    assert summary(cs("id,title\nA,t,,\n")) == [(2, "ok")]


def test_csv_invalid_utf8_only_spoils_its_row() -> None:
    data = b"id,title\nA,ok\nB,bad\xff\xfe\nC,caf\xc3\xa9\n"
    items = cs(data)
    assert summary(items) == [(2, "ok"), (3, "err"), (4, "ok")]
    assert isinstance(items[1], FeedError) and "invalid UTF-8" in items[1].message
    assert isinstance(items[2], FeedRecord) and items[2].product["title"] == "caf\u00e9"


def test_csv_huge_field_and_overlong_line() -> None:
    big = "x" * 200_000  # over csv's field limit
    items = cs(f"id,title\nA,ok\nB,{big}\nC,ok\n")
    assert summary(items) == [(2, "ok"), (3, "err"), (4, "ok")]
    items = cs(f"id,title\nA,ok\nB,{big}\nC,ok\n", max_line_chars=1000)
    assert summary(items) == [(2, "ok"), (3, "err"), (4, "ok")]
    assert isinstance(items[1], FeedError) and "longer than 1000" in items[1].message


def test_csv_unterminated_quote_is_an_error_not_a_hang() -> None:
    items = cs('id,title\nA,ok\nB,"never closed\nC,ok\n')
    assert summary(items)[0] == (2, "ok")
    assert isinstance(items[-1], FeedError)


def test_csv_bad_headers() -> None:
    (err,) = cs("id,title,id\nA,b,c\n")
    assert isinstance(err, FeedError) and "duplicate" in err.message and err.line == 1
    (err,) = cs(b"id,t\xffitle\nA,b\n")
    assert isinstance(err, FeedError) and "invalid UTF-8" in err.message
    assert cs("") == []
    assert cs("\n\n") == []


def test_csv_empty_header_columns_are_ignored() -> None:
    (item,) = cs("id,,title\nA,junk,T\n")
    assert isinstance(item, FeedRecord) and item.product == {"id": "A", "title": "T"}


def test_csv_list_delimiter_option() -> None:
    (item,) = cs("id,sizes\nA,S;M;L\n", list_delimiter=";")
    assert isinstance(item, FeedRecord) and item.product["sizes"] == ["S", "M", "L"]


def test_csv_from_path(tmp_path: Path) -> None:
    p = tmp_path / "feed.csv"
    p.write_text("id,title\nA,T\n")
    assert summary(list(read_feed(p))) == [(2, "ok")]


# -- hostile input, property-based ------------------------------------------------------------------

hostile_bytes = st.lists(
    st.one_of(
        st.binary(max_size=60),
        st.sampled_from(
            [
                b"\n",
                b"\r\n",
                b"\r",
                b'"',
                b",",
                b"\xef\xbb\xbf",
                b"\xff",
                b"\x00",
                b"{",
                b"}",
                b"[",
                b'{"id":"A"}',
                b"\\",
            ]
        ),
        st.text(max_size=30).map(lambda s: s.encode("utf-8", "surrogatepass")),
    ),
    max_size=40,
).map(b"".join)

HOSTILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_stream(items: list[FeedItem]) -> None:
    lines = [i.line for i in items]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)
    for i in items:
        assert isinstance(i, FeedRecord | FeedError)
        if isinstance(i, FeedRecord):
            assert isinstance(i.product, dict)


@HOSTILE
@given(hostile_bytes)
def test_jsonl_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    check_stream(jl(data, max_line_bytes=50))


@HOSTILE
@given(hostile_bytes)
def test_csv_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    items = cs(data, max_line_chars=50)
    lines = [i.line for i in items]
    assert lines == sorted(lines)
    for i in items:
        if isinstance(i, FeedRecord):
            for v in i.product.values():
                if isinstance(v, str):
                    v.encode("utf-8")  # no undecodable bytes leak into products


@HOSTILE
@given(hostile_bytes)
def test_csv_with_a_header_never_raises(data: bytes) -> None:
    cs(HEADER.encode() + b"\n" + data, max_line_chars=80)


@HOSTILE
@given(
    st.lists(
        st.one_of(st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3), hostile_bytes), max_size=15
    )
)
def test_jsonl_good_lines_survive_among_bad_ones(lines: list[Any]) -> None:
    encoded = []
    for x in lines:
        if isinstance(x, dict):
            encoded.append(json.dumps(x).encode())
        else:
            encoded.append(x.replace(b"\n", b" ").replace(b"\r", b" "))
    items = jl(b"\n".join(encoded) + b"\n")
    check_stream(items)
    by_line = {i.line: i for i in items}
    for n, x in enumerate(lines, start=1):
        if isinstance(x, dict):
            item = by_line[n]
            assert isinstance(item, FeedRecord) and item.product == x
