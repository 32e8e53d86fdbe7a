"""Check a feed offline exactly as a push would check it, sending nothing: :func:`validate_feed`.

The checks are the push's own: the feed is read by :func:`~criteo_catalog_sdk.push.feeds.read_feed`, each
product goes through the :class:`~criteo_catalog_sdk.push.wire.EntryBuilder` of the chosen API generation
(its Product schema, the documented limits, the entry size), an unreadable line or item is a rejection
at its position, and the feed's notes and completeness are kept. A product id seen again later in the
feed is a duplicate: the later line wins (a push sends the later version last).

Memory grows with the number of distinct product ids (to find duplicates) and of rejected products,
never with the products themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from criteo_catalog_sdk.api_versions import ApiVersion, get_api_version
from criteo_catalog_sdk.push.feeds import FeedError, FeedFormat, Source, read_feed
from criteo_catalog_sdk.push.options import UnknownFields
from criteo_catalog_sdk.push.result import Note, ProductOutcome
from criteo_catalog_sdk.push.wire import EntryBuilder, Rejected

__all__ = ["Duplicate", "FeedValidation", "validate_feed"]

#: The merchant id entries are built for: it changes nothing that is checked.
_ANY_MERCHANT = 1


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A valid product whose id (compared as Criteo does, case-insensitively) came earlier in the feed:
    this later line wins, the one at ``earlier`` is superseded."""

    position: int
    product_id: str
    earlier: int


@dataclass(frozen=True, slots=True)
class FeedValidation:
    """What a push of the feed would find before sending anything.

    ``total`` counts every input (products and unreadable lines or items), ``valid`` the products that
    pass every check (duplicates included), ``rejected`` one client-side outcome per product or line
    that would be rejected (with every issue: field, length, limit), ``duplicates`` the later lines of
    repeated ids, ``notes`` the feed's remarks (attributes that map to no field), ``complete`` whether
    the feed was read to its end (``fatal``: the error that ended it early), ``unreadable`` the lines
    or items that could not be read at all.
    """

    api_version: str
    format: FeedFormat | None
    total: int
    valid: int
    rejected: tuple[ProductOutcome, ...]
    duplicates: tuple[Duplicate, ...]
    notes: tuple[Note, ...]
    complete: bool
    unreadable: int
    fatal: str | None = None

    @property
    def invalid(self) -> int:
        """Products and lines that would be rejected."""
        return len(self.rejected)

    @property
    def ok(self) -> bool:
        """True when every input is a valid product and the feed was read to its end."""
        return not self.rejected and self.complete


def validate_feed(
    source: Source,
    *,
    format: FeedFormat | None = None,
    delimiter: str | None = None,
    api_version: str | ApiVersion | None = None,
    unknown_fields: UnknownFields = "reject",
    **feed_options: Any,
) -> FeedValidation:
    """Check a feed (a path, ``-`` for stdin, or a binary stream) as a push to ``api_version`` would.

    ``format``, ``delimiter`` and ``feed_options`` (``keep_unmapped``, ``max_line_bytes``...) go to
    :func:`~criteo_catalog_sdk.push.feeds.read_feed`; ``unknown_fields`` to validation, as
    :class:`~criteo_catalog_sdk.push.options.PushOptions` does. Raises ``OSError`` for a file that cannot
    be opened, ``ValueError``/``TypeError`` for an unknown format, delimiter or option, and
    :class:`~criteo_catalog_sdk.errors.ConfigurationError` for an unknown API generation.
    """
    version = get_api_version(api_version)
    builder = EntryBuilder(_ANY_MERCHANT, api_version=version, unknown_fields=unknown_fields)
    feed = read_feed(source, format, delimiter, **feed_options)
    seen: dict[str, int] = {}
    rejected: list[ProductOutcome] = []
    duplicates: list[Duplicate] = []
    total = valid = unreadable = 0
    fatal: str | None = None
    for item in feed:
        total += 1
        if isinstance(item, FeedError):
            unreadable += 1
            if item.fatal:
                fatal = str(item)
            checked: Any = item.to_rejected()
        else:
            checked = builder.insert(item.line, item.product)
        if isinstance(checked, Rejected):
            rejected.append(ProductOutcome(checked.position, checked.product_id, "rejected", "client", checked.issues))
            continue
        valid += 1
        earlier = seen.get(checked.key)
        if earlier is not None:
            duplicates.append(Duplicate(checked.position, checked.product_id, earlier))
        seen[checked.key] = checked.position
    return FeedValidation(
        api_version=version.name,
        format=feed.format,
        total=total,
        valid=valid,
        rejected=tuple(rejected),
        duplicates=tuple(duplicates),
        notes=tuple(Note("feed", note) for note in feed.notes),
        complete=feed.complete,
        unreadable=unreadable,
        fatal=fatal,
    )
