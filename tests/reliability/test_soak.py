"""Soak: a whole catalog pushed while the simulator (its own process) fails a fifth of the calls.

Random faults, seeded, on 20 % of the batch, report and stats calls: 429, 500, 503, dropped
connections, latency spikes and bodies cut in half (a truncated 202 has still queued its batch, so the
SDK's resend is a real duplicate). The token endpoint gets one of each status/transport fault too, and
tokens live 8 s so that they are refreshed under load. At the end every feed line has exactly one
outcome, the simulator's catalog equals the feed's accepted products (later lines winning), and the
figures (calls, retries, 429 share, wall time against the rate-limit floor) are printed and recorded.
DEBUG logging of every logger is captured and audited for the secret and the issued tokens, as are the
reprs, the state file and both exports.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from pathlib import Path

from criteo_catalog_sdk import CatalogClient, PollPolicy
from criteo_catalog_sdk.push.feeds import read_feed
from criteo_catalog_sdk.simulator.handle import SimulatorControl

from ._support import CLIENT_ID, FULL, MERCHANT_ID, SECRET, SEED, SIZES
from .conftest import Simulator
from .feeds import catalog_difference, check_accounting, make_feed
from .figures import Figures
from .secret_audit import SecretAudit

FAULT_RATE = 0.2
FAULT_KINDS = ("429", "500", "503", "drop", "latency", "truncate")
LATENCY_SPIKE = 1.5 if FULL else 1.0
RATE_LIMIT = 3000.0
# Tokens are refreshed under load. Not shorter in the full run: a request queued longer than a token's
# remaining life in the (CPU-bound) simulator would meet a 401 on its replay too, which stops a push.
TOKEN_TTL = 30 if FULL else 8
DUPLICATES = 20
# The simulator finishes a report 0.3 s after accepting its batch; Criteo's advice (3 s) would only
# add idle time at the end.
POLLING = PollPolicy(initial_delay=0.5, multiplier=1.5, max_delay=2.0)


class TokenFaults(threading.Thread):
    """Schedules one fault on the token endpoint every few seconds while the push runs: each hits the next
    token refresh. (Random faults stay off that route: a truncated 200 token answer is an
    AuthenticationError by design, which stops a push; see test_transport_safety.)"""

    KINDS = ("503", "429", "drop", "500", "latency")

    def __init__(self, base_url: str, every: float = TOKEN_TTL / 2) -> None:
        super().__init__(name="token-faults", daemon=True)
        # The simulator answers control calls between API calls: behind a busy batch, that can take a while.
        self.control = SimulatorControl(base_url, timeout=120)
        self.every = every
        self.stop = threading.Event()
        self.scheduled: list[str] = []
        self.errors: list[str] = []

    def run(self) -> None:
        for kind in itertools.cycle(self.KINDS):
            try:
                self.control.fail_next(kind, route="token")
                self.scheduled.append(kind)
            except Exception as exc:  # reported by the test, not lost with the thread
                self.errors.append(repr(exc))
            if self.stop.wait(self.every):
                return

    def __enter__(self) -> TokenFaults:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.join(10)
        self.control.close()


def test_soak_every_product_accounted_for_under_faults(
    simulator: Simulator, audit: SecretAudit, figures: Figures, tmp_path: Path
) -> None:
    # A few products twice (later line wins): each pair holds a batch back until the older one's report.
    feed = make_feed(
        SIZES.soak_products, SEED, dup_fraction=DUPLICATES / SIZES.soak_products, dup_gap=SIZES.soak_batch_size
    )
    path = feed.write(tmp_path / "soak.jsonl")
    state = tmp_path / "soak-state.sqlite3"
    control = simulator.control
    # The spec's report shape: Criteo's documented examples have no warningDetails (D1).
    control.configure(token_ttl=TOKEN_TTL, rate_limit=RATE_LIMIT, response_shape="spec")
    control.set_faults(
        rate=FAULT_RATE,
        kinds=FAULT_KINDS,
        seed=SEED,
        latency_seconds=LATENCY_SPIKE,
        routes=("batch", "report", "stats"),
    )
    token_faults = TokenFaults(simulator.base_url)

    started = time.monotonic()
    with CatalogClient(CLIENT_ID, SECRET, base_url=simulator.base_url, polling=POLLING) as client, token_faults:
        result = client.push(
            read_feed(path),
            merchant_id=MERCHANT_ID,
            batch_size=SIZES.soak_batch_size,
            rate_limit=RATE_LIMIT,
            state=state,
        )
        wall = time.monotonic() - started
        audit.obj("client", client)
        audit.obj("client._auth", client._auth)
    control.clear_faults()

    with result:
        summary = result.summary
        statuses = check_accounting(result, feed)
        tally = feed.tally()
        assert summary.total == len(feed.accountable())
        assert summary.rejected_client == tally["client_rejected"] + tally["unreadable"]
        assert summary.rejected_api == tally["api_rejected"]
        assert summary.warned == tally["warned"]
        assert summary.upserted + summary.superseded == tally["ok"] + tally["warned"] + tally["older"]
        assert summary.pending == 0 and summary.deleted == 0
        assert statuses["upserted"] == summary.upserted

        catalog = control.catalog(MERCHANT_ID)
        expected = feed.expected_catalog()
        difference = catalog_difference(catalog, expected)
        assert not difference, difference

        operations = control.operations()
        known = {op["operationToken"] for op in operations}
        assert set(result.operations) <= known
        # Operations the SDK never heard of: a 202 it could not read (truncated), so it sent the batch again.
        orphans = [op for op in operations if op["operationToken"] not in set(result.operations)]

        result.to_json(tmp_path / "result.json")
        result.to_csv(tmp_path / "result.csv")
        audit.file("result.json", tmp_path / "result.json")
        audit.file("result.csv", tmp_path / "result.csv")
        audit.obj("result", result)
        audit.obj("summary", summary)

    assert not token_faults.errors, token_faults.errors
    requests = control.requests()
    api_calls = [r for r in requests if r["route"] in ("token", "batch", "report", "stats")]
    by_route = Counter(r["route"] for r in api_calls)
    statuses_seen = Counter(r["status"] for r in api_calls)
    faults = Counter(r["fault"] for r in api_calls if r["fault"])
    batch_posts = by_route["batch"]
    sent = summary.upserted + summary.rejected_api + summary.deleted
    floor = sent / RATE_LIMIT
    audit.file("state", state)
    assert len(audit.tokens) >= 2, "tokens were refreshed during the soak"
    secrets = audit.verify()
    assert secrets["log_lines"] > 0

    figures.record(
        "soak",
        {
            "products": summary.total,
            "catalog": len(catalog),
            "batch_size": SIZES.soak_batch_size,
            "calls": len(api_calls),
            "calls_by_route": dict(sorted(by_route.items())),
            "faults_injected": dict(sorted(faults.items())),
            "fault_share": round(sum(faults.values()) / len(api_calls), 3),
            "answers_by_status": {str(k): v for k, v in sorted(statuses_seen.items())},
            "batches_accepted": len(result.operations),
            "batch_retries": batch_posts - len(result.operations),
            "share_429": round(statuses_seen[429] / len(api_calls), 3),
            "orphan_operations": len(orphans),
            "products_received_twice": sum(op["products"] for op in orphans),
            "wall_s": round(wall, 2),
            "floor_s": round(floor, 2),
            "wall_over_floor": round(wall / floor, 2),
            "products_per_s": round(summary.total / wall),
            "tokens_issued": len(audit.tokens),
            "token_faults_scheduled": len(token_faults.scheduled),
            "token_faults_injected": sum(1 for r in api_calls if r["route"] == "token" and r["fault"]),
            "summary": summary.to_dict(),
            "secrets_audit": secrets,
        },
    )
