"""``criteo-catalog stats MERCHANT_ID``: a merchant's catalog statistics over the last hours."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from criteo_catalog_sdk.cli import output
from criteo_catalog_sdk.cli.client import deprecation_notes, sync_client
from criteo_catalog_sdk.cli.exit_codes import CommandError, ExitCode, exit_code_of
from criteo_catalog_sdk.cli.options import json_option, options_of, with_retry_help
from criteo_catalog_sdk.ids import MERCHANT_ID_MAX

if TYPE_CHECKING:
    from criteo_catalog_sdk.stats import Stats, StatsRecord

__all__ = ["stats"]


@click.command("stats")
@click.argument("merchant_id", type=click.IntRange(1, MERCHANT_ID_MAX))
@click.option("--hours", default=24, show_default=True, type=click.IntRange(1, 1000), help="Last N hours.")
@json_option
@click.pass_context
def stats(ctx: click.Context, merchant_id: int, hours: int, as_json: bool) -> None:
    """Show a merchant's catalog statistics over the last N hours."""
    from criteo_catalog_sdk.errors import CriteoError

    with sync_client(ctx) as client:
        try:
            found = client.get_merchant_stats(merchant_id, hours)
        except CriteoError as exc:  # a generation without statistics is exit 2, an API failure exit 3
            raise CommandError(str(exc), exit_code_of(exc), kind=type(exc).__name__) from None
        notes = deprecation_notes(client)
    notes += [output.note_object("warning", str(problem)) for problem in (*found.errors, *found.warnings)]
    notes += [output.note_object("warning", note) for note in found.notes]
    if as_json:
        output.emit_json(
            {
                "command": "stats",
                "ok": True,
                "exitCode": int(ExitCode.OK),
                "apiVersion": options_of(ctx).api_version,
                "merchantId": merchant_id,
                "hours": hours,
                "records": [_record_object(record) for record in found.records],
                "notes": notes,
                "error": None,
                "stats": dict(found.raw),
            }
        )
    else:
        _print_stats(found, merchant_id, hours, notes)
    ctx.exit(ExitCode.OK)


with_retry_help(stats)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _record_object(record: StatsRecord) -> dict[str, Any]:
    fields = record._asdict()
    return {
        _camel(name): (value.isoformat() if value is not None else None) if name.endswith("_date") else value
        for name, value in fields.items()
    }


def _print_stats(found: Stats, merchant_id: int, hours: int, notes: list[dict[str, str]]) -> None:
    from rich.table import Table

    out = output.console()
    if not found.records:
        out.print(f"no statistics for merchant {merchant_id} over the last {hours} hours")
    for record in found.records:
        table = Table(title=f"merchant {merchant_id}: {record.start_date} - {record.end_date}")
        table.add_column("counter")
        table.add_column("value", justify="right")
        for name, value in record._asdict().items():
            if not name.endswith("_date"):
                table.add_row(name.replace("_", " "), "" if value is None else f"{value:,}")
        out.print(table)
    for note in notes:
        if note["kind"] != "deprecation":
            out.print(f"note: {note['message']}", markup=False)
