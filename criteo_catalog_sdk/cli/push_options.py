"""The push settings as command-line options: one option per exposed
:class:`~criteo_catalog_sdk.push.options.PushOptions` field, its default taken from ``PushOptions()`` and
its range checked by ``PushOptions`` itself (one definition of each rule).

``push`` decorates itself with :func:`push_settings`, then builds the settings with
:func:`push_options_from`; :func:`local_output_options` adds ``--state`` and ``--report-out``.
``push-many``'s manifest names the same fields as these options do (:data:`PUSH_FIELDS`) and reports a
refused value with :func:`setting_problem`.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

import click

from criteo_catalog_sdk.cli.exit_codes import CommandError, ExitCode
from criteo_catalog_sdk.errors import InvalidRequestError
from criteo_catalog_sdk.push.options import InvalidSettingError, PushOptions, UnknownFields

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "PUSH_FIELDS",
    "local_output_options",
    "push_options_from",
    "push_settings",
    "setting_problem",
    "unknown_fields_given",
]

_DEFAULTS: Final = PushOptions()


def _flag(name: str, help: str) -> Callable[[F], F]:
    dashed = name.replace("_", "-")
    return click.option(f"--{dashed}/--no-{dashed}", name, default=getattr(_DEFAULTS, name), help=help)


def _value(name: str, type: Any, help: str, metavar: str | None = None) -> Callable[[F], F]:
    return click.option(
        f"--{name.replace('_', '-')}",
        name,
        type=type,
        default=getattr(_DEFAULTS, name),
        show_default=True,
        metavar=metavar,
        help=help,
    )


#: PushOptions field -> its option. The order is the order of ``--help``.
PUSH_FIELDS: Final[dict[str, Callable[[F], F]]] = {
    "batch_size": _value(
        "batch_size",
        int,
        "Products per batch at most (an integer >= 1); a batch holds three quarters of a second of"
        " --rate-limit, 8 MB at most.",
        "N",
    ),
    "rate_limit": _value("rate_limit", float, "Products per second for the merchant (> 0).", "N"),
    "concurrency": _value("concurrency", int, "Batches in flight (an integer >= 1).", "N"),
    "max_bytes_in_flight": _value(
        "max_bytes_in_flight",
        int,
        "Request bytes of the batches in flight together at most (an integer >= 1; a larger batch goes"
        " alone): bounds the memory request bodies take.",
        "BYTES",
    ),
    "delta": _flag("delta", "Send only products new or changed since the last push with --state (or due a refresh)."),
    "refresh_after": _value(
        "refresh_after",
        float,
        "With --delta: send an unchanged product again once its last accepted upsert is this many days old"
        " [default: spread per product between 20 and 25 days, before Criteo's 30-day expiry].",
        "DAYS",
    ),
    "delete_missing": _flag("delete_missing", "Delete the products of --state absent from the feed (bounded below)."),
    "max_delete_fraction": _value(
        "max_delete_fraction",
        float,
        "With --delete-missing: delete nothing if more than this share of the state's products would go"
        " (0 to 1; 1 allows all).",
        "F",
    ),
    "wait": _flag("wait", "Wait for every batch's report (--no-wait: products stay pending)."),
    "report_timeout": _value("report_timeout", float, "Seconds to poll one report before giving up on it.", "S"),
    "dry_run": _flag("dry_run", "Check and batch the feed, send nothing, change no state."),
    "unknown_fields": _value(
        "unknown_fields",
        click.Choice(typing.get_args(UnknownFields)),
        "Attributes that map to no Product field. Not given: a feed's are left out, with one note each;"
        " given: reject the product, drop them, or keep (send) them as written.",
    ),
}


def push_settings(f: F) -> F:
    """Declare the options of :data:`PUSH_FIELDS` on a command."""
    for decorator in reversed(PUSH_FIELDS.values()):
        f = decorator(f)
    return f


def push_options_from(params: Mapping[str, Any], **override: Any) -> PushOptions:
    """The :class:`PushOptions` of a command's parameters (``override`` wins); a value out of range is one
    usage error naming the option (exit 2)."""
    settings = {name: params[name] for name in PUSH_FIELDS if name in params}
    settings.update(override)
    try:
        return PushOptions(**settings)
    except InvalidRequestError as exc:
        name, _ = setting_problem(exc)
        option = f"--{name.replace('_', '-')}: " if name is not None else ""
        raise CommandError(f"{option}{exc}", ExitCode.USAGE, kind="UsageError") from None


def setting_problem(error: InvalidRequestError) -> tuple[str | None, str]:
    """Which setting a ``PushOptions`` refusal is about (``None``: not a setting's range), and the
    refusal's text as the option's own: "must be an integer >= 1"."""
    if isinstance(error, InvalidSettingError):
        return error.setting, f"must be {error.expected}"
    return None, str(error)


def unknown_fields_given(ctx: click.Context) -> bool:
    """Whether ``--unknown-fields`` was given: then a feed keeps its unmapped attributes for it to judge."""
    source = ctx.get_parameter_source("unknown_fields")
    return source is not None and source is not click.core.ParameterSource.DEFAULT


def local_output_options(f: F) -> F:
    """``--state`` and ``--report-out``, both checked before the first request."""
    f = click.option(
        "--report-out",
        default=None,
        metavar="PATH",
        help="Write every product's outcome there at the end (.csv: CSV, else JSON); checked before sending.",
    )(f)
    return click.option(
        "--state",
        default=None,
        metavar="PATH",
        help="SQLite journal: resume after an interruption, delta sync, delete-missing; opened before sending.",
    )(f)
