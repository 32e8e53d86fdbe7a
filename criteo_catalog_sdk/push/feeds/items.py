"""What a feed reader yields: a :class:`FeedRecord` per product, a :class:`FeedError` per unreadable one.

``line`` is the *position* the push uses for ordering, as the resume point and as each outcome's
``position``: the physical line for line-based feeds (JSON Lines, CSV, TSV; a record spanning lines
is at its first line), the 1-based item number for XML feeds, where ``source_line`` then tells the
line where the ``<item>``/``<entry>`` starts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import IO, Any, Final, Literal, NamedTuple

from criteo_catalog_sdk.push.result import Issue
from criteo_catalog_sdk.push.wire import MAX_REQUEST_BYTES, Rejected

FeedFormat = Literal["jsonl", "csv", "tsv", "xml"]
#: The formats :func:`~criteo_catalog_sdk.push.feeds.read_feed` knows, in the order they are documented.
FORMATS: Final[tuple[FeedFormat, ...]] = ("jsonl", "csv", "tsv", "xml")
#: A path, ``-`` (standard input) or an open binary stream.
Source = str | os.PathLike[str] | IO[bytes]

#: A product line longer than a whole request can never be sent: stop reading it there.
DEFAULT_MAX_LINE_BYTES: Final = MAX_REQUEST_BYTES
DEFAULT_MAX_LINE_CHARS: Final = MAX_REQUEST_BYTES
#: XML: the most bytes read without an item ending (an item larger than a request cannot be sent) and
#: the most elements an item may have (Google allows 1,000 product details of 4 elements each); past
#: either the feed ends with an error, so memory stays bounded whatever the file.
DEFAULT_MAX_ITEM_BYTES: Final = MAX_REQUEST_BYTES
DEFAULT_MAX_ITEM_ELEMENTS: Final = 100_000
#: Separator of several values in one CSV/TSV cell of a list field named the Criteo way
#: (``additionalImageLinks``); commas occur in URLs and titles. Google's names follow Google's rules.
DEFAULT_LIST_DELIMITER: Final = "|"
#: Longest CSV cell read (the csv module's default field limit): no Product field needs more.
MAX_CELL_CHARS: Final = 131_072


class FeedRecord(NamedTuple):
    """One product read from a feed, at its position (see the module doc).

    A NamedTuple rather than a frozen dataclass: one is built per product, and this is ~3x cheaper.
    """

    line: int
    product: dict[str, Any]
    source_line: int | None = None


@dataclass(frozen=True, slots=True)
class FeedError:
    """A line, record or item that could not be read, at its position (see the module doc).

    ``product_id`` when the id could still be seen; ``field``: the Product field the error is about,
    when it is about one; ``source_line``: XML, the line of the item (or of the error, outside any
    item); ``item``: the position is an XML item number; ``fatal``: the feed ends here (malformed XML,
    a refused DTD, a corrupt compressed stream, an unusable CSV header).
    """

    line: int
    message: str
    product_id: str | None = None
    source_line: int | None = None
    field: str | None = None
    item: bool = False
    fatal: bool = False

    @property
    def where(self) -> str:
        """``line 17``, ``item 12 (line 345)``, or for an XML error outside any item ``line 3``."""
        if self.source_line is None:
            return f"line {self.line}"
        if self.item:
            return f"item {self.line} (line {self.source_line})"
        return f"line {self.source_line}"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def to_rejected(self) -> Rejected:
        """The error as a client-side rejection, for the result."""
        return Rejected(self.line, self.product_id, (Issue("ParseError", str(self), self.field),))


FeedItem = FeedRecord | FeedError


class Tally:
    """What a reader tells besides its items: the attributes it left out (name -> rows or items carrying
    it) and whether it read the feed to its end (``False`` after a fatal error)."""

    __slots__ = ("complete", "unmapped")

    def __init__(self) -> None:
        self.unmapped: dict[str, int] = {}
        self.complete = True

    def count(self, name: str) -> None:
        """One more row or item carrying ``name``, an attribute that maps to nothing."""
        self.unmapped[name] = self.unmapped.get(name, 0) + 1

    def fatal(self, error: FeedError) -> FeedError:
        """Record that ``error`` ends the feed; returns it (marked fatal)."""
        self.complete = False
        return error if error.fatal else replace(error, fatal=True)


__all__ = [
    "DEFAULT_LIST_DELIMITER",
    "DEFAULT_MAX_ITEM_BYTES",
    "DEFAULT_MAX_ITEM_ELEMENTS",
    "DEFAULT_MAX_LINE_BYTES",
    "DEFAULT_MAX_LINE_CHARS",
    "FORMATS",
    "MAX_CELL_CHARS",
    "FeedError",
    "FeedFormat",
    "FeedItem",
    "FeedRecord",
    "Source",
]  # what criteo_catalog_sdk.push.feeds re-exports; Tally stays the readers' own
