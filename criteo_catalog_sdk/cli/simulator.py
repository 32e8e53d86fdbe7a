"""``criteo-catalog simulator``: run the local simulator of Criteo's Catalog API (extra ``[simulator]``).

Also ``python -m criteo_catalog_sdk.simulator``. The simulator is imported when the command runs, so
that the other commands work without the extra.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from criteo_catalog_sdk.budget import DEFAULT_CALLS_PER_MINUTE
from criteo_catalog_sdk.cli.exit_codes import CommandError, ExitCode

__all__ = ["simulator"]

#: The options named after a field of the simulator's ``Settings`` or ``SimulatorConfig``, whose values
#: pass as they are (the others are parsed first).
_SETTINGS_AS_GIVEN = (
    "rate_limit",
    "calls_per_minute",
    "retry_after_header",
    "token_ttl",
    "accepted_seconds",
    "processing_seconds",
    "retention_seconds",
    "max_body_bytes",
    "max_id_length",
    "latency_seconds",
)
_CONFIG_AS_GIVEN = ("host", "port", "seed", "state_file", "control", "access_log", "log_level")


@click.command("simulator")
@click.option("--host", default="127.0.0.1", help="Interface to listen on.")
@click.option("--port", default=8787, type=click.IntRange(0, 65535), help="Port to listen on (0: any free port).")
@click.option(
    "--rate-limit", default=3000.0, type=click.FloatRange(min=0), help="Products per second per merchant (0: off)."
)
@click.option(
    "--calls-per-minute",
    default=DEFAULT_CALLS_PER_MINUTE,
    type=click.IntRange(min=0),
    help="API calls per minute per client id, Criteo's application budget (0: off).",
)
@click.option(
    "--retry-after/--no-retry-after",
    "retry_after_header",
    default=False,
    help="Send Retry-After on 429 (Criteo documents none).",
)
@click.option("--fault-rate", default=0.0, type=click.FloatRange(0, 1), help="Share of API requests given a fault.")
@click.option(
    "--fault-kinds",
    default="all",
    help="Faults to draw from: all, or a comma list of 429,500,503,latency,drop,truncate,invalid-json,revoke,lost.",
)
@click.option("--fault-latency", default=1.0, type=click.FloatRange(min=0), help="Seconds added by a latency fault.")
@click.option("--fault-routes", default="batch,report,stats", help="Routes faults apply to (also: token).")
@click.option("--seed", type=int, default=None, help="Seed of the fault plan (same seed, same faults).")
@click.option(
    "--response-shape",
    type=click.Choice(["documented", "spec"]),
    default="documented",
    help="documented: as Criteo's examples; spec: every field the published spec requires.",
)
@click.option("--state", "state_file", type=click.Path(dir_okay=False), default=None, help="Keep state in SQLite.")
@click.option("--token-ttl", default=900, type=click.IntRange(min=1), help="Access token lifetime, seconds.")
@click.option(
    "--client",
    "clients",
    multiple=True,
    metavar="ID:SECRET[:M1,M2]",
    help="Accepted credentials, optionally with the merchants they may manage (default: any non-empty pair).",
)
@click.option("--merchants", default=None, metavar="M1,M2", help="Merchants every client may manage (default: any).")
@click.option("--static-token", "static_tokens", multiple=True, help="A bearer token that is always valid.")
@click.option("--accepted-seconds", default=1.0, type=click.FloatRange(min=0), help="Time an operation is ACCEPTED.")
@click.option("--processing-seconds", default=2.0, type=click.FloatRange(min=0), help="Time it is IN_PROGRESS.")
@click.option(
    "--report-retention",
    "retention_seconds",
    default=4 * 86400.0,
    type=click.FloatRange(min=0),
    help="Report lifetime, s.",
)
@click.option("--max-body-bytes", default=16_000_000, type=click.IntRange(min=1), help="413 at this size.")
@click.option("--max-id-length", default=240, type=click.IntRange(min=1), help="Longer product ids: OverlargeID.")
@click.option(
    "--latency", "latency_seconds", default=0.0, type=click.FloatRange(min=0), help="Seconds added to every API answer."
)
@click.option(
    "--deprecate",
    "deprecations",
    multiple=True,
    metavar="GEN=YYYY-MM-DD",
    help="Serve a generation as deprecated: Deprecation and Sunset headers on its every answer (repeatable).",
)
@click.option("--decommission", "decommissions", multiple=True, metavar="GEN", help="Answer 410 Gone to a generation.")
@click.option("--control/--no-control", default=True, help="Serve the /_simulator/ control endpoint.")
@click.option("--access-log/--no-access-log", default=False, help="Log every request (slower).")
@click.option("--log-level", default="warning", type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@click.option(
    "--break-contract",
    "break_contract",
    multiple=True,
    hidden=True,
    metavar="NAME",
    help="TEST ONLY: answer in breach of the spec on purpose (see simulator config.CONTRACT_BREAKS).",
)
def simulator(**options: Any) -> None:
    """Run a local simulator of Criteo's Catalog API; prints its base URL when ready."""
    try:
        from criteo_catalog_sdk.simulator import config as cfg
        from criteo_catalog_sdk.simulator.faults import FaultSettings
        from criteo_catalog_sdk.simulator.lifecycle import parse_deprecation
        from criteo_catalog_sdk.simulator.runner import serve
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the installed extras
        raise _missing_extra(exc) from None
    try:
        credentials: dict[str, str] | None = None
        client_merchants: dict[str, frozenset[int]] = {}
        for text in options["clients"]:
            client_id, secret, allowed = cfg.parse_client(text)
            credentials = {**(credentials or {}), client_id: secret}
            if allowed is not None:
                client_merchants[client_id] = allowed
        merchants = options["merchants"]
        settings = cfg.Settings(
            **{name: options[name] for name in _SETTINGS_AS_GIVEN},
            response_shape=cfg.shape(options["response_shape"]),
            credentials=credentials,
            merchants=cfg.parse_merchants(merchants) if merchants else None,
            client_merchants=client_merchants,
            static_tokens=frozenset(options["static_tokens"]),
            deprecated=dict(parse_deprecation(text) for text in options["deprecations"]),
            decommissioned=frozenset(name.strip().lower() for name in options["decommissions"]),
            break_contract=frozenset(options["break_contract"]),
        )
        faults = FaultSettings(
            rate=options["fault_rate"],
            kinds=cfg.parse_fault_kinds(options["fault_kinds"]),
            latency_seconds=options["fault_latency"],
            routes=frozenset(r.strip() for r in options["fault_routes"].split(",") if r.strip()),
        )
        given = {name: options[name] for name in _CONFIG_AS_GIVEN}
        config = cfg.SimulatorConfig(**given, settings=settings, faults=faults)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc

    def ready(url: str) -> None:
        # stdout carries only the URL, so that scripts can read it; the rest goes to stderr.
        click.echo(url)
        sys.stdout.flush()
        who = "any non-empty client id and secret" if credentials is None else f"{len(credentials)} client(s)"
        click.echo(f"Criteo Catalog simulator ready on {url} (credentials: {who}; Ctrl-C to stop)", err=True)

    try:
        serve(config, on_ready=ready)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        pass
    except ModuleNotFoundError as exc:  # uvicorn is imported when the server starts
        raise _missing_extra(exc) from None
    except OSError as exc:
        where = f"{config.host}:{config.port}"
        raise CommandError(f"cannot listen on {where}: {exc}", ExitCode.USAGE, kind="OSError") from None


def _missing_extra(exc: ModuleNotFoundError) -> CommandError:
    return CommandError(
        f"the simulator needs its extra ({exc.name} is missing): pip install 'criteo-catalog-sdk[simulator]'",
        ExitCode.USAGE,
        kind="MissingExtra",
    )
