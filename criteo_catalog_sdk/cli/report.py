"""``criteo-catalog report TOKEN``: show (or wait for) the report of one batch operation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from criteo_catalog_sdk.cli import output
from criteo_catalog_sdk.cli.client import deprecation_notes, sync_client
from criteo_catalog_sdk.cli.exit_codes import CommandError, ExitCode, exit_code_of
from criteo_catalog_sdk.cli.options import first_poll_option, json_option, options_of, with_retry_help
from criteo_catalog_sdk.push.options import PushOptions

if TYPE_CHECKING:
    from criteo_catalog_sdk.report import Report

__all__ = ["report"]

_COUNTERS = (
    ("inBatch", "products in the batch", "number_of_products_in_the_batch"),
    ("upserted", "upserted", "number_of_products_upserted"),
    ("deleted", "deleted", "number_of_products_deleted"),
    ("withErrors", "with errors", "number_of_products_with_errors"),
    ("withWarnings", "with warnings", "number_of_products_with_warnings"),
)


@click.command("report")
@click.argument("token")
@click.option("--wait", "wait_", is_flag=True, help="Poll until the report is final (Ctrl-C stops: exit 130).")
@click.option(
    "--timeout",
    default=PushOptions().report_timeout,
    show_default=True,
    type=click.FloatRange(0),
    help="With --wait: seconds to wait before giving up (exit 3).",
)
@json_option
@first_poll_option
@click.pass_context
def report(ctx: click.Context, token: str, wait_: bool, timeout: float, as_json: bool, first_poll: float) -> None:
    """Show the report of a batch operation (exit 1 if it lists product errors)."""
    from criteo_catalog_sdk.errors import CriteoError
    from criteo_catalog_sdk.polling import PollPolicy

    with sync_client(ctx, polling=PollPolicy(initial_delay=first_poll)) as client:
        try:
            found = client.wait_for_report(token, timeout=timeout) if wait_ else client.get_report(token)
        except KeyboardInterrupt:
            raise CommandError(
                f"the report of operation {token} was not awaited to its end; run the same command again",
                ExitCode.INTERRUPTED,
                kind="Interrupted",
                label="interrupted",
            ) from None
        except CriteoError as exc:
            raise CommandError(str(exc), exit_code_of(exc), kind=type(exc).__name__) from None
        notes = deprecation_notes(client)
    failed = found.status in ("VALIDATED_WITH_ERRORS", "FAILED") or bool(found.error_details)
    code = ExitCode.REJECTED if failed else ExitCode.OK
    notes += [output.note_object("warning", note) for note in found.notes]
    if as_json:
        output.emit_json(_report_object(ctx, token, found, code, notes))
    else:
        _print_report(found, notes)
    ctx.exit(code)


with_retry_help(report)


def _report_object(
    ctx: click.Context, token: str, found: Report, code: ExitCode, notes: list[dict[str, str]]
) -> dict[str, Any]:
    from criteo_catalog_sdk.issue import Issue

    def issues(details: Any, attr: str) -> list[dict[str, Any]]:
        return [
            output.error_object(None, item.product_id, "api", [Issue(i.type, i.message) for i in getattr(item, attr)])
            for item in details
        ]

    return {
        "command": "report",
        "ok": code == ExitCode.OK,
        "exitCode": int(code),
        "apiVersion": options_of(ctx).api_version,
        "operationToken": token,
        "status": found.status,
        "final": found.is_done,
        "counts": {key: getattr(found, attr) for key, _, attr in _COUNTERS},
        "notes": notes,
        "error": None,
        "errors": issues(found.error_details, "errors"),
        "warnings": issues(found.warning_details, "warnings"),
        "report": dict(found.raw),
    }


def _print_report(found: Report, notes: list[dict[str, str]]) -> None:
    out = output.console()
    out.print(f"status: [bold]{found.status or '(none)'}[/bold]" + ("" if found.is_done else " (not final)"))
    for _, label, attr in _COUNTERS:
        value = getattr(found, attr)
        if value is not None:
            out.print(f"{label}: {value:,}")
    for item in found.error_details:
        for issue in item.errors:
            out.print(f"  error {item.product_id}: {issue.type}: {issue.message}", markup=False)
    for witem in found.warning_details:
        for issue in witem.warnings:
            out.print(f"  warning {witem.product_id}: {issue.type}: {issue.message}", markup=False)
    for note in notes:
        if note["kind"] != "deprecation":
            out.print(f"note: {note['message']}", markup=False)
