"""The SDK clients a command talks to the API through, built from the global options (one place: every
command's client gets the same credentials, URL, API generation, retries and application budget)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from criteo_catalog_sdk.cli import output
from criteo_catalog_sdk.cli.exit_codes import CommandError, ExitCode
from criteo_catalog_sdk.cli.options import GlobalOptions, options_of

if TYPE_CHECKING:
    from criteo_catalog_sdk.budget import AppBudget
    from criteo_catalog_sdk.client import CatalogClient

__all__ = ["app_budget_of", "client_settings", "deprecation_notes", "sync_client"]


def app_budget_of(glob: GlobalOptions) -> AppBudget | str | None:
    """The application budget ``--app-budget`` (or ``CRITEO_APP_BUDGET``) names, made now so that a spec
    that cannot be used is one line and exit 2 before any request: an ``AppBudget``, ``"off"``, or
    ``None`` when none was given (the client's default: this process's memory budget)."""
    if glob.app_budget is None:
        return None
    from criteo_catalog_sdk.budget import app_budget
    from criteo_catalog_sdk.errors import ConfigurationError

    try:
        made = app_budget(glob.app_budget)
    except ConfigurationError as exc:
        raise CommandError(f"--app-budget: {exc}", ExitCode.USAGE, kind=type(exc).__name__) from None
    return made if made is not None else "off"


def client_settings(glob: GlobalOptions) -> dict[str, Any]:
    """The keyword arguments of either client (``CatalogClient``, ``AsyncCatalogClient``): credentials,
    URL, API generation, retry policy, application budget. Missing credentials or an unusable
    ``--app-budget`` are a usage error (exit 2)."""
    base_url, client_id, client_secret = glob.credentials()
    budget = app_budget_of(glob)
    return {
        "client_id": client_id,
        "client_secret": client_secret,
        "base_url": base_url,
        "api_version": glob.api_version,
        "retry": glob.retry_policy(),
        "app_budget": budget,
    }


def sync_client(ctx: click.Context, **kwargs: Any) -> CatalogClient:
    """A client with the global options (see :func:`client_settings`); exit 2 if unusable."""
    from criteo_catalog_sdk.client import CatalogClient
    from criteo_catalog_sdk.errors import ConfigurationError

    settings = client_settings(options_of(ctx))
    try:
        return CatalogClient(**settings, **kwargs)
    except ConfigurationError as exc:
        raise CommandError(str(exc), ExitCode.USAGE, kind=type(exc).__name__) from None


def deprecation_notes(client: CatalogClient) -> list[dict[str, str]]:
    """What Criteo said of the generation's lifecycle, as notes; each also one line on stderr."""
    notes = []
    for deprecation in client.deprecations:
        output.notice("warning", deprecation.message)
        notes.append(output.note_object("deprecation", deprecation.message))
    return notes
