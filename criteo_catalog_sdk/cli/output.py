"""What the commands print: the ``--json`` objects, the shared human pieces, the one-line stderr notices.

``--json`` prints exactly one JSON object on stdout, described by the JSON Schema shipped beside this
module (``schemas/output.schema.json``, :func:`output_schema`). Every command's object has
``command``, ``ok``, ``exitCode``, ``error`` (``null``, or ``{type, message}`` for what set a failing
exit code) and ``notes`` (``{kind, message}``); rejected products are ``errors``, one
``{line, productId, field, stage, type, message, issues}`` object each, the same in ``push``,
``delete``, ``validate`` and ``report``.
"""

from __future__ import annotations

import importlib.resources
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

import click

from criteo_catalog_sdk.cli.exit_codes import ExitCode

if TYPE_CHECKING:
    from rich.console import Console

    from criteo_catalog_sdk.issue import Issue
    from criteo_catalog_sdk.push.result import ProductOutcome

__all__ = [
    "SCHEMA_FILE",
    "SHOWN_REJECTIONS",
    "console",
    "emit_json",
    "error_object",
    "failure_object",
    "json_chunks",
    "note_object",
    "notice",
    "output_schema",
    "print_rejections",
]

#: The JSON Schema of every ``--json`` output (package data).
SCHEMA_FILE: Final = "schemas/output.schema.json"
#: Rejected products listed in the human output (all of them are in --json and --report-out).
SHOWN_REJECTIONS: Final = 10


def output_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the ``--json`` outputs: ``$defs`` per command, and failures."""
    text = importlib.resources.files("criteo_catalog_sdk.cli").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def error_object(position: int | None, product_id: str | None, stage: str, issues: Iterable[Issue]) -> dict[str, Any]:
    """One rejected product (or unreadable line): where, which, who refused it, and why.

    ``field``/``type`` are the first issue's; ``message`` joins every issue's; ``issues`` has them all.
    """
    found = list(issues)
    first = found[0] if found else None
    return {
        "line": position,
        "productId": product_id,
        "field": first.field if first is not None else None,
        "stage": stage,
        "type": first.type if first is not None else "Rejected",
        "message": "; ".join(i.message for i in found),
        "issues": [i.to_dict() for i in found],
    }


def outcome_error(outcome: ProductOutcome) -> dict[str, Any]:
    """:func:`error_object` of a rejected outcome (push, delete, validate)."""
    return error_object(outcome.position, outcome.product_id, outcome.stage or "client", outcome.errors)


def note_object(kind: str, message: str) -> dict[str, str]:
    """A remark: ``refusal``, ``warning``, ``deprecation`` or ``feed``."""
    return {"kind": kind, "message": message}


def failure_object(command: str | None, code: ExitCode, kind: str, message: str) -> dict[str, Any]:
    """The object of a command that failed as a whole before it had anything else to say."""
    return {
        "command": command,
        "ok": False,
        "exitCode": int(code),
        "error": {"type": kind, "message": message},
        "notes": [],
    }


def emit_json(obj: Mapping[str, Any], errors: Iterable[Mapping[str, Any]] | None = None) -> None:
    """Print one JSON object on stdout; ``errors`` (if given) are streamed into it as ``"errors"``, so that
    a push with a million rejections never holds them all."""
    out = sys.stdout
    if errors is None:
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        out.flush()
        return
    for chunk in json_chunks(obj, "errors", errors):
        out.write(chunk)
    out.write("\n")
    out.flush()


def json_chunks(obj: Mapping[str, Any], key: str, items: Iterable[Any]) -> Iterator[str]:
    """``obj`` as JSON text, in pieces, with ``items`` streamed into it as its last member, the list
    ``key``. An item is a JSON-ready value, or an iterator of JSON text pieces (a nested stream: the
    objects of ``push-many``'s merchants, each with its own streamed ``errors``)."""
    head = json.dumps({k: v for k, v in obj.items() if k != key}, ensure_ascii=False)
    yield head[:-1] + (f", {json.dumps(key)}: [" if len(head) > 2 else f"{json.dumps(key)}: [")
    for i, item in enumerate(items):
        yield ",\n  " if i else "\n  "
        if isinstance(item, Iterator):
            yield from item
        else:
            yield json.dumps(item, ensure_ascii=False)
    yield "]}"


def notice(label: str, message: str) -> None:
    """One line on stderr: ``label: message`` (newlines folded, so that it stays one line)."""
    click.echo(f"{label}: {' '.join(message.split())}", err=True)


def console() -> Console:
    """A rich console on stdout for the human output."""
    from rich.console import Console

    return Console(soft_wrap=True, highlight=False)


def print_rejections(
    out: Console, rejected: Iterable[ProductOutcome], total: int, *, more_hint: str, unit: str = "line"
) -> None:
    """The first :data:`SHOWN_REJECTIONS` rejected products with their reasons, then how many more
    (``unit``: ``line``, or ``item`` for XML feeds)."""
    for shown, o in enumerate(rejected):
        if shown == 0:
            out.print("[bold]rejected products[/bold]")
        if shown == SHOWN_REJECTIONS:
            out.print(f"... and {total - shown:,} more{more_hint}", markup=False)
            break
        reasons = "; ".join(str(i) for i in o.errors)
        where = "" if o.errors and o.errors[0].type == "ParseError" else f"{unit} {o.position} "  # it says where
        out.print(f"  {where}{o.product_id or '(unreadable)'} ({o.stage or 'client'}): {reasons}", markup=False)
