"""Hostile input, explicit extremes: a 20 MB line, 100,000 levels of nesting, a 20 MB CSV cell, a quote
never closed, an unreadable header, a quoted cell spanning lines around the cell limit: per-line errors,
never a crash or a hang, and memory bounded by the line limit."""

from __future__ import annotations

import csv
import io
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from criteo_catalog_sdk.push.feeds import MAX_CELL_CHARS, FeedError, FeedRecord, read_csv, read_jsonl
from criteo_catalog_sdk.push.validation import validate_product

from .figures import Figures
from .hostile import T, within_budget


def _peak(fn: Callable[[], T]) -> tuple[T, int]:
    tracemalloc.start()
    try:
        value = fn()
        return value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_extreme_inputs(tmp_path: Path, figures: Figures) -> None:
    limit = 16_000_000
    product = b'{"id": "after", "title": "t", "link": "https://x/a", "imageLink": "https://x/a.jpg"}'
    big = tmp_path / "big.jsonl"
    with open(big, "wb") as f:
        f.write(b'{"id": "big", "title": "' + b"x" * 20_000_000 + b'"}\n' + product + b"\n")
    items, peak_jsonl = _peak(lambda: within_budget("extreme", lambda: list(read_jsonl(big))))
    assert [type(i) for i in items] == [FeedError, FeedRecord] and "longer than" in items[0].message
    assert peak_jsonl < 3 * limit

    deep = b"[" * 100_000 + b"]" * 100_000 + b"\n" + b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"\n" + product
    items = within_budget("extreme", lambda: list(read_jsonl(io.BytesIO(deep))))
    assert [type(i) for i in items] == [FeedError, FeedError, FeedRecord]

    # Nesting the parser accepts (under its 1024 levels), in fields validation must walk.
    nested: Any = "x"
    for _ in range(1000):
        nested = [nested]
    odd = {"id": "n", "title": "t", "link": "https://x/a", "imageLink": "https://x/a.jpg", "customAttributes": nested}
    norm, issues = within_budget("extreme", lambda: validate_product(odd))
    assert norm is None and issues

    big_csv = tmp_path / "big.csv"
    with open(big_csv, "wb") as f:
        f.write(b"id,title,link,imageLink\n")
        f.write(b'a,"' + b"z" * 20_000_000 + b'",https://x/a,https://x/a.jpg\n')
        f.write(b"b,t,https://x/b,https://x/b.jpg\n")
    items, peak_csv = _peak(lambda: within_budget("extreme", lambda: list(read_csv(big_csv))))
    assert [type(i) for i in items] == [FeedError, FeedRecord] and [i.line for i in items] == [2, 3]
    assert peak_csv < 6 * limit  # text, not bytes: up to 4 bytes per character at most, plus the decoder

    unclosed = b'id,title,link,imageLink\na,"never closed,https://x/a,https://x/a.jpg\n' + b"more\n" * 1000
    items = within_budget("extreme", lambda: list(read_csv(io.BytesIO(unclosed))))
    assert len(items) == 1 and isinstance(items[0], FeedError)

    bad_header = b"id,ti\xfftle\nA,b\n"
    items = within_budget("extreme", lambda: list(read_csv(io.BytesIO(bad_header))))
    assert len(items) == 1 and isinstance(items[0], FeedError) and "header" in items[0].message

    figures.record(
        "hostile_extremes",
        {
            "jsonl_20MB_line_peak_MB": round(peak_jsonl / 1e6, 1),
            "csv_20MB_cell_peak_MB": round(peak_csv / 1e6, 1),
            "line_limit_MB": limit / 1e6,
            "nesting_levels": 100_000,
        },
    )


@pytest.mark.parametrize("length", [120_000, 200_000], ids=["under-the-cell-limit", "over-the-cell-limit"])
def test_a_long_quoted_cell_spanning_lines_is_one_record(length: int) -> None:
    """A quoted cell with line breaks, under or over the 131,072-character cell limit: one item for its
    record (a record, or an error over the limit), then the next record read as usual; never a ghost
    record made of the cell's tail (what the csv module's own field limit used to cause)."""
    description = ("x" * (length // 2 - 1) + "\n") * 2
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "title", "link", "imageLink", "description"])
    writer.writerow(["SKU-1", "t", "https://x/a", "https://x/a.jpg", description])
    writer.writerow(["SKU-2", "t", "https://x/b", "https://x/b.jpg", "short"])
    items = within_budget("extreme", lambda: list(read_csv(io.BytesIO(out.getvalue().encode()))))
    first = FeedRecord if length <= MAX_CELL_CHARS else FeedError
    assert [(type(i), i.line) for i in items] == [(first, 2), (FeedRecord, 5)]
    if isinstance(items[0], FeedRecord):
        assert items[0].product["description"] == description
    else:
        assert "field limit" in items[0].message and items[0].product_id == "SKU-1"
