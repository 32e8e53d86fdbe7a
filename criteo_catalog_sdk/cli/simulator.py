"""``criteo-catalog simulator``: run the local simulator of Criteo's Catalog API (extra ``[simulator]``).

Also ``python -m criteo_catalog_sdk.simulator``. The simulator is imported when the command runs, so
that the other commands work without the extra.
"""

from __future__ import annotations

import sys

import click

from criteo_catalog_sdk.cli.exit_codes import CommandError, ExitCode

__all__ = ["simulator"]


@click.command("simulator")
@click.option("--host", default="127.0.0.1", help="Interface to listen on.")
@click.option("--port", default=8787, type=click.IntRange(0, 65535), help="Port to listen on (0: any free port).")
@click.option(
    "--rate-limit", default=3000.0, type=click.FloatRange(min=0), help="Products per second per merchant (0: off)."
)
@click.option(
    "--calls-per-minute",
    default=250,
    type=click.IntRange(min=0),
    help="API calls per minute per client id, Criteo's application budget (0: off).",
)
@click.option("--retry-after/--no-retry-after", default=False, help="Send Retry-After on 429 (Criteo documents none).")
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
@click.option("--report-retention", default=4 * 86400.0, type=click.FloatRange(min=0), help="Report lifetime, s.")
@click.option("--max-body-bytes", default=16_000_000, type=click.IntRange(min=1), help="413 at this size.")
@click.option("--max-id-length", default=240, type=click.IntRange(min=1), help="Longer product ids: OverlargeID.")
@click.option("--latency", default=0.0, type=click.FloatRange(min=0), help="Seconds added to every API answer.")
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
def simulator(
    host: str,
    port: int,
    rate_limit: float,
    calls_per_minute: int,
    retry_after: bool,
    fault_rate: float,
    fault_kinds: str,
    fault_latency: float,
    fault_routes: str,
    seed: int | None,
    response_shape: str,
    state_file: str | None,
    token_ttl: int,
    clients: tuple[str, ...],
    merchants: str | None,
    static_tokens: tuple[str, ...],
    accepted_seconds: float,
    processing_seconds: float,
    report_retention: float,
    max_body_bytes: int,
    max_id_length: int,
    latency: float,
    deprecations: tuple[str, ...],
    decommissions: tuple[str, ...],
    control: bool,
    access_log: bool,
    log_level: str,
    break_contract: tuple[str, ...],
) -> None:
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
        for text in clients:
            client_id, secret, allowed = cfg.parse_client(text)
            credentials = {**(credentials or {}), client_id: secret}
            if allowed is not None:
                client_merchants[client_id] = allowed
        settings = cfg.Settings(
            rate_limit=rate_limit,
            calls_per_minute=calls_per_minute,
            retry_after_header=retry_after,
            response_shape=cfg.shape(response_shape),
            token_ttl=token_ttl,
            credentials=credentials,
            merchants=cfg.parse_merchants(merchants) if merchants else None,
            client_merchants=client_merchants,
            static_tokens=frozenset(static_tokens),
            accepted_seconds=accepted_seconds,
            processing_seconds=processing_seconds,
            retention_seconds=report_retention,
            max_body_bytes=max_body_bytes,
            max_id_length=max_id_length,
            latency_seconds=latency,
            deprecated=dict(parse_deprecation(text) for text in deprecations),
            decommissioned=frozenset(name.strip().lower() for name in decommissions),
            break_contract=frozenset(break_contract),
        )
        faults = FaultSettings(
            rate=fault_rate,
            kinds=cfg.parse_fault_kinds(fault_kinds),
            latency_seconds=fault_latency,
            routes=frozenset(r.strip() for r in fault_routes.split(",") if r.strip()),
        )
        config = cfg.SimulatorConfig(
            host=host,
            port=port,
            seed=seed,
            state_file=state_file,
            settings=settings,
            faults=faults,
            control=control,
            access_log=access_log,
            log_level=log_level,
        )
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
        raise CommandError(f"cannot listen on {host}:{port}: {exc}", ExitCode.USAGE, kind="OSError") from None


def _missing_extra(exc: ModuleNotFoundError) -> CommandError:
    return CommandError(
        f"the simulator needs its extra ({exc.name} is missing): pip install 'criteo-catalog-sdk[simulator]'",
        ExitCode.USAGE,
        kind="MissingExtra",
    )
