"""Compressed feeds: gzip, bzip2, xz, zstd by magic bytes (stdin too); corrupt streams are feed errors."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import zstandard

from criteo_catalog_sdk.push.feeds import FeedError, read_feed
from criteo_catalog_sdk.push.feeds.source import Opened, strip_compression

from .helpers import errors, products, summary

JSONL = b"".join(b'{"id": "P%d", "title": "T"}\n' % i for i in range(1, 2001))
BIG_JSONL = b"".join(b'{"id": "P%d", "title": "T%d"}\n' % (i, i * 7919 % 10007) for i in range(1, 100_001))
COMPRESSORS: dict[str, tuple[str, Callable[[bytes], bytes]]] = {
    "gzip": (".gz", gzip.compress),
    "bzip2": (".bz2", bz2.compress),
    "xz": (".xz", lzma.compress),
    "zstd": (".zst", lambda data: zstandard.ZstdCompressor().compress(data)),
}


@pytest.mark.parametrize("kind", COMPRESSORS)
def test_compressed_feeds_from_a_path_a_stream_and_stdin(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suffix, compress = COMPRESSORS[kind]
    data = compress(JSONL)
    path = tmp_path / f"feed.jsonl{suffix}"
    path.write_bytes(data)
    feed = read_feed(path)
    items = list(feed)
    assert len(products(items)) == 2000 and items[-1].line == 2000
    assert (feed.format, feed.compression) == ("jsonl", kind)

    class FakeStdin:
        buffer = io.BufferedReader(io.BytesIO(data))  # type: ignore[arg-type]

    monkeypatch.setattr(sys, "stdin", FakeStdin)
    feed = read_feed("-")  # no name: the magic bytes and the content tell everything
    assert len(products(list(feed))) == 2000 and (feed.format, feed.compression) == ("jsonl", kind)
    assert not FakeStdin.buffer.closed


def test_every_format_may_be_compressed(tmp_path: Path) -> None:
    xml = b'<rss xmlns:g="http://base.google.com/ns/1.0"><channel><item><g:id>X</g:id></item></channel></rss>'
    for name, data, fmt in [
        ("f.xml.gz", xml, "xml"),
        ("f.tsv.bz2", b"id\ttitle\nA\tB\n", "tsv"),
        ("f.xz", b"id;t\n1;2\n", "csv"),
    ]:
        path = tmp_path / name
        path.write_bytes(
            gzip.compress(data) if name.endswith("gz") else bz2.compress(data) if "bz2" in name else lzma.compress(data)
        )
        feed = read_feed(path)
        assert len(products(list(feed))) == 1 and feed.format == fmt, name


def test_concatenated_gzip_members_are_one_feed() -> None:
    data = gzip.compress(b'{"id": "A"}\n') + gzip.compress(b'{"id": "B"}\n')
    assert [p["id"] for p in products(list(read_feed(io.BytesIO(data))))] == ["A", "B"]


@pytest.mark.parametrize("kind", COMPRESSORS)
def test_a_truncated_stream_is_a_feed_error_at_its_position(kind: str) -> None:
    _, compress = COMPRESSORS[kind]
    data = compress(BIG_JSONL)
    feed = read_feed(io.BytesIO(data[: len(data) * 2 // 3]))
    items = list(feed)
    (err,) = errors(items)
    assert err is items[-1] and err.fatal and not feed.complete
    assert err.line == len(items) and "corrupt or truncated" in err.message and kind in err.message
    assert len(items) > 10_000  # what came before the cut was read


def test_corrupt_gzip_data_is_a_feed_error() -> None:
    data = bytearray(gzip.compress(JSONL))
    data[len(data) // 2 : len(data) // 2 + 64] = b"\x00" * 64
    items = list(read_feed(io.BytesIO(bytes(data))))
    assert isinstance(items[-1], FeedError) and items[-1].fatal and "corrupt or truncated gzip" in items[-1].message


def test_a_name_that_says_compressed_on_plain_content_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(JSONL)
    items = list(read_feed(path))
    assert summary(items) == [(1, "err")]
    assert "the file name says gzip but its content is not gzip-compressed" in items[0].message
    empty = tmp_path / "empty.jsonl.gz"
    empty.write_bytes(b"")
    assert list(read_feed(empty)) == []


def test_only_what_was_opened_is_closed(tmp_path: Path) -> None:
    stream = io.BytesIO(gzip.compress(JSONL))
    opened = Opened(stream)
    opened.close()
    assert not stream.closed
    path = tmp_path / "f.jsonl"
    path.write_bytes(JSONL)
    opened = Opened(path)
    owned = opened._owned
    opened.close()
    assert owned is not None and owned.closed


def test_names_without_their_compression_suffix() -> None:
    assert strip_compression("a/feed.XML.GZ") == "a/feed.XML"
    assert strip_compression("feed.csv") == "feed.csv"
    with pytest.raises(FileNotFoundError):
        list(read_feed("/nonexistent/feed.jsonl"))
