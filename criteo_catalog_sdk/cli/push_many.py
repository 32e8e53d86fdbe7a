"""``criteo-catalog push-many MANIFEST``: push many merchants' feeds in one process, through one client
that shares the application's call budget among them (see :mod:`.manifest` for the file)."""

from __future__ import annotations

import click

from criteo_catalog_sdk.cli.options import first_poll_option, json_option, with_retry_help
from criteo_catalog_sdk.cli.push_options import PUSH_FIELDS
from criteo_catalog_sdk.ids import MERCHANT_ID_MAX
from criteo_catalog_sdk.push.options import DEFAULT_PARALLEL

__all__ = ["push_many"]


@click.command("push-many")
@click.argument("manifest", type=click.Path(dir_okay=False))
@click.option(
    "--parallel",
    default=DEFAULT_PARALLEL,
    show_default=True,
    type=click.IntRange(1, 256),
    metavar="N",
    help="Merchants pushed at once (all of them share the application's call budget).",
)
@click.option(
    "--only",
    multiple=True,
    type=click.IntRange(1, MERCHANT_ID_MAX),
    metavar="MERCHANT_ID",
    help="Push only this merchant of the manifest (repeatable); the others' files are not checked.",
)
@PUSH_FIELDS["dry_run"]
@json_option
@first_poll_option
@click.pass_context
def push_many(
    ctx: click.Context,
    /,
    manifest: str,
    parallel: int,
    only: tuple[int, ...],
    dry_run: bool,
    as_json: bool,
    first_poll: float,
) -> None:
    """Push the feed of every merchant a TOML MANIFEST lists, side by side in one process, through one
    client: every merchant's calls wait for the same application call budget (--app-budget).

    \b
    [defaults]                        # push settings of every merchant, named as push's
    delta = true                      #   options without "--" (delete-missing, batch-size...)
    [[merchant]]
    id = 123
    feed = "feeds/123.xml.gz"         # relative to the manifest's folder
    state = "state/123.db"            # optional, as push --state
    report-out = "reports/123.jsonl"  # optional, as push --report-out
    format = "xml"                    # optional, as push --format; delimiter likewise
    delete-missing = true             # a merchant's own settings win

    Everything local (the manifest, each merchant's feed, state file and report) is checked before the
    first request. Each merchant's push is what push would do with its settings; one merchant's failure
    never stops the others, and the exit code is the most severe merchant's. With state files, an
    interrupted run resumes when the same command is run again.
    """
    from criteo_catalog_sdk.cli.many_run import run_manifest

    code = run_manifest(
        ctx, manifest, only=only, parallel=parallel, dry_run=dry_run, as_json=as_json, first_poll=first_poll
    )
    ctx.exit(code)


with_retry_help(push_many)
