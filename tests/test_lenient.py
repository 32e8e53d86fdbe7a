"""What the lenient readers share: decoding a body as json.loads reads it, counters."""

from __future__ import annotations

import json

import pytest

from criteo_catalog_sdk._lenient import counter, loads


@pytest.mark.parametrize(
    "body",
    [
        b'{"n": 123456789012345678901234567890, "m": -9223372036854775809}',  # beyond 64 bits: exact
        b'{"n": NaN, "m": Infinity}',  # refused by the fast decoders
        b'\xef\xbb\xbf{"n": 1}',  # a byte order mark
        b'{"s": "\\ud800"}',  # a lone surrogate
        b'{"f": 1.5, "z": -0, "d": 1e400, "k": 1, "k": 2}',
    ],
)
def test_loads_reads_as_the_standard_library(body: bytes) -> None:
    expected = json.loads(body)
    got = loads(body)
    assert repr(got) == repr(expected)  # repr: NaN is not equal to itself


@pytest.mark.parametrize("body", [b"", b"not json", b"{", b'{"a": 1} x', b"\xff"])
def test_loads_refuses_what_is_not_json(body: bytes) -> None:
    with pytest.raises(ValueError):
        loads(body)


@pytest.mark.parametrize(
    ("value", "expected", "noted"),
    [(None, None, False), (3, 3, False), (" 42 ", 42, False), ("-1", -1, False), (2.0, 2, False), ("x", None, True)],
)
def test_counter(value: object, expected: int | None, noted: bool) -> None:
    notes: list[str] = []
    assert counter(value, "total", notes) == expected
    assert bool(notes) == noted and all("total" in note for note in notes)
