"""Streaming feed readers: JSON Lines and CSV files (or ``-`` for stdin) to product dicts.

Both yield, lazily and in order, a :class:`FeedRecord` per product or a :class:`FeedError` per
line that cannot be read (with its line number), and go on with the next line. Hostile input gives
per-line errors, never an exception or a hang: a BOM is skipped, invalid UTF-8 (also lone
surrogates), malformed JSON or quoting, JSON nested deeper than 1024 levels, wrong cell types and
over-long lines are reported; memory is bounded by ``max_line_bytes`` (JSON Lines) or
``max_line_chars`` (CSV) whatever the input. Wrong value types in JSON (a number for a title) are
left to validation, which reports them per product.

**JSON Lines**: one Product object per line, with Criteo's camelCase field names (the wire format);
blank lines are skipped.

**CSV**: a header row of Product field names (camelCase), then one product per row; RFC 4180 quoting,
so a quoted cell may contain the delimiter, quotes (doubled) and newlines. Cells are converted per
the Product schema:

- an empty cell means "no value" (the field is left out);
- text fields are taken as is; booleans: ``true/false``, ``yes/no``, ``1/0`` (any case);
  integers and numbers: plain decimal notation;
- list fields (``additionalImageLinks``, ``sizes``, ``productTypes``...): items separated by
  ``list_delimiter``, default ``|`` (commas occur in URLs and titles), surrounding spaces trimmed;
- ``price``, ``salePrice``, ``costOfGoodsSold``: ``"49.99 EUR"`` -> ``{"value": "49.99", "currency": "EUR"}``
  (an amount alone gives ``{"value": ...}``);
- ``shippingWeight``, ``shippingLength/Width/Height``, ``unitPricingMeasure``,
  ``unitPricingBaseMeasure``: ``"2.5 kg"`` -> ``{"value": 2.5, "unit": "kg"}``;
- any other structured field (``shipping``, ``taxes``, ``customAttributes``, ``filters``,
  ``installment``, ``loyaltyPoints``), and any of the above, may be given as JSON text in its cell;
- columns that are not Product fields are passed through as text (validation then reports them,
  unless ``unknown_fields`` says otherwise); columns with an empty header are ignored.

Line numbers are physical lines of the file (1-based; the header is line 1); a CSV record spanning
several lines is reported at its first line.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, Final, Literal

import orjson

from criteo_catalog_sdk.push.result import Issue
from criteo_catalog_sdk.push.schema import (
    BOOL,
    INT32,
    INT32_MAX,
    INT32_MIN,
    INT64,
    INT64_MAX,
    INT64_MIN,
    INT_OR_DIGITS,
    NUMBER,
    OBJECT,
    OBJECT_LIST,
    PRODUCT_FIELDS,
    STR_LIST,
    STR_LIST_MAP,
    FieldSpec,
)
from criteo_catalog_sdk.push.wire import MAX_REQUEST_BYTES, Rejected

FeedFormat = Literal["jsonl", "csv"]
Source = str | os.PathLike[str] | IO[bytes]

#: A product line longer than a whole request can never be sent: stop reading it there.
DEFAULT_MAX_LINE_BYTES: Final = MAX_REQUEST_BYTES
DEFAULT_MAX_LINE_CHARS: Final = MAX_REQUEST_BYTES
DEFAULT_LIST_DELIMITER: Final = "|"
#: Longest CSV cell read (the csv module's default field limit): no Product field needs more.
MAX_CELL_CHARS: Final = 131_072

_BOM: Final = b"\xef\xbb\xbf"
_INT_RE: Final = re.compile(r"[+-]?[0-9]+")
_NUM_RE: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_AMOUNT_RE: Final = re.compile(r"([+-]?[0-9]+(?:\.[0-9]+)?)(?:\s+([A-Za-z]{3}))?")
_MEASURE_RE: Final = re.compile(r"([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))\s*([^\s0-9].*)?")
_TRUE: Final = frozenset({"true", "yes", "y", "1"})
_FALSE: Final = frozenset({"false", "no", "n", "0"})
_SKIP_TO_EOL_CHUNK: Final = 1 << 20


@dataclass(frozen=True, slots=True)
class FeedRecord:
    """One product read from a feed, at its (first) line number."""

    line: int
    product: dict[str, Any]


@dataclass(frozen=True, slots=True)
class FeedError:
    """A line (or CSV record) that could not be read; ``product_id`` when the id could still be seen."""

    line: int
    message: str
    product_id: str | None = None

    def to_rejected(self) -> Rejected:
        """The error as a client-side rejection, for the result."""
        return Rejected(self.line, self.product_id, (Issue("ParseError", f"line {self.line}: {self.message}"),))


FeedItem = FeedRecord | FeedError


def feed_format(path: str | os.PathLike[str]) -> FeedFormat:
    """Guess a feed's format from its file name (``.csv`` is CSV; anything else JSON Lines)."""
    return "csv" if os.fspath(path).lower().endswith(".csv") else "jsonl"


def read_feed(source: Source, format: FeedFormat | None = None, **options: Any) -> Iterator[FeedItem]:
    """Read a feed in ``format`` (guessed from the file name if omitted; stdin needs it or is JSON Lines).

    ``options`` go to :func:`read_jsonl` or :func:`read_csv`.
    """
    if format is None:
        format = feed_format(source) if isinstance(source, str | os.PathLike) and source != "-" else "jsonl"
    if format == "csv":
        return read_csv(source, **options)
    if format == "jsonl":
        return read_jsonl(source, **options)
    raise ValueError(f"unknown feed format {format!r}")


class _Opened:
    """A binary stream for a path, ``-`` (stdin) or an open binary stream; closes only what it opened."""

    def __init__(self, source: Source) -> None:
        self.owned = False
        if isinstance(source, str | os.PathLike):
            if os.fspath(source) == "-":
                self.fp: IO[bytes] = sys.stdin.buffer
            else:
                self.fp = open(source, "rb")  # noqa: SIM115 - closed by close()
                self.owned = True
        else:
            self.fp = source

    def close(self) -> None:
        if self.owned:
            self.fp.close()


def _bounded_lines(fp: IO[bytes], limit: int) -> Iterator[bytes | None]:
    """Physical lines of at most ``limit`` bytes; ``None`` for an over-long line (skipped, not held)."""
    while True:
        line = fp.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and line[-1:] != b"\n":
            while True:  # drop the rest of the line without holding it
                more = fp.readline(_SKIP_TO_EOL_CHUNK)
                if not more or more[-1:] == b"\n":
                    break
            yield None
        else:
            yield line


def read_jsonl(source: Source, *, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES) -> Iterator[FeedItem]:
    """Read a JSON Lines feed: one Product object (camelCase fields) per line."""
    opened = _Opened(source)
    try:
        for n, line in enumerate(_bounded_lines(opened.fp, max_line_bytes), start=1):
            if line is None:
                yield FeedError(n, f"line longer than {max_line_bytes} bytes")
                continue
            if n == 1 and line.startswith(_BOM):
                line = line[len(_BOM) :]
            if not line.strip():
                continue
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield FeedError(n, f"invalid JSON: {exc}")
                continue
            if type(value) is not dict:
                yield FeedError(n, f"expected a JSON object (one product per line), got {type(value).__name__}")
                continue
            yield FeedRecord(n, value)
    finally:
        opened.close()


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


def _has_bad_utf8(text: str) -> bool:
    # Undecodable bytes arrive as lone surrogates (errors="surrogateescape").
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _convert(name: str, cell: str, spec: FieldSpec | None, list_delimiter: str) -> Any:
    """One CSV cell to its Product value; raises ``ValueError`` with a message."""
    if spec is None:
        return cell
    kind = spec.kind
    if kind == STR_LIST:
        return [s.strip() for s in cell.split(list_delimiter) if s.strip()]
    if kind == BOOL:
        low = cell.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(f"expected true or false, got {cell[:40]!r}")
    if kind in (INT64, INT32, INT_OR_DIGITS):
        text = cell.strip()
        if not _INT_RE.fullmatch(text):
            raise ValueError(f"expected an integer, got {cell[:40]!r}")
        value = int(text)
        lo, hi = (INT32_MIN, INT32_MAX) if kind == INT32 else (INT64_MIN, INT64_MAX)
        if not lo <= value <= hi:
            raise ValueError(f"{value} is out of range")
        return value
    if kind == NUMBER:
        return _number(cell)
    text = cell.strip()
    if kind == OBJECT and not text.startswith("{") and spec.obj is not None:
        if spec.obj.name == "Price":
            m = _AMOUNT_RE.fullmatch(text)
            if m is None:
                raise ValueError(f'expected an amount and a currency like "49.99 EUR", got {cell[:40]!r}')
            price = {"value": m.group(1)}
            if m.group(2):
                price["currency"] = m.group(2).upper()
            return price
        if set(spec.obj.fields) == {"unit", "value"}:
            m = _MEASURE_RE.fullmatch(text)
            if m is None:
                raise ValueError(f'expected a number and a unit like "2.5 kg", got {cell[:40]!r}')
            amount = m.group(1)
            if spec.obj.fields["value"].kind == INT64:
                if not _INT_RE.fullmatch(amount):
                    raise ValueError(f"expected an integer and a unit, got {cell[:40]!r}")
                value_: int | float = int(amount)
            else:
                value_ = _number(amount)
            measure: dict[str, Any] = {"value": value_}
            if m.group(2):
                measure["unit"] = m.group(2).strip()
            return measure
    if kind in (OBJECT, OBJECT_LIST, STR_LIST_MAP):
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise ValueError(f"expected JSON: {exc}") from None
        expected = list if kind == OBJECT_LIST else dict
        if type(value) is not expected:
            raise ValueError(f"expected a JSON {'array' if expected is list else 'object'}")
        return value
    return cell  # text fields and channel


def _number(cell: str) -> float | int:
    text = cell.strip()
    if not _NUM_RE.fullmatch(text):
        raise ValueError(f"expected a number, got {cell[:40]!r}")
    if _INT_RE.fullmatch(text):
        return int(text)
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{cell[:40]!r} is out of range")
    return value


def read_csv(
    source: Source,
    *,
    list_delimiter: str = DEFAULT_LIST_DELIMITER,
    delimiter: str = ",",
    max_line_chars: int = DEFAULT_MAX_LINE_CHARS,
) -> Iterator[FeedItem]:
    """Read a CSV feed: header of Product field names, one product per row (see the module doc).

    A header that cannot be used (unreadable, duplicate names) is reported as an error at its line
    and ends the feed: no row could be interpreted.
    """
    # The csv module refuses fields over its limit (131,072 characters by default, process-wide) and then
    # goes on in the middle of the record: the tail of a long quoted cell spanning lines would become
    # bogus records. So it may read fields as long as a line may be (the limit is raised, never
    # lowered), and cells over MAX_CELL_CHARS are reported here, for the whole record.
    if csv.field_size_limit() < max_line_chars:
        csv.field_size_limit(max_line_chars)
    opened = _Opened(source)
    text = io.TextIOWrapper(opened.fp, encoding="utf-8-sig", errors="surrogateescape", newline="")
    feeder = _LineFeeder(text, max_line_chars)
    reader = csv.reader(feeder, delimiter=delimiter, strict=True)
    header: list[tuple[str, FieldSpec | None]] | None = None
    id_col: int | None = None
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
            if feeder.overlong:
                feeder.overlong = False
                yield FeedError(start, f"line longer than {max_line_chars} characters")
                continue
            if not row or all(not c for c in row):
                continue
            if header is None:
                names = [c.strip() for c in row]
                bad = [c for c in names if _has_bad_utf8(c)]
                dupes = sorted({c for c in names if c and names.count(c) > 1})
                if bad or dupes:
                    why = "invalid UTF-8" if bad else f"duplicate columns {dupes}"
                    yield FeedError(start, f"unusable header ({why}): no row can be read")
                    return
                header = [(c, PRODUCT_FIELDS.get(c)) for c in names]
                id_col = names.index("id") if "id" in names else None
                continue
            yield _row_item(start, row, header, id_col, list_delimiter)
    finally:
        text.detach()  # leave the binary stream to its owner
        opened.close()


def _row_item(
    line: int, row: list[str], header: list[tuple[str, FieldSpec | None]], id_col: int | None, list_delimiter: str
) -> FeedItem:
    pid = row[id_col] if id_col is not None and id_col < len(row) else None
    pid = pid if pid and not _has_bad_utf8(pid) else None
    if len(row) != len(header) and (len(row) < len(header) or any(row[len(header) :])):
        return FeedError(line, f"expected {len(header)} fields, got {len(row)}", pid)
    product: dict[str, Any] = {}
    for (name, spec), cell in zip(header, row, strict=False):
        if not cell or not name:
            continue
        if len(cell) > MAX_CELL_CHARS:
            return FeedError(line, f"column {name}: field larger than field limit ({MAX_CELL_CHARS})", pid)
        if _has_bad_utf8(cell):
            return FeedError(line, f"column {name}: invalid UTF-8", pid)
        try:
            product[name] = _convert(name, cell, spec, list_delimiter)
        except ValueError as exc:
            return FeedError(line, f"column {name}: {exc}", pid)
    return FeedRecord(line, product)


__all__ = [
    "DEFAULT_LIST_DELIMITER",
    "DEFAULT_MAX_LINE_BYTES",
    "DEFAULT_MAX_LINE_CHARS",
    "MAX_CELL_CHARS",
    "FeedError",
    "FeedFormat",
    "FeedItem",
    "FeedRecord",
    "feed_format",
    "read_csv",
    "read_feed",
    "read_jsonl",
]
