"""The live progress display of a push (stderr, only on a terminal), and the feed's line count it uses
for a total.

It follows :class:`~criteo_catalog_sdk.push.progress.ProgressEvent` snapshots: products read and
validated, products sent (accepted, then reported), throughput, API calls per minute (and the
application's, against its budget, when the client has one) and ETA, and, while the push waits after a
failure, a ``retrying:`` row saying which attempt failed, why, and when the next one goes, so that a
push retrying an unreachable API never looks frozen. :class:`CombinedProgress` shows many merchants'
pushes (``push-many``) as one.
"""

from __future__ import annotations

import functools
import os
import stat
import sys
import typing
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from criteo_catalog_sdk.budget import AppBudget
    from criteo_catalog_sdk.push.progress import ProgressEvent

__all__ = ["CombinedProgress", "ProgressDisplay", "application_share", "count_feed_lines", "feed_total"]


class ProgressDisplay:
    """A rich progress display driven by ``on_progress`` events; use it as a context manager.

    ``extra`` (``extra_info``, settable once the client is made) returns more text for the "sent" row, e.g.
    the application's calls (:func:`application_share`); ``force_terminal`` draws live even when
    ``file`` is not a terminal (tests).
    """

    def __init__(
        self,
        total: int | None,
        *,
        wait: bool = True,
        file: IO[str] | None = None,
        extra: Callable[[ProgressEvent], str] | None = None,
        force_terminal: bool | None = None,
    ) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

        console = Console(file=file or sys.stderr, force_terminal=force_terminal)
        self._progress = _progress_class()(
            TextColumn("{task.description:<9}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[info]}"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._total = total
        self._wait = wait
        self.extra_info = extra
        self._read = self._progress.add_task("validated", total=total, info="")
        self._sent = self._progress.add_task("sent", total=total, info="")

    def __enter__(self) -> ProgressDisplay:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def __call__(self, event: ProgressEvent) -> None:
        """Update from a :class:`~criteo_catalog_sdk.push.progress.ProgressEvent`."""
        to_send = event.validated - event.unchanged
        total = self._total if self._total is not None and not event.finished else None
        self._progress.update(
            self._read,
            completed=event.read,
            total=total if total is not None else max(event.read, 1),
            info=f"{event.validated:,} ok, {event.rejected:,} rejected"
            + (f", {event.unchanged:,} unchanged" if event.unchanged else ""),
        )
        done = event.done if self._wait else event.accepted
        info = f"{event.throughput:,.0f} products/s, {event.calls_per_minute:,} calls/min"
        if self.extra_info is not None:
            info += self.extra_info(event)
        if event.throttled:
            info += f", {event.throttled} throttled"
        if self._wait and event.accepted > event.done:
            info += f", {event.accepted - event.done:,} awaiting reports"
        self._progress.update(
            self._sent,
            completed=done,
            total=max(to_send, 1) if event.finished or self._total is None else max(self._total - event.rejected, 1),
            info=info,
        )
        self._progress.retrying = None if event.finished else event.retrying

    @property
    def retrying(self) -> str | None:
        """The retry message on display (``None``: nothing is being retried)."""
        message: str | None = self._progress.retrying
        return message


def application_share(budget: AppBudget | None) -> Callable[[ProgressEvent], str] | None:
    """The "sent" row's part about the application: the calls this process made through the
    application's budget over the last minute, of what the budget allows (``None``, shown as nothing,
    when there is no client-side budget: unknown)."""
    if budget is None:
        return None

    def share(event: ProgressEvent) -> str:
        return f" (application: {budget.calls_last_minute:,} of {budget.calls_per_minute:,}/min)"

    return share


class CombinedProgress:
    """Many merchants' pushes (``push-many``) on one display, as one push: counts summed, a retry shown
    with its merchant, the whole finished when every merchant's push is. Call it with
    ``(merchant_id, event)``; :attr:`latest` keeps each merchant's last event."""

    def __init__(self, merchants: int, display: Callable[[ProgressEvent], object] | None = None) -> None:
        self.merchants = merchants
        self.display = display
        self.latest: dict[int, ProgressEvent] = {}

    def __call__(self, merchant: int, event: ProgressEvent) -> None:
        """Record a merchant's event and show the sum."""
        self.latest[merchant] = event
        if self.display is not None:
            self.display(self.combined())

    @property
    def calls(self) -> int:
        """API calls of every merchant's push so far (exact for the pushes that finished)."""
        return sum(event.calls for event in self.latest.values())

    def combined(self) -> ProgressEvent:
        """The sum of the merchants' last events."""
        from criteo_catalog_sdk.push.progress import ProgressEvent

        events = self.latest.values()
        summed = {name: sum(getattr(e, name) for e in events) for name in _counters()}
        retrying = next((f"merchant {m}: {e.retrying}" for m, e in self.latest.items() if e.retrying), None)
        finished = len(self.latest) == self.merchants and all(e.finished for e in events)
        elapsed = max((e.elapsed for e in events), default=0.0)
        return ProgressEvent(**{**summed, "elapsed": elapsed, "finished": finished, "retrying": retrying})


@functools.cache
def _counters() -> tuple[str, ...]:
    """The fields of a progress event that add up across merchants (read once: type hints are costly)."""
    from criteo_catalog_sdk.push.progress import ProgressEvent

    return tuple(name for name, hint in typing.get_type_hints(ProgressEvent).items() if hint in (int, float))


def _progress_class() -> type[Any]:
    """rich's Progress with a ``retrying:`` line under the bars while :attr:`retrying` is set (rich is
    imported here, when a display is made)."""
    from rich.console import RenderableType
    from rich.progress import Progress
    from rich.text import Text

    class RetryingProgress(Progress):
        retrying: str | None = None

        def get_renderables(self) -> Iterable[RenderableType]:
            yield self.make_tasks_table(self.tasks)
            if self.retrying is not None:
                yield Text(f"retrying: {self.retrying}", style="yellow")

    return RetryingProgress


def count_feed_lines(path: str) -> int | None:
    """Lines of a regular file (fast byte count), for a progress total; ``None`` for stdin and pipes, and
    for compressed and XML feeds (their lines are not products)."""
    if path == "-":
        return None
    from criteo_catalog_sdk.push.feeds.source import compression_from_magic

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        lines = 0
        last = b"\n"
        with open(path, "rb") as fp:
            head = fp.read(4096)
            if compression_from_magic(head) or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                return None
            fp.seek(0)
            while chunk := fp.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
        return lines + (last != b"\n")
    except OSError:
        return None


def feed_total(path: str, feed_format: str | None) -> int | None:
    """The number of products a feed file holds, for the display's total (a CSV/TSV header is no product)."""
    from criteo_catalog_sdk.push.feeds import feed_format as detect_format

    lines = count_feed_lines(path)
    if lines is None:
        return None
    header = (feed_format or detect_format(path)) in ("csv", "tsv")
    return max(lines - header, 0)
