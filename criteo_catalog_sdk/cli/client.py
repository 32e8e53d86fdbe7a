"""The SDK client a command talks to the API through, built from the global options."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from criteo_catalog_sdk.cli import output
from criteo_catalog_sdk.cli.exit_codes import CommandError, ExitCode
from criteo_catalog_sdk.cli.options import options_of

if TYPE_CHECKING:
    from criteo_catalog_sdk.client import CatalogClient

__all__ = ["deprecation_notes", "sync_client"]


def sync_client(ctx: click.Context, **kwargs: Any) -> CatalogClient:
    """A client with the global options (credentials, URL, API generation, retries); exit 2 if unusable."""
    from criteo_catalog_sdk.client import CatalogClient
    from criteo_catalog_sdk.errors import ConfigurationError

    glob = options_of(ctx)
    base_url, client_id, client_secret = glob.credentials()
    try:
        return CatalogClient(
            client_id,
            client_secret,
            base_url=base_url,
            api_version=glob.api_version,
            retry=glob.retry_policy(),
            **kwargs,
        )
    except ConfigurationError as exc:
        raise CommandError(str(exc), ExitCode.USAGE, kind=type(exc).__name__) from None


def deprecation_notes(client: CatalogClient) -> list[dict[str, str]]:
    """What Criteo said of the generation's lifecycle, as notes; each also one line on stderr."""
    notes = []
    for deprecation in client.deprecations:
        output.notice("warning", deprecation.message)
        notes.append(output.note_object("deprecation", deprecation.message))
    return notes
