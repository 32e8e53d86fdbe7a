"""What the lenient readers of answers share: decoding a body, reading a counter, saying what was odd.

Lenient in what we accept: a value of an unexpected type becomes ``None`` and a note, never an
exception; the notes of one answer are logged once, at WARNING.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

from criteo_catalog_sdk._logging import logger


def loads(body: bytes) -> Any:
    """The JSON value of ``body``, as :func:`json.loads` reads it. Raises ``ValueError`` when it is not
    JSON at all.

    msgspec first: as fast as orjson, and exact where orjson is not (it reads integers beyond 64 bits
    as floats); the standard library for what msgspec refuses (NaN, a byte order mark, a lone
    surrogate): lenient in what we accept.
    """
    try:
        return msgspec.json.decode(body)
    except msgspec.DecodeError:
        pass
    return json.loads(body)


def dump(raw: object) -> str:
    """``raw`` as JSON text for a message (its repr if it is not JSON)."""
    try:
        return json.dumps(raw, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(raw)


def counter(value: object, key: str, notes: list[str]) -> int | None:
    """The counter ``key`` from a string, an integer or null; anything else is ``None`` and a note."""
    if value is None:
        return None
    if type(value) is int:
        return value
    if type(value) is str:
        text = value.strip()
        if text.isascii() and (text.isdigit() or (text[:1] == "-" and text[1:].isdigit())):
            return int(text)
    elif type(value) is float and value.is_integer():
        return int(value)
    notes.append(f"{key} {value!r} is not an integer: read as unknown")
    return None


def log_notes(what: str, notes: list[str]) -> None:
    """One WARNING listing what was read leniently in ``what``, if anything was."""
    if notes:
        logger.warning("%s read leniently: %s", what, "; ".join(notes))
