"""JSON Lines: one Product object per line (Criteo's camelCase names: the wire format).

Lines are bounded (``max_line_bytes``): an over-long line is skipped without being held in memory and
reported. Objects whose keys are all Criteo names (the common case: one C-level subset check) pass
through unchanged; otherwise Google's names are mapped (``image_link`` -> ``imageLink``, text values
converted by the text rules: ``"sale_price": "9.99 EUR"``) and keys that map to nothing are left out
and counted in the feed's ``unmapped`` (or kept with ``keep_unmapped=True``, for validation's
``unknown_fields`` to judge). Wrong value types (a number for a title) are left to validation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any, Final

import orjson

from criteo_catalog_sdk.push.feeds.attributes import CRITEO, CRITEO_NAMES, DETAIL, LOOSE, Attribute, normalize
from criteo_catalog_sdk.push.feeds.items import DEFAULT_MAX_LINE_BYTES, FeedError, FeedItem, FeedRecord, Tally
from criteo_catalog_sdk.push.feeds.source import SourceError
from criteo_catalog_sdk.push.feeds.values import Assembler, build_object, convert_text, detail
from criteo_catalog_sdk.push.schema import OBJECT, OBJECT_LIST, STR, ObjectSpec

_BOM: Final = b"\xef\xbb\xbf"
_SKIP_TO_EOL_CHUNK: Final = 1 << 20


def bounded_lines(fp: IO[bytes], limit: int) -> Iterator[bytes | None]:
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


def iter_jsonl(
    fp: IO[bytes],
    tally: Tally,
    *,
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    keep_unmapped: bool = False,
    on_close: Callable[[], None] | None = None,
) -> Iterator[FeedItem]:
    """The items of a JSON Lines stream (see the module doc); ``tally`` counts left-out keys; ``on_close``
    is called when the generator ends (or is closed)."""
    names = CRITEO_NAMES
    n = 0
    try:
        for n, line in enumerate(bounded_lines(fp, max_line_bytes), start=1):
            if line is None:
                yield FeedError(n, f"line longer than {max_line_bytes} bytes")
                continue
            if n == 1 and line.startswith(_BOM):
                line = line[len(_BOM) :]
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                if line.strip():  # blank lines are skipped (checked here: a copy of every line costs)
                    yield FeedError(n, f"invalid JSON: {exc}")
                continue
            if type(value) is not dict:
                yield FeedError(n, f"expected a JSON object (one product per line), got {type(value).__name__}")
                continue
            if names.issuperset(value):  # the hot path: Criteo's names only (one C-level check)
                yield FeedRecord(n, value)
                continue
            yield _mapped(n, value, tally, keep_unmapped)
    except SourceError as exc:  # a corrupt or truncated compressed stream, reading line n + 1
        yield tally.fatal(FeedError(n + 1, str(exc)))
    finally:
        if on_close is not None:
            on_close()


def _mapped(n: int, value: dict[str, Any], tally: Tally, keep_unmapped: bool) -> FeedItem:
    """A product with some keys that are not Criteo names: map Google's, leave out (count) the rest."""
    out = Assembler()
    for key, item in value.items():
        if key in CRITEO:
            out.product[key] = item  # as written: the wire format
            out.origin[key] = key
    pid = value.get("id") if isinstance(value.get("id"), str) else None
    for key, item in value.items():
        if key in CRITEO:
            continue
        attr = LOOSE.get(normalize(key))
        if attr is None:
            if keep_unmapped:
                out.product[key] = item
            else:
                tally.count(key)
            continue
        if item is None:
            continue
        try:
            out.put(attr, key, _json_value(attr, key, item, tally))
        except ValueError as exc:
            return FeedError(n, f"{key}: {exc}", pid if pid is not None else _id(out), field=attr.field)
    return FeedRecord(n, out.product)


def _json_value(attr: Attribute, key: str, item: Any, tally: Tally) -> Any:
    """A JSON value under a Google name: text converted by the text rules, nested objects' keys mapped."""
    kind, ospec = attr.spec.kind, attr.spec.obj
    if isinstance(item, str):
        return convert_text(attr, item) if kind != STR or attr.field == "availability" else item
    if ospec is None or kind not in (OBJECT, OBJECT_LIST):
        return item
    if kind == OBJECT:
        return _json_object(attr, ospec, key, item, tally)
    if not isinstance(item, list):
        item = [item]
    out: list[Any] = []
    for element in item:  # product_highlight: ["...", ...]; tax: [{"tax_ship": ...}]
        if isinstance(element, str):
            out.extend(convert_text(attr, element))
        else:
            out.append(_json_object(attr, ospec, key, element, tally))
    return out


def _json_object(attr: Attribute, ospec: ObjectSpec, key: str, item: Any, tally: Tally) -> Any:
    if not isinstance(item, dict):
        return item  # validation reports the type
    if attr.shape == DETAIL:
        return detail(item.items())
    obj, unknown = build_object(ospec, item.items())
    for sub in unknown:
        tally.count(f"{key}.{sub}")
    return obj


def _id(out: Assembler) -> str | None:
    pid = out.product.get("id")
    return pid if isinstance(pid, str) else None


__all__ = ["bounded_lines", "iter_jsonl"]
