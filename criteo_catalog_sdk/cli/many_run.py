"""Run a ``push-many`` manifest: check everything local first, push every merchant through one client
(one application call budget), judge each merchant's push as ``push`` does, print the run.

Before the first request: the manifest (:mod:`.manifest`), the credentials and ``--app-budget``, then
each chosen merchant's feed (it can be opened), report (``local_files``) and state file (opened: the
journal's own checks). The pushes run side by side (``AsyncCatalogClient.push_many``); one merchant's
failure ends its push only. Each finished push is judged by ``push_run.settle`` (its report written, its
exit code), each stopped one by ``push_run.stopped``.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import click

from criteo_catalog_sdk.cli import many_output, push_output
from criteo_catalog_sdk.cli.client import app_budget_of, client_settings
from criteo_catalog_sdk.cli.exit_codes import CommandError, ExitCode, exit_code_of
from criteo_catalog_sdk.cli.local_files import check_feed, check_report_out
from criteo_catalog_sdk.cli.manifest import ManifestMerchant, read_manifest
from criteo_catalog_sdk.cli.many_output import MerchantOutcome, RunTotals
from criteo_catalog_sdk.cli.options import GlobalOptions, options_of
from criteo_catalog_sdk.cli.push_request import FeedWatch, PushRequest
from criteo_catalog_sdk.cli.push_run import settle, stopped
from criteo_catalog_sdk.cli.verdict import Problem

if TYPE_CHECKING:
    from criteo_catalog_sdk.budget import AppBudget
    from criteo_catalog_sdk.cli.progress import CombinedProgress, ProgressDisplay
    from criteo_catalog_sdk.push.feeds import FeedFormat
    from criteo_catalog_sdk.push.journal import Journal
    from criteo_catalog_sdk.push.many import ManyResult

__all__ = ["MerchantRun", "run_manifest"]


@dataclass(frozen=True, slots=True)
class MerchantRun:
    """One merchant of the run: its manifest entry, its push (as ``push`` would run it), and the state
    the pipeline gets (the journal opened up front; a dry run: the path, copied by the pipeline)."""

    merchant: ManifestMerchant
    request: PushRequest
    state: Journal | str | None = None


def run_manifest(
    ctx: click.Context,
    manifest: str,
    *,
    only: Iterable[int] = (),
    parallel: int,
    dry_run: bool = False,
    as_json: bool = False,
    first_poll: float,
) -> ExitCode:
    """Run the manifest's merchants (``only``: some of them), print the run, return its exit code."""
    glob = options_of(ctx)
    chosen = read_manifest(manifest).select(only)
    if dry_run:
        app_budget_of(glob)  # nothing is sent, but a spec that cannot be used is still refused
        settings = None
    else:
        settings = client_settings(glob)
    runs = [_run_of(m, dry_run=dry_run, as_json=as_json, first_poll=first_poll) for m in chosen]
    for run in runs:
        check_feed(run.merchant.feed, f"{run.merchant.label}: feed")
        if run.merchant.report_out is not None:
            check_report_out(run.merchant.report_out, f"{run.merchant.label}: report-out")
    runs = _open_states(runs, dry_run)
    try:
        progress = _progress(runs)
        started = time.monotonic()
        try:
            many, budget = _execute(runs, glob, settings, progress, parallel=parallel, first_poll=first_poll)
        except KeyboardInterrupt:
            raise _interrupted(runs) from None
        totals = RunTotals(progress.calls, time.monotonic() - started, budget, dry_run)
        with many:
            outcomes = [_outcome(run, many, glob.api_version) for run in runs]
            if as_json:
                many_output.emit_json(manifest, glob.api_version, outcomes, totals)
            else:
                many_output.print_table(glob.api_version, outcomes, totals)
            many_output.complain(outcomes)
            sys.stdout.flush()
            return many_output.run_code(outcomes)
    finally:
        _close(runs)


def _run_of(merchant: ManifestMerchant, *, dry_run: bool, as_json: bool, first_poll: float) -> MerchantRun:
    from criteo_catalog_sdk.push.feeds import read_feed

    keep = {"keep_unmapped": True} if merchant.keep_unmapped else {}
    feed = read_feed(merchant.feed, cast("FeedFormat | None", merchant.feed_format), merchant.delimiter, **keep)
    watch = FeedWatch(feed)
    request = PushRequest(
        "push",
        merchant.merchant_id,
        merchant.options.replace(dry_run=dry_run),
        products=watch,
        feed=watch,
        state=merchant.state,
        report_out=merchant.report_out,
        as_json=as_json,
        first_poll=first_poll,
    )
    return MerchantRun(merchant, request, merchant.state)


def _open_states(runs: list[MerchantRun], dry_run: bool) -> list[MerchantRun]:
    """Open every state file before the first request (a file that cannot be used: exit 2 naming the
    merchant). A dry run must not change them: each is checked read-only here; the pipeline reads a copy."""
    from criteo_catalog_sdk.errors import StateFileError
    from criteo_catalog_sdk.push.journal import Journal, check_readable

    opened: list[MerchantRun] = []
    try:
        for run in runs:
            path = run.merchant.state
            if path is None:
                opened.append(run)
            elif dry_run:
                check_readable(path)
                opened.append(run)
            else:
                opened.append(MerchantRun(run.merchant, run.request, Journal(path)))
    except StateFileError as exc:
        _close(opened)
        raise CommandError(f"{run.merchant.label}: {exc}", ExitCode.USAGE, kind=type(exc).__name__) from None
    return opened


def _close(runs: Iterable[MerchantRun]) -> None:
    for run in runs:
        if run.state is not None and not isinstance(run.state, str):
            run.state.close()


def _progress(runs: list[MerchantRun]) -> CombinedProgress:
    """Every merchant's progress, summed; drawn on stderr when it is a terminal."""
    from criteo_catalog_sdk.cli.progress import CombinedProgress, ProgressDisplay, feed_total

    progress = CombinedProgress(len(runs))
    if sys.stderr.isatty():
        totals = [feed_total(run.merchant.feed, run.merchant.feed_format) for run in runs]
        known = [t for t in totals if t is not None]
        total = sum(known) if len(known) == len(totals) else None
        progress.display = ProgressDisplay(total, wait=all(run.request.options.wait for run in runs))
    return progress


def _execute(
    runs: list[MerchantRun],
    glob: GlobalOptions,
    settings: dict[str, Any] | None,
    progress: CombinedProgress,
    *,
    parallel: int,
    first_poll: float,
) -> tuple[ManyResult, AppBudget | None]:
    from criteo_catalog_sdk.push.many import MerchantPush

    pushes: dict[int | str, Any] = {
        run.merchant.merchant_id: MerchantPush(
            run.merchant.merchant_id, run.request.products, state=run.state, options=run.request.options
        )
        for run in runs
    }
    display = cast("ProgressDisplay | None", progress.display)

    async def run() -> tuple[ManyResult, AppBudget | None]:
        if settings is None:  # a dry run: checked against the chosen generation, nothing sent
            return await _dry_run(pushes, glob.api_version, progress, parallel), None
        from criteo_catalog_sdk.async_client import AsyncCatalogClient
        from criteo_catalog_sdk.polling import PollPolicy

        async with AsyncCatalogClient(**settings, polling=PollPolicy(initial_delay=first_poll)) as client:
            if display is not None:
                from criteo_catalog_sdk.cli.progress import application_share

                display.extra_info = application_share(client.app_budget)
            many = await client.push_many(pushes, on_progress=progress, parallel=parallel)
            return many, client.app_budget

    if display is None:
        return asyncio.run(run())
    with display:
        return asyncio.run(run())


async def _dry_run(
    pushes: dict[int | str, Any], api_version: str, progress: CombinedProgress, parallel: int
) -> ManyResult:
    from criteo_catalog_sdk.push import many
    from criteo_catalog_sdk.push.api import DryRunApi

    push_one = many.pipeline_push(DryRunApi(api_version))
    return await many.run_many(many.merchant_pushes(pushes), push_one, on_progress=progress, parallel=parallel)


def _outcome(run: MerchantRun, many: ManyResult, api_version: str) -> MerchantOutcome:
    """How a merchant's push ended, judged as ``push`` judges one."""
    request = run.request
    result = many.results.get(request.merchant_id)
    if result is not None:
        settled = settle(request, result)
        entry = push_output.push_object(request, api_version, result, settled.code, settled.problems)
        return MerchantOutcome(request, settled.code, settled.problems, entry, result)
    failure = many.failures[request.merchant_id]
    error = stopped(request, failure) or CommandError(str(failure), exit_code_of(failure), kind=type(failure).__name__)
    entry = push_output.stopped_object(request, api_version, failure, error)
    code = ExitCode(error.exit_code)
    return MerchantOutcome(request, code, [Problem(code, error.kind, error.message)], entry)


def _interrupted(runs: list[MerchantRun]) -> CommandError:
    text = "every merchant's state file is consistent; run the same command again to resume"
    if any(run.merchant.state is None for run in runs):
        text += " (merchants without a state file: nothing journaled, the batches sent so far stay sent)"
    return CommandError(text, ExitCode.INTERRUPTED, kind="Interrupted", label="interrupted")
