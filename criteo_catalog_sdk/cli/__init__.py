"""The ``criteo-catalog`` command line (extra ``[cli]``): one module per command, thin over the library.

::

    __init__      the ``main`` group: global options, the exit-code epilog, one-line failures
    options       global options (``--base-url``, ``--client-id``, ``--client-secret``, ``--api-version``)
                  and the options several commands share; push_options: PushOptions as options
    exit_codes    the exit-code table, defined once; verdict: outcome -> exit code (pure)
    output        ``--json`` objects (schemas/output.schema.json) and shared human output; progress: the
                  live display; push_output: a push's summary and object; local_files: --report-out
    push_run      one push for a command: checks, the library's push, failures, the verdict
    client        the SDK clients of the commands (credentials, --app-budget), one place
    manifest      push-many's TOML manifest, checked whole; many_run: the run; many_output: its output
    push, push_many, delete, report, stats, validate, simulator   the commands

Each command imports what it needs when it runs, so that ``criteo-catalog --help`` stays fast and one
command's optional dependency (the simulator's uvicorn) never breaks another. Every failure a user can
cause ends in one line on stderr and an exit code of :mod:`.exit_codes`, never a traceback; with
``--json``, also in one JSON object on stdout.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from typing import Any, Final

try:
    import click
except ModuleNotFoundError as exc:  # pragma: no cover - depends on the installed extras
    sys.stderr.write("criteo-catalog needs click: pip install 'criteo-catalog-sdk[cli]'\n")
    raise SystemExit(2) from exc

from criteo_catalog_sdk.cli import delete, push, push_many, report, simulator, stats, validate
from criteo_catalog_sdk.cli.exit_codes import CommandError, ExitCode, exit_code_of, help_epilog
from criteo_catalog_sdk.cli.options import global_options, with_retry_help
from criteo_catalog_sdk.heap import keep_memory_flat

__all__ = ["COMMANDS", "CatalogGroup", "main"]


class CatalogGroup(click.Group):
    """A click group whose failures are one line on stderr (and, with ``--json``, one JSON object on
    stdout) with the exit code of :mod:`.exit_codes`: no usage block, no traceback."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; exits with the command's code unless ``standalone_mode`` is off."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        _quiet_library_logs()
        keep_memory_flat()  # a long push's memory stays flat (see criteo_catalog_sdk.heap)
        try:
            code = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as exc:
            code = self._failed(exc, argv)
        except (click.Abort, KeyboardInterrupt):  # Ctrl-C outside a command's own handling
            stopped = "the command stopped before its end"
            code = self._failed(
                CommandError(stopped, ExitCode.INTERRUPTED, kind="Interrupted", label="interrupted"), argv
            )
        sys.exit(code if isinstance(code, int) else ExitCode.OK)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a reader of stdout that went away (``| head``) is one line and exit 2."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the interpreter's last flush must not fail again
            error = CommandError("stdout was closed before the output ended", ExitCode.USAGE, kind="BrokenPipe")
            error.reported = True  # no JSON object: nobody reads stdout any more
            raise error from None

    def _failed(self, exc: click.ClickException, argv: list[str]) -> int:
        code = exit_code_of(exc)
        message = " ".join(exc.format_message().split())
        hint = ""
        if isinstance(exc, click.UsageError) and exc.ctx is not None:
            hint = f" (see '{exc.ctx.command_path} --help')"
        click.echo(f"{getattr(exc, 'label', 'Error')}: {message}{hint}", err=True)
        before = argv[: argv.index("--")] if "--" in argv else argv
        if "--json" in before and not getattr(exc, "reported", False):
            from criteo_catalog_sdk.cli.output import emit_json, failure_object

            command = next((arg for arg in before if arg in self.commands), None)
            kind = exc.kind if isinstance(exc, CommandError) else type(exc).__name__
            emit_json(failure_object(command, code, kind, message))
        return int(code)


def _quiet_library_logs() -> None:
    """The SDK warns through logging (a deprecation, a refused deletion); with no handler Python would
    print those raw on stderr, beside the command's own one line. ``CRITEO_CATALOG_LOG`` still logs."""
    logger = logging.getLogger("criteo_catalog_sdk")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


@click.group(
    cls=CatalogGroup,
    context_settings={"help_option_names": ["-h", "--help"], "show_default": True},
    epilog=help_epilog(),
)
@click.version_option(package_name="criteo-catalog-sdk")
@global_options
def main() -> None:
    """Criteo Catalog SDK command line: push feeds to Criteo's Catalog API and account for every product.

    Every command that talks to the API uses the global options (each also read from its environment
    variable). --json prints exactly one JSON object on stdout, described by the JSON Schema
    criteo_catalog_sdk/cli/schemas/output.schema.json.
    """


with_retry_help(main)

#: The commands of the group.
COMMANDS: Final = (
    push.push,
    push_many.push_many,
    delete.delete,
    validate.validate,
    report.report,
    stats.stats,
    simulator.simulator,
)
for _command in COMMANDS:
    main.add_command(_command)
