"""The live progress display: counts, and a "retrying:" row while the push waits after a failure."""

from __future__ import annotations

import gzip
import io
import re
from pathlib import Path

from criteo_catalog_sdk import CatalogClient, PollPolicy
from criteo_catalog_sdk.budget import app_budget
from criteo_catalog_sdk.cli.progress import (
    CombinedProgress,
    ProgressDisplay,
    application_share,
    count_feed_lines,
    feed_total,
)
from criteo_catalog_sdk.push.progress import ProgressEvent
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

from .conftest import MERCHANT_CENTER, products

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def test_the_display_renders_counts_without_a_terminal() -> None:
    out = io.StringIO()
    with ProgressDisplay(100, file=out, extra=lambda e: f", {e.batches} batches") as display:
        display(ProgressEvent(read=50, validated=48, rejected=2, sent=40, accepted=40, throughput=100.0, batches=1))
        display(ProgressEvent(read=100, validated=98, rejected=2, sent=98, accepted=98, done=98, finished=True))
    text = out.getvalue()
    assert "validated" in text and "98 ok, 2 rejected" in text and ", 0 batches" in text
    assert "retrying" not in text


def test_the_display_says_what_it_is_retrying_instead_of_freezing() -> None:
    out = io.StringIO()
    message = "batch 3: ConnectError; sending again in 4.0 s"
    with ProgressDisplay(10, file=out, force_terminal=True) as display:
        display(ProgressEvent(read=10, validated=10, sent=10, retrying=message))
        assert display.retrying == message
        display._progress.refresh()
        shown = ANSI.sub("", out.getvalue())
        display(ProgressEvent(read=10, validated=10, sent=10, accepted=10))
        assert display.retrying is None
    assert f"retrying: {message}" in " ".join(shown.split())
    assert message not in ANSI.sub("", out.getvalue()).split("\n")[-2]  # gone once the batch went


def test_a_real_push_retrying_a_503_shows_on_the_display(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator
    sim.control.fail_next("503", count=2, route="batch")
    seen: list[str] = []
    display = ProgressDisplay(5, file=io.StringIO())

    def follow(event: ProgressEvent) -> None:
        display(event)
        if display.retrying is not None:
            seen.append(display.retrying)

    client = CatalogClient(sim.client_id, sim.client_secret, base_url=sim.base_url, polling=PollPolicy(0.3))
    with client, display, client.push(products(5), merchant_id=sim.merchant_id, on_progress=follow) as result:
        assert result.summary.upserted == 5
    assert seen and "HTTP 503" in seen[0] and "sending again in" in seen[0]
    assert display.retrying is None  # the last event: nothing retried any more


def test_the_sent_row_shows_calls_per_minute_and_the_applications_share() -> None:
    out = io.StringIO()
    budget = app_budget("memory")
    assert budget is not None
    for _ in range(3):
        budget.acquire()
    with ProgressDisplay(10, file=out, extra=application_share(budget)) as display:
        display(ProgressEvent(read=10, validated=10, sent=10, accepted=10, throughput=120.0, calls_per_minute=2))
    sent = next(line for line in out.getvalue().splitlines() if line.startswith("sent"))
    assert "120 products/s, 2 calls/min (application: 3 of 250/min)" in sent
    assert application_share(None) is None  # no client-side budget: the application's share is unknown


def test_many_merchants_show_as_one_push() -> None:
    combined = CombinedProgress(2)
    combined(1, ProgressEvent(read=5, validated=4, rejected=1, accepted=4, done=4, calls=3, calls_per_minute=3,
                              throughput=10.0, elapsed=2.0, finished=True))  # fmt: skip
    combined(2, ProgressEvent(read=7, validated=7, sent=7, calls=1, calls_per_minute=1, throughput=5.0, elapsed=3.0,
                              retrying="batch 1: HTTP 503; sending again in 2.0 s"))  # fmt: skip
    event = combined.combined()
    assert (event.read, event.validated, event.rejected, event.sent, event.accepted, event.done) == (12, 11, 1, 7, 4, 4)
    assert (event.calls, event.calls_per_minute, event.throughput, event.elapsed) == (4, 4, 15.0, 3.0)
    assert event.retrying == "merchant 2: batch 1: HTTP 503; sending again in 2.0 s" and not event.finished
    combined(2, ProgressEvent(read=7, validated=7, sent=7, accepted=7, done=7, calls=2, finished=True))
    assert combined.combined().finished and combined.combined().retrying is None and combined.calls == 5


def test_a_real_push_counts_its_calls_against_the_application_budget(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator
    events: list[ProgressEvent] = []
    client = CatalogClient(
        sim.client_id, sim.client_secret, base_url=sim.base_url, polling=PollPolicy(0.3), app_budget="memory"
    )
    with client, client.push(products(5), merchant_id=sim.merchant_id, on_progress=events.append, batch_size=2):
        share = application_share(client.app_budget)
    calls = len([r for r in sim.control.requests() if r["route"] in ("batch", "report")])
    assert events[-1].calls == events[-1].calls_per_minute == calls >= 6  # 3 batches, 3 reports at least
    assert share is not None and share(events[-1]) == f" (application: {calls} of 250/min)"


def test_count_feed_lines(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_bytes(b"a\nb\nc")
    assert count_feed_lines(str(f)) == 3
    assert count_feed_lines("-") is None
    assert count_feed_lines(str(tmp_path / "missing")) is None
    packed = tmp_path / "f.jsonl.gz"
    packed.write_bytes(gzip.compress(b'{"id": "A"}\n' * 3))
    assert count_feed_lines(str(packed)) is None  # lines of a compressed or XML feed are not products
    assert count_feed_lines(MERCHANT_CENTER) is None
    csv = tmp_path / "f.csv"
    csv.write_text("id,title\nA,a\nB,b\n")
    assert feed_total(str(csv), None) == 2 and feed_total(str(f), "jsonl") == 3
