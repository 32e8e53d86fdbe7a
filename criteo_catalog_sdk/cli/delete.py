"""``criteo-catalog delete --merchant-id N ID...``: delete products by id and report each one."""

from __future__ import annotations

import click

from criteo_catalog_sdk.cli.options import first_poll_option, json_option, merchant_id_option, with_retry_help
from criteo_catalog_sdk.cli.push_options import PUSH_FIELDS, local_output_options, push_options_from

__all__ = ["delete"]


@click.command("delete")
@merchant_id_option
@click.argument("product_ids", metavar="ID...", nargs=-1, required=True)
@local_output_options
@PUSH_FIELDS["wait"]
@PUSH_FIELDS["report_timeout"]
@PUSH_FIELDS["dry_run"]
@json_option
@first_poll_option
@click.pass_context
def delete(
    ctx: click.Context,
    merchant_id: int,
    product_ids: tuple[str, ...],
    state: str | None,
    report_out: str | None,
    wait: bool,
    report_timeout: float,
    dry_run: bool,
    as_json: bool,
    first_poll: float,
) -> None:
    """Delete products of a merchant by id and report the outcome of each (with --state, the journal
    forgets them too)."""
    from criteo_catalog_sdk.cli.push_run import PushRequest, run_push

    options = push_options_from({"wait": wait, "report_timeout": report_timeout, "dry_run": dry_run})
    request = PushRequest(
        "delete",
        merchant_id,
        options,
        deletes=product_ids,
        state=state,
        report_out=report_out,
        as_json=as_json,
        first_poll=first_poll,
    )
    ctx.exit(run_push(ctx, request))


with_retry_help(delete)
