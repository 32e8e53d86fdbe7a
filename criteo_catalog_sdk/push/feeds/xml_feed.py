"""XML feeds: RSS 2.0 (``rss/channel/item``) and Atom 1.0 (``feed/entry``), as Merchant Center takes them.

Each item's children are attributes: Google's ``g:`` elements (namespace ``http://base.google.com/ns/1.0``)
or unprefixed ones, by Google's or Criteo's names (see :mod:`.attributes`); a repeated element adds
to a list field; a structured attribute may be given by sub-elements (``<g:shipping><g:country>US
</g:country><g:price>5.99 USD</g:price></g:shipping>``) or as Google's colon text. RSS ``title``,
``link`` and ``description`` and Atom ``title``, ``link href=`` and ``summary``/``content`` are used
when the item has no ``g:`` element for that field. Everything else is left out and counted.

Parsing is defusedxml's ``iterparse`` with DTDs, entity declarations and external references refused:
a hostile document (billion laughs, external entities) ends the feed with one error naming the
reason, before anything is expanded or fetched. Memory stays flat: each item is processed and cleared
as soon as it ends and removed from its parent; more than ``max_item_bytes`` read, or more than
``max_item_elements`` elements, without an item ending also ends the feed with an error. Malformed XML
ends the feed at the error (XML has no line to skip to). Positions are item numbers (1-based); each
record and error also tells the line where its item starts.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from typing import IO, Any, Final
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden

from criteo_catalog_sdk.push.feeds.attributes import DETAIL, GOOGLE_NAMESPACES, Attribute, lookup
from criteo_catalog_sdk.push.feeds.items import (
    DEFAULT_LIST_DELIMITER,
    DEFAULT_MAX_ITEM_BYTES,
    DEFAULT_MAX_ITEM_ELEMENTS,
    FeedError,
    FeedItem,
    FeedRecord,
    Tally,
)
from criteo_catalog_sdk.push.feeds.source import SourceError
from criteo_catalog_sdk.push.feeds.values import Assembler, build_object, convert_text, detail
from criteo_catalog_sdk.push.schema import OBJECT_LIST

ATOM_NS: Final = "http://www.w3.org/2005/Atom"
RSS1_NS: Final = "http://purl.org/rss/1.0/"
#: Element tags (ElementTree's ``{namespace}local``) of items, and the same names as expat reports them.
ITEM_TAGS: Final = frozenset({"item", "entry", f"{{{ATOM_NS}}}entry", f"{{{RSS1_NS}}}item"})
_EXPAT_ITEM_TAGS: Final = frozenset(t.lstrip("{") for t in ITEM_TAGS)
ROOTS: Final = frozenset({"rss", "feed", "RDF"})
#: RSS and Atom elements that give a field when no ``g:`` element does.
FALLBACKS: Final[dict[str, str]] = {
    "title": "title",
    "link": "link",
    "description": "description",
    "summary": "description",
    "content": "description",
}
#: Atom's own metadata: never product attributes (an entry's ``<id>`` is an IRI, not the product id).
ATOM_META: Final = frozenset({"id", "updated", "published", "author", "contributor", "category", "rights", "source"})
DTD_REFUSED: Final = "XML DTDs are refused (entity expansion and external entities are not allowed)"
_CHUNK: Final = 1 << 16
_EXPAT_WHERE: Final = re.compile(r": line \d+, column \d+$")


class _TooLarge(Exception):
    """More bytes or elements than allowed without an item ending."""


class _Budget:
    """The stream ``iterparse`` reads: fails when more than ``limit`` bytes pass without an item ending;
    skips whitespace before the document (``<?xml`` must come first) and counts its lines."""

    def __init__(self, fp: IO[bytes], limit: int) -> None:
        self.fp = fp
        self.limit = limit
        self.total = 0
        self.mark = 0
        self.lines_before = 0
        self._started = False

    def read(self, size: int = _CHUNK) -> bytes:
        data = self.fp.read(size)
        while not self._started and data:
            stripped = data.lstrip(b" \t\r\n")
            self.lines_before += data.count(b"\n", 0, len(data) - len(stripped))
            self.total += len(data) - len(stripped)
            data = stripped or self.fp.read(size)
            self._started = bool(stripped)
        self.total += len(data)
        if self.total - self.mark > self.limit:
            raise _TooLarge(f"more than {self.limit:,} bytes without an item ending")
        return data


def _split(tag: str) -> tuple[str, str]:
    if tag[:1] == "{":
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _text(element: Element) -> str:
    text = element.text or "" if len(element) == 0 else "".join(element.itertext())
    return text.strip()


class _Reader:
    """One pass over an XML feed (see the module doc)."""

    def __init__(self, tally: Tally, list_delimiter: str, keep_unmapped: bool) -> None:
        self.tally = tally
        self.list_delimiter = list_delimiter
        self.keep_unmapped = keep_unmapped

    def item(self, element: Element, position: int, line: int) -> FeedItem:
        """The record (or error) of one ``<item>``/``<entry>``."""
        out = Assembler()
        names: set[str] = set()
        fallbacks: list[tuple[Attribute, str, Any]] = []
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            ns, local = _split(tag)
            fallback = False
            if ns in GOOGLE_NAMESPACES:
                name, attr = f"g:{local}", lookup(local)
            elif ns in ("", ATOM_NS, RSS1_NS):
                name = local if not ns else f"atom:{local}" if ns == ATOM_NS else f"rss:{local}"
                fallback = local in FALLBACKS
                attr = None if ns == ATOM_NS and local in ATOM_META else lookup(FALLBACKS.get(local, local))
                if ns == ATOM_NS and local == "link":
                    if child.get("rel", "alternate") != "alternate":
                        continue
                    child.text = child.get("href", child.text)
            else:
                name, attr = tag, None
            if attr is None:
                names.add(name)
                if self.keep_unmapped:
                    out.product.setdefault(name, _text(child))
                continue
            try:
                value = self.value(attr, name, child)
                if value is None:
                    continue
                if fallback:
                    fallbacks.append((attr, name, value))
                else:
                    out.put(attr, name, value)
            except ValueError as exc:
                pid = _item_id(element)
                return FeedError(position, f"{name}: {exc}", pid, line, attr.field, item=True)
        for attr, name, value in fallbacks:
            out.fallback(attr, name, value)
        for name in names:
            self.tally.count(name)
        return FeedRecord(position, out.product, line)

    def value(self, attr: Attribute, name: str, child: Element) -> Any:
        """The value of one attribute element (``None``: empty)."""
        ospec = attr.spec.obj
        if len(child) and ospec is not None:  # sub-elements: <g:shipping><g:country>...</g:country>...
            pairs = [(_split(sub.tag)[1], _text(sub)) for sub in child if isinstance(sub.tag, str)]
            if attr.shape == DETAIL:
                return [detail(pairs)]
            obj, unknown = build_object(ospec, pairs)
            for sub in unknown:
                self.tally.count(f"{name}.{sub}")
            return [obj] if attr.spec.kind == OBJECT_LIST else obj
        text = _text(child)
        if not text:
            return None
        return convert_text(attr, text, self.list_delimiter, xml=True)


def _item_id(element: Element) -> str | None:
    for child in element:
        if isinstance(child.tag, str) and _split(child.tag)[1] == "id" and child.text:
            return child.text.strip() or None
    return None


def iter_xml(
    fp: IO[bytes],
    tally: Tally,
    *,
    list_delimiter: str = DEFAULT_LIST_DELIMITER,
    max_item_bytes: int = DEFAULT_MAX_ITEM_BYTES,
    max_item_elements: int = DEFAULT_MAX_ITEM_ELEMENTS,
    keep_unmapped: bool = False,
    on_close: Callable[[], None] | None = None,
) -> Iterator[FeedItem]:
    """The items of an RSS 2.0 or Atom 1.0 stream (see the module doc); ``on_close`` is called at the end."""
    try:
        yield from _iter_xml(fp, tally, list_delimiter, max_item_bytes, max_item_elements, keep_unmapped)
    finally:
        if on_close is not None:
            on_close()


def _iter_xml(
    fp: IO[bytes],
    tally: Tally,
    list_delimiter: str,
    max_item_bytes: int,
    max_item_elements: int,
    keep_unmapped: bool,
) -> Iterator[FeedItem]:
    reader = _Reader(tally, list_delimiter, keep_unmapped)
    budget = _Budget(fp, max_item_bytes)
    parser = DefusedET.DefusedXMLParser(
        target=TreeBuilder(), forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    expat = parser.parser  # the pyexpat parser defusedxml guards (it is where the position is)
    starts: deque[int] = deque()  # lines of item starts, seen by expat ahead of the events
    position = 0
    item: Element | None = None
    item_line = 0
    stack: list[Element] = []
    elements = 0
    try:
        events = DefusedET.iterparse(budget, events=("start", "end"), parser=parser)
        _watch_item_lines(expat, starts)
        for event, element in events:
            if event == "start":
                if not stack and _split(element.tag)[1] not in ROOTS:
                    root = _split(element.tag)[1]
                    line = expat.CurrentLineNumber + budget.lines_before
                    message = f"not an RSS 2.0 or Atom 1.0 feed (root element <{root}>)"
                    yield tally.fatal(FeedError(1, message, None, line))
                    return
                stack.append(element)
                if element.tag in ITEM_TAGS:
                    line = (starts.popleft() if starts else expat.CurrentLineNumber) + budget.lines_before
                    if item is None:
                        item, item_line, elements = element, line, 0
                elements += 1
                if elements > max_item_elements:
                    raise _TooLarge(f"more than {max_item_elements:,} elements without an item ending")
                continue
            stack.pop()
            if item is not None and element is item:
                position += 1
                yield reader.item(element, position, item_line)
                item = None
                element.clear()
                if stack:
                    del stack[-1][:]  # the parent keeps nothing: memory stays flat
                budget.mark = budget.total
                elements = 0
    except ParseError as exc:
        line, column = exc.position[0] + budget.lines_before, exc.position[1]
        reason = _EXPAT_WHERE.sub("", str(exc))  # expat's own line numbers miss the skipped blank lines
        message = f"malformed XML: {reason} (line {line}, column {column})"
        yield tally.fatal(_fatal(position, item, item_line, message, line))
    except (DefusedXmlException, _TooLarge, SourceError) as exc:
        line = expat.CurrentLineNumber + budget.lines_before
        yield tally.fatal(_fatal(position, item, item_line, _refusal(exc), line))


def _refusal(exc: Exception) -> str:
    if isinstance(exc, DTDForbidden):
        return DTD_REFUSED
    if isinstance(exc, EntitiesForbidden):
        return "XML entity declarations are refused (entity expansion is not allowed)"
    if isinstance(exc, DefusedXmlException):  # external references: unreachable with DTDs refused
        return f"XML refused: {type(exc).__name__}"
    return str(exc)


def _fatal(position: int, item: Element | None, item_line: int, message: str, line: int) -> FeedError:
    """The error that ends the feed: in the item being read, or (outside any item) at ``line``."""
    if item is not None:
        return FeedError(position + 1, message, _item_id(item), item_line, item=True, fatal=True)
    return FeedError(position + 1, message, None, line, fatal=True)


def _watch_item_lines(expat: Any, starts: deque[int]) -> None:
    """Record the line of every item start as expat reads it: the events come a chunk later, when its
    position has moved on."""
    handler = expat.StartElementHandler
    tags = _EXPAT_ITEM_TAGS

    def start(tag: str, attrib: Any) -> None:
        if tag in tags:
            starts.append(expat.CurrentLineNumber)
        handler(tag, attrib)

    expat.StartElementHandler = start


__all__ = ["ATOM_NS", "DTD_REFUSED", "ITEM_TAGS", "iter_xml"]
