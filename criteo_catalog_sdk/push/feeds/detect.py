"""A feed's format: from its file name (compression suffix removed), else from its first bytes.

Content rules, on the first non-blank bytes after a byte order mark: ``<`` is XML, ``{`` JSON Lines,
anything else delimited text, whose delimiter is sniffed from the header line: a tab makes it TSV,
otherwise CSV with ``,``, ``;`` or ``|``.
"""

from __future__ import annotations

import codecs
import os
from typing import Final

from criteo_catalog_sdk.push.feeds.items import FeedFormat

#: File name extension -> format (``.txt`` is left to the content: Google's text feeds are often .txt).
EXTENSIONS: Final[dict[str, FeedFormat]] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xml": "xml",
    ".rss": "xml",
    ".atom": "xml",
}
#: Delimiters sniffed, in order of preference on a tie.
DELIMITERS: Final = ("\t", ";", ",", "|")
#: Names users give a tab on a command line.
TAB_NAMES: Final = frozenset({"\t", "\\t", "tab", "TAB"})

_UTF16_BOMS: Final = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def format_from_name(name: str) -> FeedFormat | None:
    """The format a file name says (its compression suffix already removed), or ``None``."""
    return EXTENSIONS.get(os.path.splitext(name.lower())[1])


def text_encoding(head: bytes) -> str:
    """The encoding of delimited text: UTF-16 when it starts with a UTF-16 byte order mark (Excel's
    "Unicode text" export), else UTF-8 (a UTF-8 byte order mark is skipped)."""
    return "utf-16" if head.startswith(_UTF16_BOMS) else "utf-8-sig"


def first_line(head: bytes) -> str:
    """The first non-blank line of the head, decoded (invalid bytes replaced)."""
    text = head.decode(text_encoding(head), errors="replace")
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def format_from_content(head: bytes) -> tuple[FeedFormat, str | None]:
    """(format, delimiter) from the first bytes of a feed; the delimiter only for delimited text."""
    text = head[:4096].decode(text_encoding(head), errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        return "xml", None
    if text.startswith("{"):
        return "jsonl", None
    delimiter = sniff_delimiter(first_line(head))
    return ("tsv" if delimiter == "\t" else "csv"), delimiter


def sniff_delimiter(header: str) -> str:
    """The delimiter of a header line: the candidate that occurs most often outside quotes (``,`` when
    none occurs: one column).

    Not ``csv.Sniffer``: on a single line it guesses from character frequencies and picks letters or
    spaces as delimiters (``"id title"``) or raises; a header of field names has no delimiter inside its
    names, so counting the four candidates is exact.
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])  # max keeps the first of equals: the preference order
    return best if counts[best] else ","


def parse_delimiter(value: str) -> str:
    """A delimiter as a user gives it (``;``, ``\\t``, ``tab``) -> one character; ``ValueError`` otherwise."""
    if value in TAB_NAMES:
        return "\t"
    if len(value) != 1 or value in '"\r\n' or value.isalnum():
        raise ValueError(f"the delimiter must be one character other than a quote, a letter or a digit: {value!r}")
    return value


__all__ = [
    "DELIMITERS",
    "EXTENSIONS",
    "first_line",
    "format_from_content",
    "format_from_name",
    "parse_delimiter",
    "sniff_delimiter",
    "text_encoding",
]
