"""Local inputs and outputs, checked before the first request; reports written at the end.

``--report-out PATH`` is checked up front (its directory exists and is writable, PATH is not a directory,
an existing file is writable) but only created or truncated once the push is over, so that a push that
never runs leaves an earlier report alone. (``--state`` is checked by the library: opening the journal
raises :class:`~criteo_catalog_sdk.errors.StateFileError` before anything is sent.) A feed named by a
``push-many`` manifest is checked up front too (:func:`check_feed`): it exists and can be opened.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from criteo_catalog_sdk.cli.exit_codes import CommandError, ExitCode

if TYPE_CHECKING:
    from criteo_catalog_sdk.push.result import PushResult

__all__ = ["check_feed", "check_report_out", "write_report"]


def check_feed(path: str, label: str = "feed") -> None:
    """Refuse (exit 2, one line naming ``label``, the path and the reason) a feed file that cannot be
    opened for reading."""
    if os.path.isdir(path):
        reason = "is a directory"
    else:
        try:
            with open(path, "rb"):
                return
        except OSError as exc:
            reason = exc.strerror or str(exc)
    raise CommandError(f"{label} {path}: {reason}", ExitCode.USAGE, kind="FeedError")


def check_report_out(path: str, label: str = "--report-out") -> None:
    """Refuse (exit 2, one line naming ``label``, the path and the reason) a report path that cannot be
    written."""

    def refuse(reason: str) -> CommandError:
        return CommandError(f"{label} {path}: {reason}", ExitCode.USAGE, kind="ReportOutError")

    if os.path.isdir(path):
        raise refuse("is a directory")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise refuse(f"the directory {parent} does not exist")
    if os.path.exists(path):
        if not os.access(path, os.W_OK):
            raise refuse("not writable by this user")
    elif not os.access(parent, os.W_OK):
        raise refuse(f"cannot create it in {parent} (not writable)")


def write_report(result: PushResult, path: str) -> None:
    """Write every product's outcome: CSV for a ``.csv`` path, else JSON. Raises ``OSError``."""
    if path.lower().endswith(".csv"):
        result.to_csv(path)
    else:
        result.to_json(path)
