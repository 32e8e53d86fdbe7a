"""The global options of ``criteo-catalog`` and the options several commands share.

Global options (``--base-url``, ``--client-id``, ``--client-secret``, ``--api-version``, ``--app-budget``)
are declared on the group by :func:`global_options` and land in ``click.Context.obj``, a
:class:`GlobalOptions`, for every command; each falls back to its environment variable. Nothing here
imports more than click and the SDK's light modules: commands import what they need when they run.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import click

from criteo_catalog_sdk.api_versions import API_VERSIONS, DEFAULT_API_VERSION
from criteo_catalog_sdk.budget import DEFAULT_CALLS_PER_MINUTE, ENV_APP_BUDGET
from criteo_catalog_sdk.cli.exit_codes import CommandError, ExitCode
from criteo_catalog_sdk.config import DEFAULT_BASE_URL, ENV_API_URL, ENV_API_VERSION, ENV_CLIENT_ID, ENV_CLIENT_SECRET
from criteo_catalog_sdk.ids import MERCHANT_ID_MAX
from criteo_catalog_sdk.polling import PollPolicy
from criteo_catalog_sdk.push.decisions import MIN_SEND_ATTEMPTS
from criteo_catalog_sdk.push.feeds.items import FORMATS
from criteo_catalog_sdk.retry import RetryPolicy

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=click.Command)

__all__ = [
    "DEFAULT_FIRST_POLL",
    "RETRY_HELP",
    "GlobalOptions",
    "delimiter_option",
    "feed_format_option",
    "first_poll_option",
    "global_options",
    "json_option",
    "merchant_id_option",
    "options_of",
    "with_retry_help",
]

#: Seconds before the first poll of a batch's report (Criteo: a report takes ~3 s).
DEFAULT_FIRST_POLL: Final = PollPolicy().initial_delay
_RETRY: Final = RetryPolicy()
#: How failures are retried before a command gives up (exit 3), as ``--help`` and the README say it.
RETRY_HELP: Final = (
    f"Transient failures (429, 5xx, network) are retried: a single call up to {_RETRY.attempts} attempts"
    f" within {_RETRY.deadline:g} s, each batch of a push at least {MIN_SEND_ATTEMPTS} times within the same"
    f" {_RETRY.deadline:g} s; then the command exits 3."
)


@dataclass
class GlobalOptions:
    """The group's options, as the commands read them from ``click.Context.obj``.

    ``None`` means "not given": the environment, then the SDK's default, applies.
    """

    base_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    api_version: str = DEFAULT_API_VERSION
    app_budget: str | None = None
    retry_deadline: float | None = None

    def credentials(self) -> tuple[str, str, str]:
        """``(base_url, client_id, client_secret)``; missing credentials are a usage error (exit 2)."""
        base_url = self.base_url or os.environ.get(ENV_API_URL, "").strip() or DEFAULT_BASE_URL
        client_id = self.client_id or os.environ.get(ENV_CLIENT_ID, "").strip()
        client_secret = self.client_secret or os.environ.get(ENV_CLIENT_SECRET, "").strip()
        missing = [
            f"--{name} / {env}"
            for name, env, value in (
                ("client-id", ENV_CLIENT_ID, client_id),
                ("client-secret", ENV_CLIENT_SECRET, client_secret),
            )
            if not value
        ]
        if missing:
            raise CommandError(f"missing credentials: {', '.join(missing)}", ExitCode.USAGE, kind="UsageError")
        return base_url, client_id, client_secret

    def retry_policy(self) -> RetryPolicy:
        """The SDK's retry policy, with the (hidden) ``--retry-deadline`` if given."""
        if self.retry_deadline is None:
            return _RETRY
        return RetryPolicy(deadline=self.retry_deadline)


def with_retry_help(command: C) -> C:
    """Append :data:`RETRY_HELP` to a command's help (the commands that talk to the API)."""
    command.help = f"{inspect.cleandoc(command.help or '')}\n\n{RETRY_HELP}"
    return command


def options_of(ctx: click.Context) -> GlobalOptions:
    """The global options of the running command."""
    found = ctx.find_object(GlobalOptions)
    return found if found is not None else GlobalOptions()


def _store(attr: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if isinstance(value, str):
            value = value.strip() or None
        if value is not None:
            setattr(ctx.ensure_object(GlobalOptions), attr, value)

    return callback


def _global_option(flag: str, **kwargs: Any) -> Callable[[F], F]:
    """A group option whose value lands in the :class:`GlobalOptions` field named after it."""
    return click.option(flag, expose_value=False, callback=_store(flag.removeprefix("--").replace("-", "_")), **kwargs)


def global_options(f: F) -> F:
    """Declare the global options on a group; their values land in ``ctx.obj`` (a :class:`GlobalOptions`)."""
    decorators = [
        _global_option(
            "--base-url", envvar=ENV_API_URL, help=f"API root [env {ENV_API_URL}; default {DEFAULT_BASE_URL}]."
        ),
        _global_option("--client-id", envvar=ENV_CLIENT_ID, help=f"OAuth2 client id [env {ENV_CLIENT_ID}]."),
        _global_option(
            "--client-secret", envvar=ENV_CLIENT_SECRET, help=f"OAuth2 client secret [env {ENV_CLIENT_SECRET}]."
        ),
        _global_option(
            "--api-version",
            envvar=ENV_API_VERSION,
            type=click.Choice(API_VERSIONS, case_sensitive=False),
            default=DEFAULT_API_VERSION,
            show_default=True,
            help=f"Criteo API generation every command talks to (validate: checks against) [env {ENV_API_VERSION}].",
        ),
        _global_option(
            "--app-budget",
            envvar=ENV_APP_BUDGET,
            metavar="SPEC",
            help=(
                f"The application's call budget ({DEFAULT_CALLS_PER_MINUTE} calls/min per client id, whichever"
                " merchant) every API call waits for: memory (this process), off, sqlite:///PATH (shared by"
                f" the processes of a host), redis://HOST:PORT/DB (shared across hosts) [env {ENV_APP_BUDGET};"
                " default memory]."
            ),
        ),
        _global_option(
            "--retry-deadline",
            type=click.FloatRange(min=0, min_open=True),
            default=None,
            hidden=True,  # tests and demos: give up on an unreachable API in a second
            help=f"Seconds one call (a push: one batch) is retried before giving up (default {_RETRY.deadline:g}).",
        ),
    ]
    for decorator in reversed(decorators):
        f = decorator(f)
    return f


json_option = click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print exactly one JSON object on stdout (see criteo_catalog_sdk/cli/schemas/output.schema.json).",
)
merchant_id_option = click.option(
    "--merchant-id", required=True, type=click.IntRange(1, MERCHANT_ID_MAX), help="Criteo partner (merchant) id."
)
# Hidden: a simulator finishes reports sooner than Criteo; tests and demos poll earlier.
first_poll_option = click.option(
    "--first-poll",
    default=DEFAULT_FIRST_POLL,
    type=click.FloatRange(0),
    hidden=True,
    help="Seconds before the first poll of a report.",
)


def _delimiter(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from criteo_catalog_sdk.push.feeds.detect import parse_delimiter

    try:
        return None if value is None else parse_delimiter(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


feed_format_option = click.option(
    "--format",
    "feed_format",
    type=click.Choice(FORMATS),
    default=None,
    help="Feed format (default: from the file name, else from the content).",
)
delimiter_option = click.option(
    "--delimiter",
    default=None,
    callback=_delimiter,
    help="CSV/TSV delimiter, one character; \\t or tab for a tab (default: sniffed from the header).",
)
