"""How a command's outcome becomes its exit code and its one-line complaints (pure, table-tested).

A finished push exits 1 when products were rejected, and higher when something else went wrong: each
such condition is a :class:`Problem` (its code, a name for ``--json``'s ``error.type``, one line for
stderr). The most severe code wins (:func:`~criteo_catalog_sdk.cli.exit_codes.most_severe`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from criteo_catalog_sdk.cli.exit_codes import ExitCode, most_severe

if TYPE_CHECKING:
    from criteo_catalog_sdk.push.result import Note, Summary

__all__ = ["FeedCount", "Problem", "error_of", "exit_code", "feed_problem", "push_problems"]


@dataclass(frozen=True, slots=True)
class Problem:
    """A condition that makes a command fail: its exit code, its name, its one line."""

    code: ExitCode
    kind: str
    message: str


@dataclass(frozen=True, slots=True)
class FeedCount:
    """What reading a feed gave: products, unreadable lines or items (the first one's text), and the
    error that ended it early, if one did."""

    records: int = 0
    unreadable: int = 0
    first_error: str | None = None
    fatal: str | None = None


def feed_problem(feed: FeedCount) -> Problem | None:
    """A feed that failed as a whole (exit 2): nothing readable at all, or cut short."""
    if feed.records == 0 and feed.unreadable:
        return Problem(ExitCode.USAGE, "FeedUnreadable", f"no product of the feed could be read ({feed.first_error})")
    if feed.fatal is not None:
        return Problem(ExitCode.USAGE, "FeedIncomplete", f"the feed could not be read to its end ({feed.fatal})")
    return None


def push_problems(
    summary: Summary,
    notes: Iterable[Note],
    *,
    feed: FeedCount | None = None,
    waited: bool = True,
    report_timeout: float = 0.0,
    report_error: str | None = None,
) -> list[Problem]:
    """Why a finished push fails beyond rejected products, most important first.

    ``waited``: the push was meant to wait for its reports (not ``--no-wait``, not a dry run), so that
    products left pending mean reports not final in time. ``report_error``: ``--report-out`` could not
    be written at the end.
    """
    problems: list[Problem] = []
    if summary.pending and waited:
        problems.append(
            Problem(
                ExitCode.API,
                "ReportsNotFinal",
                f"{summary.pending:,} products pending: their reports were not final after {report_timeout:g} s"
                " (--report-timeout); fetch them later with: criteo-catalog report TOKEN",
            )
        )
    found = feed_problem(feed) if feed is not None else None
    if found is not None:
        problems.append(found)
    problems.extend(Problem(ExitCode.USAGE, "DeletionRefused", n.message) for n in notes if n.kind == "refusal")
    if report_error is not None:
        problems.append(Problem(ExitCode.USAGE, "ReportOutError", report_error))
    return problems


def exit_code(rejected: int, problems: Sequence[Problem]) -> ExitCode:
    """1 when products were rejected, unless a problem is more severe."""
    return most_severe(ExitCode.REJECTED if rejected else ExitCode.OK, *(p.code for p in problems))


def error_of(problems: Sequence[Problem]) -> dict[str, Any] | None:
    """``--json``'s ``error``: the most severe problem (the first of equals), or ``None``."""
    if not problems:
        return None
    worst = most_severe(*(p.code for p in problems))
    first = next(p for p in problems if p.code == worst)
    return {"type": first.kind, "message": first.message}
