"""Streaming feed readers: the feeds merchants already have, to Criteo Product dicts.

:func:`read_feed` reads a path, ``-`` (standard input) or a binary stream, in any of four formats:

- ``jsonl``: JSON Lines, one Product object per line (:mod:`.jsonl`);
- ``csv`` and ``tsv``: a header row of attribute names, one product per row (:mod:`.delimited`);
- ``xml``: Google Merchant Center's RSS 2.0 or Atom 1.0 feeds (:mod:`.xml_feed`).

The format comes from the file name (compression suffix removed), else from the content; the CSV
delimiter is sniffed from the header (``,`` ``;`` tab ``|``); gzip, bzip2, xz (and zstd with the
``zstandard`` package) are decompressed on the fly (:mod:`.source`, :mod:`.detect`). Attributes may
have Criteo's names or Google's (:mod:`.attributes`, one table); text values follow one set of rules
(:mod:`.values`).

The result is a :class:`Feed`: an iterator of :class:`FeedRecord` (a product) and :class:`FeedError`
(a line, record or item that cannot be read), lazily, in order, in constant memory. Hostile input
gives errors, never an exception or a hang; only a file that cannot be opened raises (``OSError``).
Once iterated, the feed tells which attributes it left out (:attr:`Feed.unmapped`, :attr:`Feed.notes`)
and whether it was read to its end (:attr:`Feed.complete`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, Final

from criteo_catalog_sdk.push.feeds import items
from criteo_catalog_sdk.push.feeds.detect import (
    first_line,
    format_from_content,
    format_from_name,
    parse_delimiter,
    sniff_delimiter,
    text_encoding,
)
from criteo_catalog_sdk.push.feeds.items import *  # noqa: F403 - re-exported: items.__all__
from criteo_catalog_sdk.push.feeds.items import (
    FORMATS,
    FeedError,
    FeedFormat,
    FeedItem,
    Source,
    Tally,
)
from criteo_catalog_sdk.push.feeds.source import Opened, SourceError, strip_compression

#: Options each format's reader takes (``read_feed``'s ``**options``).
OPTIONS: Final[dict[str, frozenset[str]]] = {
    "jsonl": frozenset({"max_line_bytes", "keep_unmapped"}),
    "csv": frozenset({"list_delimiter", "max_line_chars", "keep_unmapped"}),
    "tsv": frozenset({"list_delimiter", "max_line_chars", "keep_unmapped"}),
    "xml": frozenset({"list_delimiter", "max_item_bytes", "max_item_elements", "keep_unmapped"}),
}


class Feed(Iterator[FeedItem]):
    """A feed being read: iterate it for its items (once: it is an iterator, like a file).

    ``format`` and ``delimiter`` are the ones given, or, once iteration has started, the ones detected.
    After iteration: ``unmapped`` (attribute name -> rows or items carrying it, for the attributes that
    map to no Product field and were left out), ``notes`` (one line each) and ``complete`` (``False``
    when an error ended the feed early: malformed XML, a corrupt compressed stream, an unusable header).
    """

    def __init__(
        self, source: Source, format: FeedFormat | None = None, delimiter: str | None = None, **options: Any
    ) -> None:
        if format is not None and format not in FORMATS:
            raise ValueError(f"unknown feed format {format!r}: use one of {', '.join(FORMATS)}")
        allowed = OPTIONS[format] if format is not None else frozenset().union(*OPTIONS.values())
        unknown = sorted(set(options) - allowed)
        if unknown:
            raise TypeError(f"unknown feed option(s) {unknown} for format {format or 'any'}")
        self.source = source
        self.format: FeedFormat | None = format
        self.delimiter = parse_delimiter(delimiter) if delimiter is not None else None
        self.compression: str | None = None
        self._options = options
        self._tally = Tally()
        self._items: Iterator[FeedItem] | None = None

    def __iter__(self) -> Iterator[FeedItem]:
        # The reader's generator itself: a for loop pays no extra call per item (JSON Lines is the hot path).
        if self._items is None:
            self._items = self._start()
        return self._items

    def __next__(self) -> FeedItem:
        return next(iter(self))

    @property
    def unmapped(self) -> dict[str, int]:
        """Attribute name -> rows (items) carrying it, for attributes left out: they map to no field."""
        return self._tally.unmapped

    @property
    def complete(self) -> bool:
        """Whether the feed was read to its end (so far): ``False`` after an error that ended it."""
        return self._tally.complete

    @property
    def notes(self) -> list[str]:
        """One line per attribute left out, with its count, most frequent first."""
        unit = "item" if self.format == "xml" else "row"
        return [
            f"attribute {name!r} ({count:,} {unit}{'s' if count != 1 else ''}) maps to no Criteo Product field; ignored"
            for name, count in sorted(self.unmapped.items(), key=lambda kv: (-kv[1], kv[0]))
        ]

    def _start(self) -> Iterator[FeedItem]:
        """Open the source, detect its format and start its reader (which closes the source at its end)."""
        try:
            opened = Opened(self.source)
        except SourceError as exc:
            return iter([self._tally.fatal(FeedError(1, str(exc)))])
        try:
            self.compression = opened.compression
            head = opened.head()
            fmt = self.format or (format_from_name(opened.name) if opened.name else None)
            if fmt is None:
                fmt = format_from_content(head)[0]
            self.format = fmt
            options = {k: v for k, v in self._options.items() if k in OPTIONS[fmt]}
            if fmt == "jsonl":
                from criteo_catalog_sdk.push.feeds.jsonl import iter_jsonl

                return iter_jsonl(opened.stream, self._tally, on_close=opened.close, **options)
            if fmt == "xml":
                from criteo_catalog_sdk.push.feeds.xml_feed import iter_xml

                return iter_xml(opened.stream, self._tally, on_close=opened.close, **options)
            from criteo_catalog_sdk.push.feeds.delimited import iter_delimited

            if self.delimiter is None:  # sniffed; a .tsv is tab-separated unless its header has no tab
                header = first_line(head)
                self.delimiter = "\t" if fmt == "tsv" and "\t" in header else sniff_delimiter(header)
            return iter_delimited(
                opened.stream,
                self._tally,
                delimiter=self.delimiter,
                encoding=text_encoding(head),
                on_close=opened.close,
                **options,
            )
        except BaseException:
            opened.close()
            raise


def read_feed(source: Source, format: FeedFormat | None = None, delimiter: str | None = None, **options: Any) -> Feed:
    """Read a feed (see the module doc): ``format`` and ``delimiter`` override detection.

    ``options``: ``keep_unmapped`` (keep attributes that map to no field, as written, for validation's
    ``unknown_fields`` to judge), ``max_line_bytes`` (JSON Lines), ``list_delimiter`` and
    ``max_line_chars`` (CSV/TSV), ``max_item_bytes`` and ``max_item_elements`` (XML). Raises
    ``ValueError`` for an unknown format or delimiter, ``TypeError`` for an unknown option.
    """
    return Feed(source, format, delimiter, **options)


def read_jsonl(source: Source, **options: Any) -> Feed:
    """Read a JSON Lines feed (options: ``max_line_bytes``, ``keep_unmapped``)."""
    return Feed(source, "jsonl", **options)


def read_csv(source: Source, *, delimiter: str | None = None, **options: Any) -> Feed:
    """Read a CSV feed; the delimiter is sniffed from the header unless given (options: ``list_delimiter``,
    ``max_line_chars``, ``keep_unmapped``)."""
    return Feed(source, "csv", delimiter, **options)


def read_tsv(source: Source, **options: Any) -> Feed:
    """Read a tab-separated feed (Google's text feeds); options as :func:`read_csv`."""
    return Feed(source, "tsv", "\t", **options)


def read_xml(source: Source, **options: Any) -> Feed:
    """Read an RSS 2.0 or Atom 1.0 feed (options: ``max_item_bytes``, ``max_item_elements``,
    ``list_delimiter``, ``keep_unmapped``)."""
    return Feed(source, "xml", **options)


def feed_format(path: str | os.PathLike[str]) -> FeedFormat:
    """A feed's format from its file name (compression suffix removed), else from its content when the
    file can be read; ``jsonl`` when neither tells."""
    fmt = format_from_name(strip_compression(os.fspath(path)))
    if fmt is not None:
        return fmt
    try:
        opened = Opened(path)
    except (OSError, SourceError):
        return "jsonl"
    try:
        head = opened.head()
    finally:
        opened.close()
    return format_from_content(head)[0] if head.strip() else "jsonl"


__all__ = ["Feed", "feed_format", "read_csv", "read_feed", "read_jsonl", "read_tsv", "read_xml"]
__all__ += items.__all__  # the item types and limits
