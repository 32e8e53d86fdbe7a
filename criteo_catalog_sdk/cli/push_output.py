"""What a push prints: its ``--json`` object (``$defs/push`` of the schema) and its human summary.

Shared by every command that pushes (``push``, ``delete``; ``push-many`` puts one object per merchant in
its own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from criteo_catalog_sdk.cli import output
from criteo_catalog_sdk.cli.exit_codes import CommandError, ExitCode
from criteo_catalog_sdk.cli.verdict import Problem, error_of

if TYPE_CHECKING:
    from criteo_catalog_sdk.cli.push_request import PushRequest
    from criteo_catalog_sdk.push.result import PushResult

__all__ = ["print_summary", "push_object", "stopped_object"]


def _head(request: PushRequest, api_version: str, code: ExitCode) -> dict[str, Any]:
    return {
        "command": request.command,
        "ok": code == ExitCode.OK,
        "exitCode": int(code),
        "apiVersion": api_version,
        "merchantId": request.merchant_id,
        "dryRun": request.options.dry_run,
        "wait": request.options.wait,
        "state": request.state,
        "reportOut": request.report_out,
    }


def push_object(
    request: PushRequest, api_version: str, result: PushResult, code: ExitCode, problems: list[Problem]
) -> dict[str, Any]:
    """A finished push, without its ``errors`` (streamed after it by the caller)."""
    return {
        **_head(request, api_version, code),
        "resumed": result.resumed,
        "counts": result.summary.to_dict(),
        "batches": result.batches,
        "operations": list(result.operations),
        "notes": [note.to_dict() for note in result.notes],
        "error": error_of(problems),
    }


def stopped_object(
    request: PushRequest, api_version: str, stopped: BaseException, error: CommandError
) -> dict[str, Any]:
    """A push that stopped early (``error`` says why): what was done, when the library could tell
    (``PushAborted``: its summary and operations), else nothing."""
    from criteo_catalog_sdk.push.pipeline import PushAborted
    from criteo_catalog_sdk.push.result import Summary

    aborted = stopped if isinstance(stopped, PushAborted) else None
    summary = aborted.summary if aborted is not None and aborted.summary is not None else Summary()
    operations = aborted.operations if aborted is not None else ()
    return {
        **_head(request, api_version, ExitCode(error.exit_code)),
        "resumed": False,
        "counts": summary.to_dict(),
        "batches": len(operations),
        "operations": list(operations),
        "notes": [],
        "error": {"type": error.kind, "message": error.message},
    }


_ROWS = (
    ("inputs", "total", True),
    ("upserted", "upserted", True),
    ("refreshed (unchanged, sent again before expiry)", "refreshed", False),
    ("deleted", "deleted", False),
    ("rejected by the SDK", "rejectedClient", True),
    ("rejected by Criteo", "rejectedApi", True),
    ("warned by Criteo", "warned", False),
    ("unchanged (delta, not sent)", "unchanged", False),
    ("superseded (same id later in the feed)", "superseded", False),
    ("pending", "pending", False),
)


def print_summary(
    request: PushRequest, api_version: str, result: PushResult, *, unit: str = "line", report_written: bool = True
) -> None:
    """The human summary on stdout: counts, batches, the first rejections, the notes."""
    from rich.markup import escape
    from rich.table import Table

    out = output.console()
    dry_run = request.options.dry_run
    counts = result.summary.to_dict()
    title = "Dry run (nothing sent)" if dry_run else f"{request.command.capitalize()} result"
    table = Table(title=f"{title}: merchant {request.merchant_id}, API {api_version}", header_style="bold")
    table.add_column("outcome")
    table.add_column("products", justify="right")
    for label, key, always in _ROWS:
        if always or counts[key]:
            table.add_row("would be sent" if dry_run and key == "pending" else label, f"{counts[key]:,}")
    out.print(table)
    what = "batches to send" if dry_run else "batches accepted"
    out.print(f"{result.batches:,} {what}" + (" (resumed an interrupted push)" if result.resumed else ""))
    if not dry_run and not request.options.wait and result.operations:
        out.print("reports not awaited; fetch them with: criteo-catalog report TOKEN")
    more = "" if request.report_out else " (see --report-out or --json)"
    output.print_rejections(out, result.rejected(), result.summary.rejected, more_hint=more, unit=unit)
    for note in result.notes:
        if note.kind == "refusal":  # a mass deletion refused: the one thing that must not be missed
            out.print(f"[bold red]DELETION REFUSED[/bold red] {escape(note.message)}")
        elif note.kind != "deprecation":  # that one is a line on stderr
            out.print(f"{'note' if note.kind == 'feed' else note.kind}: {note.message}", markup=False)
    if request.report_out is not None and report_written:
        out.print(f"per-product result written to {request.report_out}", markup=False)
