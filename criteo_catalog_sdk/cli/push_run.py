"""Run one push for a command (``push``, ``delete``; a ``push-many`` would run one per feed) and print
its outcome: local outputs checked first, the library's push, failures mapped to exit codes, the
verdict, then JSON or the human summary.
"""

from __future__ import annotations

import asyncio
import sys
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

__all__ = ["FeedWatch", "PushRequest", "run_push"]  # the first two re-exported from push_request


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
        raise _failure(request, glob, exc) from None
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
            "on_progress": display,
            "options": request.options,
        }
        if settings is None:  # a dry run: checked against the chosen generation, nothing sent
            from criteo_catalog_sdk.push.api import DryRunApi

            return await pipeline.push(DryRunApi(glob.api_version), request.products, **push)
        from criteo_catalog_sdk.async_client import AsyncCatalogClient
        from criteo_catalog_sdk.polling import PollPolicy

        async with AsyncCatalogClient(**settings, polling=PollPolicy(initial_delay=request.first_poll)) as client:
            if display is not None:
                from criteo_catalog_sdk.cli.progress import application_share

                display.extra_info = application_share(client.app_budget)
            return await client.push(request.products, **push)

    if display is None:
        return asyncio.run(run())
    with display:
        return asyncio.run(run())


def _failure(request: PushRequest, glob: GlobalOptions, exc: BaseException) -> BaseException:
    """The :class:`CommandError` for a push that did not finish (or ``exc`` itself: not ours to map)."""
    from criteo_catalog_sdk.errors import CriteoError
    from criteo_catalog_sdk.push.pipeline import PushAborted

    if isinstance(exc, KeyboardInterrupt):
        if request.state is not None:
            text = f"the journal is consistent (state {request.state}); run the same command again to resume"
        else:
            text = "nothing was journaled (no --state); the batches sent so far stay sent"
        error = CommandError(text, ExitCode.INTERRUPTED, kind="Interrupted", label="interrupted")
    elif isinstance(exc, PushAborted):
        cause = exc.cause if exc.cause is not None else exc
        error = CommandError(str(exc), ExitCode.API, kind=type(cause).__name__)
        if request.as_json:  # what was done before it stopped, in the push's own shape
            obj = push_output.aborted_object(request, glob.api_version, exc, error)
            output.emit_json(obj, errors=())
            error.reported = True
    elif isinstance(exc, CriteoError):  # refused before sending (state file, settings, URL), or an API error
        error = CommandError(str(exc), exit_code_of(exc), kind=type(exc).__name__)
    elif isinstance(exc, OSError | ValueError):
        error = CommandError(f"cannot read the feed: {exc}", ExitCode.USAGE, kind=type(exc).__name__)
    else:
        return exc
    return error


def _finish(request: PushRequest, glob: GlobalOptions, result: PushResult) -> ExitCode:
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
    code = exit_code(result.summary.rejected, problems)
    if request.as_json:
        obj = push_output.push_object(request, glob.api_version, result, code, problems)
        output.emit_json(obj, errors=(output.outcome_error(o) for o in result.rejected()))
    else:
        unit = request.feed.unit if request.feed is not None else "line"
        push_output.print_summary(request, glob.api_version, result, unit=unit, report_written=report_error is None)
    for problem in problems:
        output.notice("Error", problem.message)
    for note in result.notes:
        if note.kind == "deprecation":
            output.notice("warning", note.message)
    sys.stdout.flush()
    return code
