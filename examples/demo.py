"""``make demo``: push examples/catalog.jsonl to a local simulator of Criteo's Catalog API and reconcile.

Starts the simulator on a free loopback port, pushes the 2,000-product feed (10 products are broken on
purpose: 8 fail the SDK's checks, 1 line is truncated JSON, 1 id reappears later with other letter
case) with a live progress display, then prints the per-product reconciliation and checks it against
the simulated catalog. Exits 0 when every input is accounted for and the catalog holds exactly the
products reported upserted; the rejected products are expected and shown with their reasons.

Against Criteo itself, the same push is one command::

    CRITEO_CLIENT_ID=... CRITEO_CLIENT_SECRET=... criteo-catalog push examples/catalog.jsonl --merchant-id N
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from criteo_catalog_sdk import CatalogClient, PollPolicy, PushResult
from criteo_catalog_sdk.cli.progress import ProgressDisplay, count_feed_lines
from criteo_catalog_sdk.push.feeds import read_feed
from criteo_catalog_sdk.simulator.config import Settings, SimulatorConfig
from criteo_catalog_sdk.simulator.handle import SimulatorControl
from criteo_catalog_sdk.simulator.runner import SimulatorServer

FEED = Path(__file__).resolve().parent / "catalog.jsonl"
MERCHANT = 123456
CLIENT_ID = "demo-client"
CLIENT_SECRET = "demo-secret"  # noqa: S105 - a credential the local simulator accepts
SHOWN = 10


def reconciliation(result: PushResult, in_catalog: int, elapsed: float) -> Table:
    """The summary table: what happened to every input line, and what the catalog now holds."""
    s = result.summary
    table = Table(title=f"Reconciliation of {FEED.name} ({elapsed:.1f} s)", header_style="bold")
    table.add_column("outcome")
    table.add_column("products", justify="right")
    for name, value in (
        ("input lines", s.total),
        ("upserted (confirmed by the report)", s.upserted),
        ("rejected by the SDK (never sent)", s.rejected_client),
        ("rejected by Criteo (report errors)", s.rejected_api),
        ("superseded (same id later in the feed)", s.superseded),
        ("warned", s.warned),
        ("pending", s.pending),
    ):
        table.add_row(name, f"{value:,}")
    table.add_section()
    table.add_row("products now in the simulated catalog", f"{in_catalog:,}")
    table.add_row("batches / operation tokens", f"{result.batches} / {len(result.operations)}")
    return table


def main() -> int:
    """Run the demo; the exit code says whether the pipeline accounted for everything."""
    console = Console(soft_wrap=True)
    settings = Settings(credentials={CLIENT_ID: CLIENT_SECRET}, accepted_seconds=0.5, processing_seconds=1.0)
    with SimulatorServer(SimulatorConfig(host="127.0.0.1", port=0, settings=settings)) as sim:
        console.print(f"simulator of Criteo's Catalog API listening on {sim.base_url}")
        # Reports of the simulator are final 1.5 s after acceptance: poll from then on.
        client = CatalogClient(CLIENT_ID, CLIENT_SECRET, base_url=sim.base_url, polling=PollPolicy(initial_delay=1.5))
        started = time.monotonic()
        display = ProgressDisplay(count_feed_lines(str(FEED)), file=sys.stdout) if console.is_terminal else None
        with client:
            if display is not None:
                with display:
                    result = client.push(read_feed(FEED), merchant_id=MERCHANT, on_progress=display)
            else:
                result = client.push(read_feed(FEED), merchant_id=MERCHANT)
        elapsed = time.monotonic() - started
        with result, SimulatorControl(sim.base_url) as control:
            in_catalog = len(control.catalog(MERCHANT))
            console.print(reconciliation(result, in_catalog, elapsed))
            rejected = list(result.rejected())
            console.print(f"[bold]{len(rejected)} rejected products[/bold] (broken on purpose in the demo feed):")
            for o in rejected[:SHOWN]:
                reasons = "; ".join(str(i) for i in o.errors)
                console.print(f"  line {o.position}: {o.product_id or '(unreadable line)'}: {reasons}", markup=False)
            superseded = [o for o in result if o.status == "superseded"]
            for o in superseded[:SHOWN]:
                console.print(f"  line {o.position}: {o.product_id}: superseded by a later line", markup=False)
            s = result.summary
            ok = s.pending == 0 and s.total == count_feed_lines(str(FEED)) and in_catalog == s.upserted
    console.print("[green]demo succeeded[/green]" if ok else "[red]demo failed: see above[/red]")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
