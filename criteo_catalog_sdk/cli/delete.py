"""``criteo-catalog delete --merchant-id N ID...``: delete products by id and report each one."""

from __future__ import annotations

from typing import Any

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
def delete(ctx: click.Context, /, product_ids: tuple[str, ...], **params: Any) -> None:
    """Delete products of a merchant by id and report the outcome of each (with --state, the journal
    forgets them too)."""
    from criteo_catalog_sdk.cli.push_run import PushRequest, run_push

    request = PushRequest.of_command("delete", params, push_options_from(params), deletes=product_ids)
    ctx.exit(run_push(ctx, request))


with_retry_help(delete)
