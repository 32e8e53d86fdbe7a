"""The verdict of a finished push, table-tested: which problems, which exit code, which JSON error."""

from __future__ import annotations

import pytest

from criteo_catalog_sdk.cli.exit_codes import ExitCode
from criteo_catalog_sdk.cli.verdict import FeedCount, Problem, error_of, exit_code, feed_problem, push_problems
from criteo_catalog_sdk.push.result import Note, Summary

REFUSAL = Note("refusal", "delete_missing: nothing deleted: 5 of the 10 products ...")
CUT = FeedCount(records=5, unreadable=1, first_error="item 6: malformed XML", fatal="item 6: malformed XML")


@pytest.mark.parametrize(
    ("feed", "expected"),
    [
        (FeedCount(), None),  # an empty feed is no feed failure (delete_missing's guard has its own say)
        (FeedCount(records=3), None),
        (FeedCount(records=3, unreadable=2, first_error="line 2: x"), None),  # some lines: rejected products
        (FeedCount(unreadable=2, first_error="line 1: x"), ("FeedUnreadable", "(line 1: x)")),
        (CUT, ("FeedIncomplete", "could not be read to its end (item 6: malformed XML)")),
    ],
)
def test_feed_problem(feed: FeedCount, expected: tuple[str, str] | None) -> None:
    found = feed_problem(feed)
    if expected is None:
        assert found is None
    else:
        assert found is not None and found.code == ExitCode.USAGE
        assert found.kind == expected[0] and expected[1] in found.message


@pytest.mark.parametrize(
    ("summary", "notes", "feed", "waited", "report_error", "kinds", "code"),
    [
        (Summary(total=3, upserted=3), (), None, True, None, [], 0),
        (Summary(total=3, upserted=2, rejected_api=1), (), None, True, None, [], 1),
        (Summary(total=3, upserted=2, rejected_client=1), (REFUSAL,), None, True, None, ["DeletionRefused"], 2),
        (Summary(total=3, pending=3), (), None, True, None, ["ReportsNotFinal"], 3),
        (Summary(total=3, pending=3), (), None, False, None, [], 0),  # --no-wait, or a dry run
        (
            Summary(total=6, upserted=5, rejected_client=1),
            (REFUSAL,),
            CUT,
            True,
            None,
            ["FeedIncomplete", "DeletionRefused"],
            2,
        ),
        (Summary(total=3, upserted=3), (Note("warning", "w"), Note("feed", "f")), None, True, None, [], 0),
        (Summary(total=3, upserted=3), (), None, True, "cannot write", ["ReportOutError"], 2),
        (
            Summary(total=3, pending=1, rejected_api=1),
            (REFUSAL,),
            None,
            True,
            None,
            ["ReportsNotFinal", "DeletionRefused"],
            3,
        ),
    ],
)
def test_push_problems_and_exit_code(
    summary: Summary,
    notes: tuple[Note, ...],
    feed: FeedCount | None,
    waited: bool,
    report_error: str | None,
    kinds: list[str],
    code: int,
) -> None:
    problems = push_problems(summary, notes, feed=feed, waited=waited, report_timeout=5, report_error=report_error)
    assert [p.kind for p in problems] == kinds
    assert exit_code(summary.rejected, problems) == code
    error = error_of(problems)
    assert (error is None) == (not kinds)
    if error is not None:
        assert error["type"] == kinds[0]  # the most severe, the first of equals


def test_error_of_picks_the_most_severe() -> None:
    problems = [Problem(ExitCode.USAGE, "A", "a"), Problem(ExitCode.API, "B", "b"), Problem(ExitCode.API, "C", "c")]
    assert error_of(problems) == {"type": "B", "message": "b"}
