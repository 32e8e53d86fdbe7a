"""``criteo-catalog push FEED``: push a feed to a merchant's catalog and account for every product."""

from __future__ import annotations

import sys
from typing import Any

import click

from criteo_catalog_sdk.cli.options import (
    delimiter_option,
    feed_format_option,
    first_poll_option,
    json_option,
    merchant_id_option,
    with_retry_help,
)
from criteo_catalog_sdk.cli.push_options import (
    local_output_options,
    push_options_from,
    push_settings,
    unknown_fields_given,
)

__all__ = ["push"]


@click.command("push")
@click.argument("feed", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@merchant_id_option
@local_output_options
@push_settings
@feed_format_option
@delimiter_option
@json_option
@first_poll_option
@click.pass_context
def push(ctx: click.Context, /, feed: str, feed_format: str | None, delimiter: str | None, **params: Any) -> None:
    """Push FEED (JSON Lines, CSV, TSV or Merchant Center XML, maybe compressed; - for stdin) to a
    merchant's catalog and report every product.

    An unreadable line or item is reported with its position and the others go on. --state and
    --report-out are checked before the first request. With --state, an interrupted push resumes when
    the same command is run again (accepted batches are not resent).
    """
    from criteo_catalog_sdk.cli.push_run import FeedWatch, PushRequest, run_push
    from criteo_catalog_sdk.push.feeds import read_feed

    options = push_options_from(params)
    keep = {"keep_unmapped": True} if unknown_fields_given(ctx) else {}
    watch = FeedWatch(read_feed(feed, feed_format, delimiter, **keep))  # type: ignore[arg-type]
    show = sys.stderr.isatty()
    total = None
    if show:
        from criteo_catalog_sdk.cli.progress import feed_total

        total = feed_total(feed, feed_format)
    request = PushRequest.of_command(
        "push", params, options, products=watch, feed=watch, progress_total=total, show_progress=show
    )
    ctx.exit(run_push(ctx, request))


with_retry_help(push)
