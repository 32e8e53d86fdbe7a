"""What one push of a command is (:class:`PushRequest`) and the feed counter it reads (:class:`FeedWatch`).

Shared by running a push (``push_run``) and printing it (``push_output``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from criteo_catalog_sdk.cli.options import DEFAULT_FIRST_POLL
from criteo_catalog_sdk.cli.verdict import FeedCount

if TYPE_CHECKING:
    from criteo_catalog_sdk.push.options import PushOptions

__all__ = ["FeedWatch", "PushRequest"]


class FeedWatch:
    """Counts what a feed yields (products, unreadable lines, the error that ended it), so that "some
    lines unreadable" can be told from "nothing readable" and "cut short"; passes the feed's ``notes``
    and ``complete`` on to the push."""

    def __init__(self, items: Iterable[Any]) -> None:
        self._items = items
        self.count = FeedCount()

    @property
    def notes(self) -> list[str]:
        """The feed's notes (attributes that map to no Product field)."""
        return list(getattr(self._items, "notes", ()))

    @property
    def complete(self) -> bool:
        """Whether the feed was read to its end."""
        return bool(getattr(self._items, "complete", True))

    @property
    def unit(self) -> str:
        """What a position counts: ``item`` in an XML feed, else ``line``."""
        return "item" if getattr(self._items, "format", None) == "xml" else "line"

    def __iter__(self) -> Iterator[Any]:
        from criteo_catalog_sdk.push.feeds import FeedError

        records = unreadable = 0
        first: str | None = None
        fatal: str | None = None
        try:
            for item in self._items:
                if isinstance(item, FeedError):
                    unreadable += 1
                    first = first or str(item)
                    fatal = str(item) if item.fatal else fatal
                else:
                    records += 1
                yield item
        finally:
            self.count = FeedCount(records, unreadable, first, fatal)


@dataclass
class PushRequest:
    """What one push of a command is: where from, for whom, how, and what to print."""

    command: str
    merchant_id: int
    options: PushOptions
    products: Iterable[Any] = ()
    deletes: Sequence[str] = ()
    feed: FeedWatch | None = None
    state: str | None = None
    report_out: str | None = None
    as_json: bool = False
    first_poll: float = DEFAULT_FIRST_POLL
    progress_total: int | None = None
    show_progress: bool = False

    @classmethod
    def of_command(cls, command: str, params: Mapping[str, Any], options: PushOptions, **what: Any) -> PushRequest:
        """The request of a ``push`` or ``delete`` command: ``--merchant-id``, ``--state``, ``--report-out``,
        ``--json`` and ``--first-poll`` from its ``params``; ``what`` (products or deletes...) from the command."""
        return cls(
            command,
            params["merchant_id"],
            options,
            state=params["state"],
            report_out=params["report_out"],
            as_json=params["as_json"],
            first_poll=params["first_poll"],
            **what,
        )
