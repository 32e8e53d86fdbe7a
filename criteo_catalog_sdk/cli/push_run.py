"""Run one push for a command (``push``, ``delete``) and print its outcome: local outputs checked first,
the library's push, failures mapped to exit codes, the verdict, then JSON or the human summary.

``push-many`` shares the pieces that judge a push: :func:`settle` (the report written, the problems,
the exit code of a finished push) and :func:`stopped` (the error of a push that did not finish).
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from criteo_catalog_sdk.cli import output, push_output
from criteo_catalog_sdk.cli.client import app_budget_of, client_settings
from criteo_catalog_sdk.cli.exit_codes import CommandError, ExitCode, exit_code_of
from criteo_catalog_sdk.cli.local_files import check_report_out, write_report
from criteo_catalog_sdk.cli.options import GlobalOptions, options_of
from criteo_catalog_sdk.cli.push_request import FeedWatch, PushRequest
from criteo_catalog_sdk.cli.verdict import Problem, exit_code, push_problems

if TYPE_CHECKING:
    from criteo_catalog_sdk.cli.progress import ProgressDisplay
    from criteo_catalog_sdk.push.result import PushResult

__all__ = ["FeedWatch", "PushRequest", "Settled", "run_push", "settle", "stopped"]  # the first two from push_request


def run_push(ctx: click.Context, request: PushRequest) -> ExitCode:
    """Run the push, print its outcome, return its exit code; a failure raises :class:`CommandError`."""
    glob = options_of(ctx)
    if request.report_out is not None:
        check_report_out(request.report_out)
    if request.options.dry_run:
        app_budget_of(glob)  # nothing is sent, but a spec that cannot be used is still refused
        settings = None
    else:
        settings = client_settings(glob)
    display = None
    if request.show_progress:
        from criteo_catalog_sdk.cli.progress import ProgressDisplay

        display = ProgressDisplay(request.progress_total, wait=request.options.wait)
    try:
        result = _execute(request, glob, settings, display)
    except BaseException as exc:
        from criteo_catalog_sdk.push.pipeline import PushAborted

        error = stopped(request, exc)
        if error is None:
            raise
        if request.as_json and isinstance(exc, PushAborted):  # what was done before it stopped
            output.emit_json(push_output.stopped_object(request, glob.api_version, exc, error), errors=())
            error.reported = True
        raise error from None
    with result:
        return _finish(request, glob, result)


def _execute(
    request: PushRequest, glob: GlobalOptions, settings: dict[str, Any] | None, display: ProgressDisplay | None
) -> PushResult:
    async def run() -> PushResult:
        from criteo_catalog_sdk.push import pipeline

        push: dict[str, Any] = {
            "merchant_id": request.merchant_id,
            "deletes": request.deletes,
            "state": request.state,
            "options": request.options,
        }
        if settings is None:  # a dry run: checked against the chosen generation, nothing sent
            from criteo_catalog_sdk.push.api import DryRunApi

            job = pipeline.MerchantPush(products=request.products, **push)
            return await pipeline.push(DryRunApi(glob.api_version), job, display)
        from criteo_catalog_sdk.async_client import AsyncCatalogClient
        from criteo_catalog_sdk.polling import PollPolicy

        async with AsyncCatalogClient(**settings, polling=PollPolicy(initial_delay=request.first_poll)) as client:
            if display is not None:
                from criteo_catalog_sdk.cli.progress import application_share

                display.extra_info = application_share(client.app_budget)
            return await client.push(request.products, on_progress=display, **push)

    if display is None:
        return asyncio.run(run())
    with display:
        return asyncio.run(run())


def stopped(request: PushRequest, exc: BaseException) -> CommandError | None:
    """The :class:`CommandError` of a push that did not finish (``None``: not ours to map, let it go).

    Ctrl-C is 130; a push the library aborted (credentials refused, 410, the API down) 3; an unusable
    state file or setting 2; a feed that cannot be opened 2.
    """
    from criteo_catalog_sdk.errors import CriteoError
    from criteo_catalog_sdk.push.pipeline import PushAborted

    if isinstance(exc, KeyboardInterrupt):
        if request.state is not None:
            text = f"the journal is consistent (state {request.state}); run the same command again to resume"
        else:
            text = "nothing was journaled (no --state); the batches sent so far stay sent"
        return CommandError(text, ExitCode.INTERRUPTED, kind="Interrupted", label="interrupted")
    if isinstance(exc, PushAborted):
        cause = exc.cause if exc.cause is not None else exc
        return CommandError(str(exc), ExitCode.API, kind=type(cause).__name__)
    if isinstance(exc, CriteoError):  # refused before sending (state file, settings, URL), or an API error
        return CommandError(str(exc), exit_code_of(exc), kind=type(exc).__name__)
    if isinstance(exc, OSError | ValueError):
        return CommandError(f"cannot read the feed: {exc}", ExitCode.USAGE, kind=type(exc).__name__)
    return None


@dataclass(frozen=True, slots=True)
class Settled:
    """A finished push judged: its exit code, the problems beyond rejected products (most important
    first), and whether ``--report-out`` (if any) was written."""

    code: ExitCode
    problems: list[Problem]
    report_written: bool


def settle(request: PushRequest, result: PushResult) -> Settled:
    """Write the push's report (if asked) and judge the push: rejected products, pending reports, a feed
    cut short, a refused deletion, a report that could not be written."""
    options = request.options
    report_error = None
    if request.report_out is not None:
        try:
            write_report(result, request.report_out)
        except OSError as exc:
            report_error = f"cannot write --report-out {request.report_out}: {exc.strerror or exc}"
            if request.state is not None:
                report_error += f"; the outcomes remain readable from the state file {request.state}"
    problems: list[Problem] = push_problems(
        result.summary,
        result.notes,
        feed=request.feed.count if request.feed is not None else None,
        waited=options.wait and not options.dry_run,
        report_timeout=options.report_timeout,
        report_error=report_error,
    )
    return Settled(exit_code(result.summary.rejected, problems), problems, report_error is None)


def _finish(request: PushRequest, glob: GlobalOptions, result: PushResult) -> ExitCode:
    settled = settle(request, result)
    if request.as_json:
        obj = push_output.push_object(request, glob.api_version, result, settled.code, settled.problems)
        output.emit_json(obj, errors=(output.outcome_error(o) for o in result.rejected()))
    else:
        unit = request.feed.unit if request.feed is not None else "line"
        push_output.print_summary(request, glob.api_version, result, unit=unit, report_written=settled.report_written)
    for problem in settled.problems:
        output.notice("Error", problem.message)
    for note in result.notes:
        if note.kind == "deprecation":
            output.notice("warning", note.message)
    sys.stdout.flush()
    return settled.code
