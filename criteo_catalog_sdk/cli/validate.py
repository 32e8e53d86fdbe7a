"""``criteo-catalog validate FEED``: check a feed offline, as ``push`` would, sending nothing.

The checking is the library's :func:`~criteo_catalog_sdk.push.validate.validate_feed` (the products
against the ``--api-version`` generation's schema); this command only renders it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from criteo_catalog_sdk.cli import output
from criteo_catalog_sdk.cli.exit_codes import CommandError, ExitCode
from criteo_catalog_sdk.cli.options import delimiter_option, feed_format_option, json_option, options_of
from criteo_catalog_sdk.cli.push_options import PUSH_FIELDS, unknown_fields_given
from criteo_catalog_sdk.cli.verdict import FeedCount, error_of, exit_code, feed_problem

if TYPE_CHECKING:
    from criteo_catalog_sdk.push.validate import FeedValidation

__all__ = ["validate"]


@click.command("validate")
@click.argument("feed", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@PUSH_FIELDS["unknown_fields"]
@feed_format_option
@delimiter_option
@json_option
@click.pass_context
def validate(
    ctx: click.Context,
    feed: str,
    unknown_fields: Any,
    feed_format: Any,
    delimiter: str | None,
    as_json: bool,
) -> None:
    """Check FEED offline, as push would, without sending anything (exit 1 if a product is invalid).

    Products are checked against the --api-version generation's Product schema and Criteo's limits;
    a product id that comes again later in the feed is listed as a duplicate (the later line wins).
    """
    from criteo_catalog_sdk.push.validate import validate_feed

    api_version = options_of(ctx).api_version
    keep = {"keep_unmapped": True} if unknown_fields_given(ctx) else {}
    try:
        checked = validate_feed(
            feed,
            format=feed_format,
            delimiter=delimiter,
            api_version=api_version,
            unknown_fields=unknown_fields,
            **keep,
        )
    except OSError as exc:
        raise CommandError(f"cannot read the feed: {exc}", ExitCode.USAGE, kind=type(exc).__name__) from None
    first = next((str(o.errors[0].message) for o in checked.rejected if o.errors), None)
    problem = feed_problem(FeedCount(checked.total - checked.unreadable, checked.unreadable, first, checked.fatal))
    problems = [problem] if problem is not None else []
    code = exit_code(checked.invalid, problems)
    if as_json:
        output.emit_json(_validation_object(checked, code, error_of(problems)), errors=_errors(checked))
    else:
        _print_validation(checked)
    for p in problems:
        output.notice("Error", p.message)
    ctx.exit(code)


def _errors(checked: FeedValidation) -> list[dict[str, Any]]:
    return [output.outcome_error(o) for o in checked.rejected]


def _validation_object(checked: FeedValidation, code: ExitCode, error: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "command": "validate",
        "ok": code == ExitCode.OK,
        "exitCode": int(code),
        "apiVersion": checked.api_version,
        "format": checked.format,
        "complete": checked.complete,
        "counts": {
            "total": checked.total,
            "valid": checked.valid,
            "invalid": checked.invalid,
            "unreadable": checked.unreadable,
            "duplicates": len(checked.duplicates),
        },
        "duplicates": [
            {"line": d.position, "productId": d.product_id, "sameAsLine": d.earlier} for d in checked.duplicates
        ],
        "notes": [note.to_dict() for note in checked.notes],
        "error": error,
    }


def _print_validation(checked: FeedValidation) -> None:
    out = output.console()
    unit = "item" if checked.format == "xml" else "line"
    out.print(
        f"{checked.total:,} products: {checked.valid:,} valid, {checked.invalid:,} invalid (API {checked.api_version})",
        markup=False,
    )
    for o in checked.rejected:
        parse_error = bool(o.errors) and o.errors[0].type == "ParseError"  # its message says where
        where = "" if parse_error else f"{unit} {o.position} "
        reasons = "; ".join(i.message for i in o.errors)
        out.print(f"  {where}{o.product_id or '(unreadable)'}: {reasons}", markup=False)
    for d in checked.duplicates:
        out.print(
            f"  {unit} {d.position} {d.product_id}: same id as {unit} {d.earlier} (the later one wins)", markup=False
        )
    for note in checked.notes:
        out.print(f"note: {note.message}", markup=False)
