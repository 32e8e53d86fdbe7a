"""Format detection: the file name first (compression suffix removed), then the first bytes."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest

from criteo_catalog_sdk.push.feeds import feed_format, read_feed
from criteo_catalog_sdk.push.feeds.detect import format_from_content, format_from_name, parse_delimiter, sniff_delimiter


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.jsonl", "jsonl"),
        ("a.NDJSON", "jsonl"),
        ("a.csv", "csv"),
        ("a.tsv", "tsv"),
        ("a.xml", "xml"),
        ("a.txt", None),
    ],
)
def test_format_from_name(name: str, fmt: str | None) -> None:
    assert format_from_name(name) == fmt


@pytest.mark.parametrize(
    ("head", "fmt", "delimiter"),
    [
        (b'\n  {"id": "A"}\n', "jsonl", None),
        (b'\xef\xbb\xbf<?xml version="1.0"?><rss/>', "xml", None),
        (b"  \n<rss>", "xml", None),
        (codecs.BOM_UTF16_LE + "<feed/>".encode("utf-16-le"), "xml", None),
        (b"id\ttitle\tprice\n", "tsv", "\t"),
        (b"\xef\xbb\xbfid;title;price\r\n", "csv", ";"),
        (b'"id","ti;tle"\n', "csv", ","),
        (b"id|title\n", "csv", "|"),
        (b"id\n", "csv", ","),
        (b"", "csv", ","),
    ],
)
def test_format_from_content(head: bytes, fmt: str, delimiter: str | None) -> None:
    assert format_from_content(head) == (fmt, delimiter)


def test_sniffing_counts_outside_quotes() -> None:
    assert sniff_delimiter('"a;b;c";"d"') == ";"
    assert sniff_delimiter('"a,b,c";"d",e') == ";"  # one of each outside quotes: ; is preferred to ,
    assert sniff_delimiter("id,title;x,y") == ","


def test_delimiters_as_users_write_them() -> None:
    assert parse_delimiter("\\t") == parse_delimiter("tab") == "\t"
    assert parse_delimiter(";") == ";"
    for bad in ("", ";;", '"', "a", "1", "\n"):
        with pytest.raises(ValueError):
            parse_delimiter(bad)


def test_feed_format_and_explicit_formats(tmp_path: Path) -> None:
    assert feed_format("a/b.CSV") == "csv"
    assert feed_format("feed.jsonl") == "jsonl"
    assert feed_format("feed.xml.gz") == "xml"
    assert feed_format(tmp_path / "missing.txt") == "jsonl"
    txt = tmp_path / "google.txt"
    txt.write_text("id\ttitle\n")
    assert feed_format(txt) == "tsv"
    with pytest.raises(ValueError, match="unknown feed format 'yaml': use one of jsonl, csv, tsv, xml"):
        read_feed(io.BytesIO(b""), "yaml")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="max_line_bytes"):
        read_feed(io.BytesIO(b""), "xml", max_line_bytes=10)


def test_an_explicit_format_overrides_the_name(tmp_path: Path) -> None:
    path = tmp_path / "feed.csv"
    path.write_text('{"id": "A"}\n')
    feed = read_feed(path, "jsonl")
    assert [i.line for i in feed] == [1] and feed.format == "jsonl"


def test_a_tsv_name_on_comma_separated_content(tmp_path: Path) -> None:
    path = tmp_path / "feed.tsv"
    path.write_text("id,title\nA,B\n")
    feed = read_feed(path)
    assert [i.product for i in feed if hasattr(i, "product")] == [{"id": "A", "title": "B"}]
    assert (feed.format, feed.delimiter) == ("tsv", ",")
