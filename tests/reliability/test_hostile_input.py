"""Hostile input: feeds built to break the readers give per-line errors, never a crash or a hang.

- JSON Lines (hypothesis): valid products, products with wrong types, arbitrary JSON, deep nesting,
  invalid UTF-8, lone surrogates, NaN, huge numbers, duplicate keys, huge fields, random bytes, BOM,
  CRLF, blank lines, and a small line limit. Every non-blank physical line gets exactly one item at its
  line number; a dry-run push over the items accounts for each exactly once.
- CSV (hypothesis): well-formed files (``csv.writer``, so quoting is right) whose cells hold quotes,
  delimiters, embedded newlines (LF, CR, CRLF), BOMs, huge text, JSON, numbers where text is due and
  text where numbers are: one item per record, at the record's first physical line. Malformed files
  (raw bytes: stray quotes, invalid UTF-8, NUL, unbalanced quoting to the end): never an exception.

Explicit extremes (a 20 MB line, 100,000 levels of nesting...): ``test_hostile_extremes.py``; the
simulator under negative requests: ``test_hostile_requests.py``.

Each example runs on a watchdog thread with a time budget: a hang fails the test instead of freezing it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

import orjson
import pytest
from hypothesis import given, seed
from hypothesis import strategies as st

from criteo_catalog_sdk.push.feeds import FeedItem, FeedRecord, read_csv, read_jsonl
from criteo_catalog_sdk.push.feeds.attributes import CRITEO_NAMES

from ._support import SEED, SIZES
from .figures import Figures
from .hostile import BUDGET, HYPOTHESIS, SLOWEST, STATS, check_items, json_values, within_budget

# -- JSON Lines ---------------------------------------------------------------------------------------

HOSTILE_FIELDS = ["id", "title", "link", "imageLink", "price", "adult", "numberOfReviews", "sizes", "shipping"]
HOSTILE_FIELDS += ["filters", "customAttributes", "description", "unknownField", "image_link", "multipack"]


@st.composite
def products(draw: st.DrawFn) -> dict[str, Any]:
    """A valid product with zero to three fields replaced by anything, or removed."""
    product: dict[str, Any] = {
        "id": draw(st.from_regex(r"[A-Za-z0-9._-]{1,30}", fullmatch=True)),
        "title": draw(st.text(min_size=1, max_size=40).filter(lambda t: t.strip())),
        "link": "https://shop.example.com/p",
        "imageLink": "https://cdn.example.com/p.jpg",
    }
    for name in draw(st.lists(st.sampled_from(HOSTILE_FIELDS), max_size=3, unique=True)):
        if draw(st.integers(0, 4)) == 0:
            product.pop(name, None)
        else:
            product[name] = draw(json_values | st.integers(5_000, 300_000).map(lambda n: "w" * n))
    return product


def dumps(value: Any, ascii_only: bool = False) -> bytes:
    """JSON text of anything hypothesis drew (big integers included; lone surrogates kept as such)."""
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


@st.composite
def jsonl_lines(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 12))
    if kind <= 3:
        return dumps(draw(products()), draw(st.booleans()))
    if kind == 4:
        return dumps(draw(json_values), draw(st.booleans()))
    if kind == 5:  # deep nesting, arrays or objects, closed or not
        depth = draw(st.integers(500, 5000))
        opener, closer = draw(st.sampled_from([(b"[", b"]"), (b'{"a":', b"}")]))
        tail = closer * depth if draw(st.booleans()) else b""
        return opener * depth + b"1" + tail
    if kind == 6:  # invalid UTF-8 inside a string
        bad = draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80"]))
        return b'{"id": "SKU-' + bad + b'", "title": "t", "link": "https://x/a", "imageLink": "https://x/a.jpg"}'
    if kind == 7:  # JSON escapes of lone surrogates, NaN, huge numbers, duplicate keys
        return draw(
            st.sampled_from(
                [
                    b'{"id": "\\ud800", "title": "x"}',
                    b'{"id": "a", "title": NaN}',
                    b'{"id": "a", "price": {"value": 1e400}}',
                    b'{"id": "a", "numberOfReviews": 123456789012345678901234567890}',
                    b'{"id": "a", "id": "b", "title": "dup keys"}',
                    b'{"id": "a\\u0000b", "title": "nul"}',
                ]
            )
        )
    if kind == 8:  # huge field
        n = draw(st.integers(10_000, 300_000))
        return b'{"id": "big", "title": "' + b"x" * n + b'", "link": "https://x/a", "imageLink": "https://x/a.jpg"}'
    if kind == 9:
        return draw(st.binary(max_size=200))
    if kind == 10:
        return draw(st.sampled_from([b"", b"   ", b"\t", b"\r", b"\x0b\x0c"]))
    if kind == 11:  # truncated JSON
        text = dumps(draw(products()))
        return text[: draw(st.integers(0, max(len(text) - 1, 0)))]
    return draw(st.text(max_size=50)).encode("utf-8", "surrogatepass")


@st.composite
def jsonl_files(draw: st.DrawFn) -> tuple[bytes, int]:
    lines = draw(st.lists(jsonl_lines(), min_size=1, max_size=25))
    eol = draw(st.sampled_from([b"\n", b"\r\n"]))
    data = eol.join(lines) + (eol if draw(st.booleans()) else b"")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    limit = draw(st.sampled_from([16_000_000, 4096, 100]))
    return data, limit


def expected_jsonl_lines(data: bytes, limit: int) -> dict[int, bool | None]:
    """Line number -> whether it is a record (True) or an error (False), for every line that gets an item;
    ``None`` (either) for an object with keys that are not Criteo's names: whether Google's names map
    without a conflict is the feed mapping's own rule, tested in tests/push/feeds."""
    physical = data.split(b"\n")
    if physical and physical[-1] == b"":
        physical.pop()
    out: dict[int, bool] = {}
    for number, content in enumerate(physical, start=1):
        if len(content) > limit:
            out[number] = False
            continue
        if number == 1 and content.startswith(b"\xef\xbb\xbf"):
            content = content[3:]
        if not content.strip():
            continue
        try:
            value = orjson.loads(content)
        except orjson.JSONDecodeError:
            out[number] = False
            continue
        out[number] = (True if CRITEO_NAMES.issuperset(value) else None) if type(value) is dict else False
    return out


@seed(SEED)
@HYPOTHESIS
@given(jsonl_files())
def test_jsonl_feeds_give_one_item_per_line_and_never_crash(case: tuple[bytes, int]) -> None:
    data, limit = case

    def read() -> list[FeedItem]:
        return list(read_jsonl(io.BytesIO(data), max_line_bytes=limit))

    items = within_budget("jsonl", read)
    lines = [item.line for item in items]
    assert lines == sorted(set(lines)), "one item per line, in order"
    expected = expected_jsonl_lines(data, limit)
    assert set(expected) == set(lines), "an item for every non-blank line"
    got = {item.line: isinstance(item, FeedRecord) for item in items}
    assert got == {n: got[n] if kind is None else kind for n, kind in expected.items()}
    within_budget("jsonl-push", lambda: check_items("jsonl", items))


# -- CSV ------------------------------------------------------------------------------------------------

HEADER = ["id", "title", "link", "imageLink", "price", "adult", "numberOfReviews", "shippingWeight", "sizes"]
HEADER += ["customAttributes", "filters", "description", "unknownColumn", ""]
hostile_text = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 ,;|\"'\n\r\t{}[]:\\é€\ufeff\u2028"))
    | st.characters(blacklist_categories=("Cs",)),
    max_size=40,
).filter(lambda s: "\x00" not in s)
anything = st.integers(0, 29).flatmap(
    lambda k: (
        st.integers(20_000, 200_000).map(lambda n: "y" * n)  # a huge cell, now and then
        if k == 0
        else st.one_of(
            hostile_text,
            st.sampled_from(["", "true", "no", "maybe", "12", "-3", "1e400", "nan", "49.99 EUR", "2.5 kg", "kg 2.5"]),
            st.sampled_from(['{"a": ["b"]}', "[1, 2", '[{"name": "n", "value": "v"}]', "{}", "[]", "null"]),
        )
    )
)
# What each column usually holds (so that many rows reach validation), else anything.
PROPER: dict[str, st.SearchStrategy[str]] = {
    "id": st.from_regex(r"SKU-[0-9]{1,6}", fullmatch=True),
    "title": hostile_text.filter(lambda t: t.strip()),
    "link": st.just("https://shop.example.com/p"),
    "imageLink": st.just("https://cdn.example.com/p.jpg"),
    "price": st.sampled_from(["49.99 EUR", "1 USD", "0.5", ""]),
    "adult": st.sampled_from(["true", "no", "1", ""]),
    "numberOfReviews": st.integers(0, 2**31 - 1).map(str),
    "shippingWeight": st.sampled_from(["2.5 kg", "3 lb", ""]),
    "sizes": st.lists(hostile_text, max_size=3).map("|".join),
    "customAttributes": st.just('[{"name": "n", "value": "v"}]'),
    "filters": st.just('{"color": ["red"]}'),
    "description": hostile_text,
    "unknownColumn": st.just(""),
    "": anything,
}


@st.composite
def csv_rows(draw: st.DrawFn) -> list[str]:
    """A row of proper cells, up to three of them replaced by anything."""
    row = [draw(PROPER[column]) for column in HEADER]
    for index in draw(st.lists(st.integers(0, len(HEADER) - 1), max_size=3, unique=True)):
        row[index] = draw(anything)
    return row


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, list[int], int]:
    """A well-formed CSV (``csv.writer``) with hostile cells; returns its bytes, the first physical line
    of each record that must give an item, and how many rows the writer wrote."""
    rows = draw(st.lists(csv_rows(), max_size=12))
    terminator = draw(st.sampled_from(["\r\n", "\n"]))
    # csv.writer quotes a cell holding a character of its line terminator only: with "\n" it would leave
    # a bare "\r" unquoted (a broken file, which the malformed-CSV test covers), so quote everything.
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])) if terminator == "\r\n" else csv.QUOTE_ALL
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=terminator, quoting=quoting)
    starts: list[int] = []
    line = 1
    for row in [HEADER, *rows]:
        before = out.tell()
        writer.writerow(row)
        text = out.getvalue()[before:]
        if row is not HEADER and any(row):
            starts.append(line)
        line += len(io.StringIO(text, newline="").readlines())
    data = out.getvalue().encode("utf-8")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return data, starts, len(rows)


@seed(SEED)
@HYPOTHESIS
@given(csv_files())
def test_wellformed_csv_with_hostile_cells_gives_one_item_per_record(case: tuple[bytes, list[int], int]) -> None:
    data, starts, _ = case
    items = within_budget("csv", lambda: list(read_csv(io.BytesIO(data))))
    assert [item.line for item in items] == starts
    within_budget("csv-push", lambda: check_items("csv", items))


@st.composite
def raw_csv_files(draw: st.DrawFn) -> bytes:
    """Anything CSV-shaped, built from bytes: stray and unbalanced quotes, invalid UTF-8, NUL, mixed EOLs."""
    pieces = st.one_of(
        st.sampled_from([b",", b'"', b'""', b"\n", b"\r\n", b"\r", b"\x00", b"\xff", b"\xc3", b"\xef\xbb\xbf", b"|"]),
        st.binary(max_size=20),
        st.sampled_from([s.encode() for s in HEADER if s]),
        st.text(max_size=20).map(lambda s: s.encode("utf-8", "surrogatepass")),
    )
    header = b",".join(draw(st.lists(st.sampled_from([s.encode() for s in HEADER]), min_size=1, max_size=8)))
    if draw(st.booleans()):
        header = draw(st.binary(max_size=30))
    return header + b"\n" + b"".join(draw(st.lists(pieces, max_size=60)))


@seed(SEED)
@HYPOTHESIS
@given(raw_csv_files())
def test_malformed_csv_never_crashes_or_hangs(data: bytes) -> None:
    items = within_budget("csv-raw", lambda: list(read_csv(io.BytesIO(data))))
    lines = [item.line for item in items]
    assert lines == sorted(set(lines)), "items in order, one per record"
    assert len(items) <= data.count(b"\n") + data.count(b"\r") + 1
    within_budget("csv-raw-push", lambda: check_items("csv_raw", items))


def _iter_stats() -> Iterable[tuple[str, int]]:
    return sorted(STATS.items())


def test_zz_hostile_figures(figures: Figures) -> None:
    """Records what the hypothesis runs above generated (runs last in this module)."""
    if not STATS:
        pytest.skip("the hostile-input tests did not run")
    figures.record(
        "hostile_input",
        {
            "examples_per_strategy": SIZES.hypothesis_examples,
            "counts": dict(_iter_stats()),
            "slowest_example_s": {k: round(v, 2) for k, v in sorted(SLOWEST.items())},
            "budget_s": BUDGET,
        },
    )
