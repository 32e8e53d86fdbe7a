"""CSV and TSV: a header row of attribute names, then one product per row.

RFC 4180 quoting (Excel's): a quoted cell may hold the delimiter, quotes (doubled) and newlines. A
UTF-8 byte order mark is skipped; a UTF-16 one (Excel's "Unicode text") selects UTF-16. The header may
use Criteo's names (``imageLink``) or Google's (``image_link``, ``image link``, ``g:image_link``, any
case), and Google's sub-attribute order for structured attributes (``shipping(country:price)``). Two
columns of one list field add up (a repeated ``additional_image_link`` column); two of one single-valued
field make the header unusable. Columns that map to no Product field are left out and counted in the
feed's ``unmapped``. Cells are converted by :func:`~criteo_catalog_sdk.push.feeds.values.convert_text`;
an empty cell means "no value". Line numbers are physical lines (the header is line 1); a record
spanning lines is reported at its first line. Memory is bounded by ``max_line_chars``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from typing import IO, Final, NamedTuple

from criteo_catalog_sdk.push.feeds.attributes import Attribute, is_list, lookup, sub_field
from criteo_catalog_sdk.push.feeds.items import (
    DEFAULT_LIST_DELIMITER,
    DEFAULT_MAX_LINE_CHARS,
    MAX_CELL_CHARS,
    FeedError,
    FeedItem,
    FeedRecord,
    Tally,
)
from criteo_catalog_sdk.push.feeds.source import SourceError
from criteo_catalog_sdk.push.feeds.values import Assembler, convert_text

_SKIP_TO_EOL_CHUNK: Final = 1 << 20
_SUB_ATTRIBUTES: Final = re.compile(r"\s*([^()]*?)\s*\(([^()]*)\)\s*")


class Column(NamedTuple):
    """A header cell: its name as written and what it maps to (``None``: nothing, or an empty name)."""

    name: str
    attr: Attribute | None


class _LineFeeder:
    """Feeds text lines to ``csv.reader``, each at most ``limit`` characters; remembers over-long ones."""

    def __init__(self, fp: IO[str], limit: int) -> None:
        self.fp = fp
        self.limit = limit
        self.overlong = False

    def __iter__(self) -> Iterator[str]:
        limit = self.limit
        while True:
            line = self.fp.readline(limit + 1)
            if not line:
                return
            if len(line) > limit and line[-1] not in "\r\n":
                self.overlong = True
                while True:
                    more = self.fp.readline(_SKIP_TO_EOL_CHUNK)
                    if not more or more[-1] in "\r\n":
                        break
                yield "\n"  # stands for the dropped line; its record is reported, not parsed
            else:
                yield line


def has_bad_text(text: str) -> bool:
    """Whether decoding left undecodable bytes (lone surrogates, ``errors="surrogateescape"``)."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def column(name: str) -> Column:
    """What a header cell maps to; Google's ``shipping(country:postal_code:price)`` sets the parts order."""
    m = _SUB_ATTRIBUTES.fullmatch(name)
    if m is None:
        return Column(name, lookup(name) if name else None)
    attr = lookup(m.group(1))
    if attr is None or attr.spec.obj is None:
        return Column(name, None)
    parts = []
    for part in m.group(2).split(":"):  # product_detail's parts are no CustomAttribute fields: kept as written
        parts.append(sub_field(attr.spec.obj, part) or part.strip().lower())
    return Column(name, attr._replace(parts=tuple(parts)))


def _header(names: list[str]) -> list[Column] | str:
    """The columns of a header row, or why it cannot be used."""
    if any(has_bad_text(c) for c in names):
        return "invalid UTF-8"
    columns = [column(c) for c in names]
    seen: dict[str, str] = {}
    for col in columns:
        if col.attr is None or is_list(col.attr):
            continue
        if col.attr.field in seen:
            return f"duplicate columns for {col.attr.field}: {seen[col.attr.field]!r} and {col.name!r}"
        seen[col.attr.field] = col.name
    dupes = sorted({c.name for c in columns if c.attr is None and c.name and names.count(c.name) > 1})
    if dupes:
        return f"duplicate columns {dupes}"
    return columns


def iter_delimited(
    fp: IO[bytes],
    tally: Tally,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8-sig",
    list_delimiter: str = DEFAULT_LIST_DELIMITER,
    max_line_chars: int = DEFAULT_MAX_LINE_CHARS,
    keep_unmapped: bool = False,
    on_close: Callable[[], None] | None = None,
) -> Iterator[FeedItem]:
    """The items of a CSV/TSV stream (see the module doc).

    A header that cannot be used (unreadable, one field twice) is reported at its line and ends the
    feed: no row could be interpreted.
    """
    # The csv module refuses fields over its limit (131,072 characters by default, process-wide) and then
    # goes on in the middle of the record: the tail of a long quoted cell spanning lines would become
    # bogus records. So it may read fields as long as a line may be (the limit is raised, never
    # lowered), and cells over MAX_CELL_CHARS are reported here, for the whole record.
    if csv.field_size_limit() < max_line_chars:
        csv.field_size_limit(max_line_chars)
    text = io.TextIOWrapper(fp, encoding=encoding, errors="surrogateescape", newline="")
    feeder = _LineFeeder(text, max_line_chars)
    reader = csv.reader(feeder, delimiter=delimiter, strict=True)
    header: list[Column] | None = None
    try:
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                feeder.overlong = False
                yield FeedError(start, f"malformed CSV: {exc}")
                continue
            except (SourceError, UnicodeDecodeError) as exc:
                yield tally.fatal(FeedError(start, str(exc)))
                return
            if feeder.overlong:
                feeder.overlong = False
                yield FeedError(start, f"line longer than {max_line_chars} characters")
                continue
            if not row or all(not c for c in row):
                continue
            if header is None and row[0].strip().lower() == "sep=" and not any(row[1:]):
                continue  # Excel's "sep=;" line, which names the delimiter (sniffed from it too)
            if header is None:
                found = _header([c.strip() for c in row])
                if isinstance(found, str):
                    yield tally.fatal(FeedError(start, f"unusable header ({found}): no row can be read"))
                    return
                header = found
                continue
            yield _row_item(start, row, header, list_delimiter, tally, keep_unmapped)
    finally:
        text.detach()  # leave the binary stream to its owner
        if on_close is not None:
            on_close()


def _row_item(
    line: int,
    row: list[str],
    header: list[Column],
    list_delimiter: str,
    tally: Tally,
    keep_unmapped: bool,
) -> FeedItem:
    pid = next((c for col, c in zip(header, row, strict=False) if col.attr and col.attr.field == "id"), None)
    pid = pid if pid and not has_bad_text(pid) else None
    if len(row) != len(header) and (len(row) < len(header) or any(row[len(header) :])):
        return FeedError(line, f"expected {len(header)} fields, got {len(row)}", pid)
    out = Assembler()
    seen: set[str] | None = None
    for (name, attr), cell in zip(header, row, strict=False):
        if not cell or not name:
            continue
        if len(cell) > MAX_CELL_CHARS:
            return FeedError(line, f"column {name}: field larger than field limit ({MAX_CELL_CHARS})", pid)
        if has_bad_text(cell):
            return FeedError(line, f"column {name}: invalid UTF-8", pid, field=attr.field if attr else None)
        if attr is None:
            if keep_unmapped:
                out.product[name] = cell
            elif seen is None or name not in seen:
                seen = seen or set()
                seen.add(name)
                tally.count(name)
            continue
        try:
            out.put(attr, name, convert_text(attr, cell, list_delimiter))
        except ValueError as exc:
            return FeedError(line, f"column {name}: {exc}", pid, field=attr.field)
    return FeedRecord(line, out.product)


__all__ = ["Column", "column", "has_bad_text", "iter_delimited"]
