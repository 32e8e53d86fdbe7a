"""Hostile input: feeds built to break the readers give per-line errors, never a crash or a hang; and the
simulator answers schemathesis's negative requests (and junk on the token endpoint) without a 5xx.

- JSON Lines (hypothesis): valid products, products with wrong types, arbitrary JSON, deep nesting,
  invalid UTF-8, lone surrogates, NaN, huge numbers, duplicate keys, huge fields, random bytes, BOM,
  CRLF, blank lines, and a small line limit. Every non-blank physical line gets exactly one item at its
  line number; a dry-run push over the items accounts for each exactly once.
- CSV (hypothesis): well-formed files (``csv.writer``, so quoting is right) whose cells hold quotes,
  delimiters, embedded newlines (LF, CR, CRLF), BOMs, huge text, JSON, numbers where text is due and
  text where numbers are: one item per record, at the record's first physical line. Malformed files
  (raw bytes: stray quotes, invalid UTF-8, NUL, unbalanced quoting to the end): never an exception.
- Explicit extremes: a 20 MB line, 100,000 levels of nesting, a 20 MB CSV cell, a quote never closed,
  an unreadable header; memory stays bounded by the line limit.

Each example runs on a watchdog thread with a time budget: a hang fails the test instead of freezing it.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import orjson
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from criteo_catalog_sdk.push import pipeline
from criteo_catalog_sdk.push.feeds import MAX_CELL_CHARS, FeedError, FeedItem, FeedRecord, read_csv, read_jsonl
from criteo_catalog_sdk.push.options import PushOptions
from criteo_catalog_sdk.push.validation import validate_product

from ._support import ROOT, SEED, SIZES, STATIC_TOKEN, Figures
from .conftest import Simulator

T = TypeVar("T")
BUDGET = 30.0  # seconds per example, far above the slowest seen (a hang, not slowness, trips it)
STATS: Counter[str] = Counter()
SLOWEST: dict[str, float] = {}

HYPOTHESIS = settings(
    max_examples=SIZES.hypothesis_examples,
    deadline=None,  # the watchdog catches hangs; wall-clock deadlines are flaky on shared CI runners
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    database=None,
    derandomize=False,
)


def within_budget(label: str, fn: Callable[[], T]) -> T:
    """Run ``fn`` on a watchdog thread; fail if it does not finish within :data:`BUDGET`."""
    box: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            box.append(fn())
        except BaseException as exc:  # re-raised below, with the example
            failure.append(exc)

    started = time.perf_counter()
    thread = threading.Thread(target=target, name=f"watchdog-{label}", daemon=True)
    thread.start()
    thread.join(BUDGET)
    assert not thread.is_alive(), f"{label}: no answer after {BUDGET:.0f} s (a hang)"
    SLOWEST[label] = max(SLOWEST.get(label, 0.0), time.perf_counter() - started)
    if failure:
        raise failure[0]
    return box[0]


def dry_run(items: list[FeedItem]) -> dict[str, Any]:
    """Push the items through the whole pipeline without sending anything (validation, wire, journal)."""

    async def run() -> dict[str, Any]:
        result = await pipeline.push(None, items, merchant_id=1, options=PushOptions(dry_run=True, batch_size=50))
        with result:
            positions = Counter(o.position for o in result)
            return {"summary": result.summary, "positions": positions}

    return asyncio.run(run())


def check_items(label: str, items: list[FeedItem]) -> None:
    """Every record validates without an exception; the dry run gives one outcome per item."""
    for item in items:
        assert isinstance(item, FeedRecord | FeedError)
        if isinstance(item, FeedRecord):
            assert isinstance(item.product, dict)
            norm, issues = validate_product(item.product)
            assert (norm is None) == bool(issues), (item.line, issues)
            STATS[f"{label}_records"] += 1
            STATS[f"{label}_valid" if norm is not None else f"{label}_invalid"] += 1
        else:
            assert item.message
            STATS[f"{label}_errors"] += 1
    outcome = dry_run(items)
    assert outcome["summary"].total == len(items)
    assert outcome["positions"] == Counter(item.line for item in items)
    STATS[f"{label}_examples"] += 1


# -- JSON Lines ---------------------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
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


def expected_jsonl_lines(data: bytes, limit: int) -> dict[int, bool]:
    """Line number -> whether it is a record (True) or an error (False), for every line that gets an item."""
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
        out[number] = type(value) is dict
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
    assert {item.line: isinstance(item, FeedRecord) for item in items} == expected
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


# -- explicit extremes --------------------------------------------------------------------------------


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


# -- the simulator under negative requests -------------------------------------------------------------


def _negative_run(base_url: str) -> tuple[Counter[tuple[str, int]], list[str], list[str]]:
    import schemathesis
    from schemathesis.config import SchemathesisConfig
    from schemathesis.engine import events, from_schema

    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "base-url": base_url,
            "headers": {"Authorization": f"Bearer {STATIC_TOKEN}"},
            "generation": {
                "mode": "negative",
                "max-examples": SIZES.schemathesis_examples,
                "no-shrink": True,
                "database": "none",
            },
            "checks": {"enabled": False, "not_a_server_error": {"enabled": True}},
            "phases": {
                "examples": {"enabled": False},
                "coverage": {"enabled": SIZES.schemathesis_coverage},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": False},
            },
            "cache": {"enabled": False},
            "workers": 1,
            "request-timeout": 30,
            "continue-on-failure": True,
            "warnings": False,
        }
    )
    schema = schemathesis.openapi.from_path(str(ROOT / "openapi" / "preview" / "catalog.yaml"), config=config)
    answers: Counter[tuple[str, int]] = Counter()
    failures: list[str] = []
    errors: list[str] = []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            for interaction in recorder.interactions.values():
                if interaction.response is not None:
                    answers[(recorder.label, interaction.response.status_code)] += 1
            for checks in recorder.checks.values():
                for check in checks:
                    if check.failure_info is not None:
                        failures.append(f"{recorder.label}: {check.name}: {check.failure_info.failure.title}")
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.value!r}")
        elif isinstance(event, events.FatalError):
            errors.append(repr(event.exception))
    return answers, failures, errors


def test_schemathesis_negative_requests_get_no_5xx(simulator: Simulator, figures: Figures) -> None:
    pytest.importorskip("schemathesis")
    simulator.control.configure(rate_limit=0)  # schemathesis sends bursts; 429s would only waste examples
    started = time.monotonic()
    answers, failures, errors = _negative_run(simulator.base_url)
    server_errors = {k: v for k, v in answers.items() if k[1] >= 500}
    assert not server_errors and not failures and not errors, (server_errors, failures[:5], errors[:5])
    total = sum(answers.values())
    assert total >= 2 * SIZES.schemathesis_examples  # three operations, max_examples each
    by_class = Counter(f"{status // 100}xx" for (_, status), n in answers.items() for _ in range(n))
    figures.record(
        "schemathesis_negative",
        {
            "requests": total,
            "by_status_class": dict(sorted(by_class.items())),
            "server_errors": 0,
            "max_examples": SIZES.schemathesis_examples,
            "phases": "coverage,fuzzing" if SIZES.schemathesis_coverage else "fuzzing",
            "seed": SEED,
            "wall_s": round(time.monotonic() - started, 1),
        },
    )


TOKEN_CONTENT_TYPES = ["application/x-www-form-urlencoded", "application/json", "text/plain", "", "multipart/form-data"]


def test_token_endpoint_junk_gets_no_5xx(simulator: Simulator) -> None:
    url = simulator.token_url
    answers: Counter[int] = Counter()
    with httpx.Client(timeout=30) as http:

        @seed(SEED)
        @settings(max_examples=max(20, SIZES.hypothesis_examples), deadline=None, database=None)
        @given(
            body=st.one_of(
                st.binary(max_size=300),
                st.dictionaries(
                    st.sampled_from(["grant_type", "client_id", "client_secret", "refresh_token", "x"]),
                    st.text(max_size=20),
                ).map(lambda d: httpx.QueryParams(d).__str__().encode()),
                json_values.map(lambda v: json.dumps(v).encode()),
            ),
            content_type=st.sampled_from(TOKEN_CONTENT_TYPES),
            authorization=st.one_of(st.none(), st.text(max_size=40), st.just("Basic !!!notbase64")),
        )
        def probe(body: bytes, content_type: str, authorization: str | None) -> None:
            headers = {"Content-Type": content_type}
            if authorization is not None and authorization.isascii() and "\n" not in authorization:
                headers["Authorization"] = authorization
            response = http.post(url, content=body, headers=headers)
            answers[response.status_code] += 1
            assert response.status_code < 500, response.text

        probe()
    assert sum(answers.values()) > 0


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
