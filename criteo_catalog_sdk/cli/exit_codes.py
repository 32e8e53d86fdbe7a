"""The exit codes of every ``criteo-catalog`` command, defined once: the commands, ``--help`` (the group's
epilog), the README table and the JSON schema all come from :data:`MEANINGS`.

A command that fails raises :class:`CommandError`: the group prints its one line on stderr (and, with
``--json``, a failure object on stdout unless the command printed its own) and exits with its code.
:func:`exit_code_of` maps the library's exceptions to codes.
"""

from __future__ import annotations

import enum
import textwrap
from typing import Final

import click

from criteo_catalog_sdk.errors import ConfigurationError, CriteoError, InvalidRequestError

__all__ = [
    "MEANINGS",
    "PRECEDENCE",
    "CommandError",
    "ExitCode",
    "exit_code_of",
    "help_epilog",
    "markdown_table",
    "most_severe",
]


class ExitCode(enum.IntEnum):
    """What a ``criteo-catalog`` command's exit status means."""

    OK = 0
    REJECTED = 1
    USAGE = 2
    API = 3
    INTERRUPTED = 130


MEANINGS: Final[dict[ExitCode, str]] = {
    ExitCode.OK: "every product accepted (validate: every product valid; report: no product error)",
    ExitCode.REJECTED: "some products rejected: by the SDK's checks, as unreadable feed lines, or by Criteo",
    ExitCode.USAGE: (
        "usage, feed or local-file error: bad options, missing credentials, an unusable --app-budget, a feed"
        " that cannot be read at all or was cut short, an unusable --state or --report-out, a push-many"
        " manifest that cannot be used (or a feed, state file or report it names), a mass deletion refused by"
        " --delete-missing's guard (--max-delete-fraction)"
    ),
    ExitCode.API: (
        "API, auth or network failure: credentials refused, the API failing beyond the retries, a"
        " decommissioned API generation (410), reports not final in time"
    ),
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C); with --state, run the same command again to resume",
}

#: How one exit code is chosen when several conditions hold.
PRECEDENCE: Final = (
    "When several apply, the most severe wins: 130, then 3, then 2, then 1"
    " (rejected products and a refused deletion: 2). push-many exits with its most severe merchant's code."
)

# Most severe last.
_SEVERITY: Final = (ExitCode.OK, ExitCode.REJECTED, ExitCode.USAGE, ExitCode.API, ExitCode.INTERRUPTED)


def most_severe(*codes: int) -> ExitCode:
    """The code that wins among ``codes`` (see :data:`PRECEDENCE`); ``OK`` for none."""
    return max((ExitCode(code) for code in codes), key=_SEVERITY.index, default=ExitCode.OK)


def help_epilog() -> str:
    """The exit-code table as ``--help`` shows it (``\\b`` keeps click from rewrapping it)."""
    rows = "\n".join(
        textwrap.fill(meaning, 76, initial_indent=f"{int(code):>5}  ", subsequent_indent=" " * 7)
        for code, meaning in MEANINGS.items()
    )
    return f"\b\nExit codes:\n{rows}\n\n{PRECEDENCE}"


def markdown_table() -> str:
    """The exit-code table as the README shows it."""
    rows = "\n".join(f"| {int(code)} | {meaning} |" for code, meaning in MEANINGS.items())
    return f"| code | meaning |\n|---|---|\n{rows}"


class CommandError(click.ClickException):
    """A failure that ends a command: ``label: message`` as one line on stderr, and ``code``.

    ``kind`` names the failure in the ``--json`` failure object (default: the exception class of the
    cause); ``reported`` is set when the command already printed its own JSON object.
    """

    def __init__(self, message: str, code: ExitCode, *, kind: str = "Error", label: str = "Error") -> None:
        super().__init__(" ".join(message.split()))  # one line, whatever the cause's text held
        self.exit_code = int(code)  # type: ignore[misc]  # click declares a class default; ours is per error
        self.kind = kind
        self.label = label
        self.reported = False


def exit_code_of(error: BaseException) -> ExitCode:
    """The exit code of an exception the library raised (or Ctrl-C)."""
    if isinstance(error, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    if isinstance(error, CommandError):
        return ExitCode(error.exit_code)
    if isinstance(error, click.ClickException):  # click's own: bad options, missing arguments...
        return ExitCode.USAGE
    # Refused before anything is sent: a state file, a setting, a URL, a product list that cannot work.
    if isinstance(error, ConfigurationError | InvalidRequestError):
        return ExitCode.USAGE
    # PushAborted, ApiError, TransportError (the SDK's TimeoutError is also an OSError), ReportTimeoutError.
    if isinstance(error, CriteoError):
        return ExitCode.API
    return ExitCode.USAGE  # OSError (a local file), ValueError (a feed option)
