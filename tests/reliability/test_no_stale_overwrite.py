"""No stale overwrite, deterministically: when a feed holds a product twice, the catalog ends with the
later line, whatever went out before, with or without delta sync, and across a resume.

The push runs over an in-process fake API (tests/fakes/apply_at_once.py) that applies each accepted batch
at once, in order, so that "what the catalog holds" is exactly "the last version of the product the SDK
sent". Each scenario places
the older line (A) and the newer line (B) so that a different step of the pipeline sees them:

- ``reported``: A's batch is sent and reported before B is read (the reader is at most a few batches
  ahead of the senders);
- ``in-flight``: A's batch is sent but its report is not in when B, unchanged since the last push, is
  read (found by the SIGKILL trials: B was skipped as unchanged and A stayed in the catalog);
- ``settled-first``: B, unchanged, is recorded with the inputs settled so far before the batch holding A
  is sealed (A was then sent after B had been skipped);
- ``resumed``: an interrupted push left A's batch pending in the journal; the resumed push sends it first;
- ``same-chunk``: A's batch is sealed and sent while the chunk of inputs holding B is routed (the delta
  lookup was made for the whole chunk before A was routed, so B must not be judged on it).
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from criteo_catalog_sdk.errors import CriteoError, OperationNotFoundError, ReportExpiredError
from criteo_catalog_sdk.push import pipeline
from criteo_catalog_sdk.push.journal import Journal
from criteo_catalog_sdk.push.options import PushOptions
from criteo_catalog_sdk.push.wire import EntryBuilder, PreparedEntry
from tests.fakes.apply_at_once import ApplyAtOnce

from ._support import SEED, SIZES

KEY = "sku-00000"


def product(i: int, title: str, *, lower: bool = False) -> dict[str, Any]:
    pid = f"SKU-{i:05d}"
    return {
        "id": pid.lower() if lower else pid,
        "title": title,
        "link": f"https://shop.example.com/p/{i}",
        "imageLink": f"https://cdn.example.com/{i}.jpg",
    }


def feed(gap: int, *, generation: int, b_at: int | None = None) -> list[dict[str, Any]]:
    """Product 0 as A first, ``gap`` other products of ``generation`` (a new one changes them all, so that
    batches keep flowing under delta sync), product 0 again as B (after ``b_at`` of them, else last)."""
    fillers = [product(i, f"filler {i} gen {generation}") for i in range(1, gap + 1)]
    at = gap if b_at is None else b_at
    return [product(0, "A"), *fillers[:at], product(0, "B", lower=True), *fillers[at:]]


def push(
    api: ApplyAtOnce,
    products: list[dict[str, Any]],
    state: Path,
    *,
    delta: bool,
    batch_size: int,
    concurrency: int,
) -> dict[str, int]:
    async def run() -> dict[str, int]:
        options = PushOptions(batch_size=batch_size, concurrency=concurrency, delta=delta)
        result = await pipeline.push(api, pipeline.MerchantPush(1, products, state=state, options=options))
        with result:
            return result.summary.to_dict()

    return asyncio.run(run())


# (batch size, concurrency, report delay, products between A and B, B's place, fillers change in push 2)
SCENARIOS: dict[str, tuple[int, int, float, int, int | None, bool]] = {
    "reported": (50, 1, 0.0, 2000, None, True),
    "in-flight": (50, 8, 0.3, 300, None, True),
    "settled-first": (2000, 1, 0.0, 1500, 500, False),
    "same-chunk": (50, 4, 0.3, 200, None, True),
}


@pytest.mark.parametrize(
    ("scenario", "delta"),
    [
        pytest.param(name, delta, id=f"{name}-{'delta' if delta else 'full'}")
        for name in SCENARIOS
        for delta in (False, True)
    ],
)
def test_the_later_line_wins(tmp_path: Path, scenario: str, delta: bool) -> None:
    batch_size, concurrency, report_after, gap, b_at, changes = SCENARIOS[scenario]
    api = ApplyAtOnce(report_after)
    state = tmp_path / "state.sqlite3"
    kwargs: dict[str, Any] = {"delta": delta, "batch_size": batch_size, "concurrency": concurrency}
    push(api, feed(gap, generation=1, b_at=b_at), state, **kwargs)
    assert api.catalog[KEY]["title"] == "B" and api.versions_sent(KEY)[-1] == "B"

    # The next push: B is unchanged since the last one (under delta sync), A differs from it.
    api.sent.clear()
    summary = push(api, feed(gap, generation=2 if changes else 1, b_at=b_at), state, **kwargs)
    assert api.catalog[KEY]["title"] == "B", f"stale overwrite: sent {api.versions_sent(KEY)}"
    assert summary["pending"] == 0 and summary["total"] == gap + 2
    assert summary["superseded"] == 1


def test_the_later_line_wins_when_the_older_is_sealed_while_a_later_chunk_is_routed(tmp_path: Path) -> None:
    # Found by the SIGKILL trials. Under delta sync, A (changed) waits in the open batch while unchanged
    # inputs go by; its batch is sealed by changed inputs of the chunk that holds B, just before B. The
    # chunk's lookup was made while A was in the open batch, not journaled: it says B is unchanged.
    api = ApplyAtOnce()
    state = tmp_path / "state.sqlite3"
    kwargs: dict[str, Any] = {"delta": True, "batch_size": 50, "concurrency": 4}
    unchanged, changed = 300, 49  # A is routed in the first chunk of 256 inputs, B in the second

    def fillers(generation_of_last: int) -> list[dict[str, Any]]:
        return [
            product(i, f"filler {i} gen {1 if i <= unchanged else generation_of_last}")
            for i in range(1, unchanged + changed + 1)
        ]

    push(api, [product(0, "A"), *fillers(1), product(0, "B", lower=True)], state, **kwargs)
    assert api.catalog[KEY]["title"] == "B"
    api.sent.clear()
    summary = push(api, [product(0, "A"), *fillers(2), product(0, "B", lower=True)], state, **kwargs)
    assert api.catalog[KEY]["title"] == "B", f"stale overwrite: sent {api.versions_sent(KEY)}"
    assert summary["unchanged"] == unchanged and summary["superseded"] == 1 and summary["pending"] == 0


def expired() -> CriteoError:
    return ReportExpiredError(400, body="", method="GET", path="/report")


def lost() -> CriteoError:
    return OperationNotFoundError(404, body="", method="GET", path="/report")


@pytest.mark.parametrize("mode", ["expired", "lost", "no-wait"])
def test_a_version_whose_outcome_was_never_seen_is_sent_again(tmp_path: Path, mode: str) -> None:
    # Criteo applied A, but the push never saw a report saying so (it expired, was lost twice, or the
    # push did not wait): the next delta push must not judge B "unchanged" against the hash of B that
    # was confirmed before A went out. Found in review.
    api = ApplyAtOnce()
    state = tmp_path / "state.sqlite3"
    push(api, [product(0, "B")], state, delta=False, batch_size=50, concurrency=1)
    if mode != "no-wait":
        api.fate = lambda entries: expired() if mode == "expired" else lost()

    async def push_a() -> None:
        options = PushOptions(delta=True, wait=mode != "no-wait")
        result = await pipeline.push(api, pipeline.MerchantPush(1, [product(0, "A")], state=state, options=options))
        result.close()

    asyncio.run(push_a())
    assert api.catalog[KEY]["title"] == "A"
    api.fate = None
    api.sent.clear()
    summary = push(api, [product(0, "B")], state, delta=True, batch_size=50, concurrency=1)
    assert api.versions_sent(KEY) == ["B"] and api.catalog[KEY]["title"] == "B"
    assert summary["upserted"] == 1 and summary["unchanged"] == 0


def test_the_later_line_wins_after_a_resume(tmp_path: Path) -> None:
    api = ApplyAtOnce(report_after=0.3)
    state = tmp_path / "state.sqlite3"
    gap = 300
    push(api, feed(gap, generation=1), state, delta=True, batch_size=50, concurrency=8)  # synced: B

    # A second push stops (as if killed) right after journaling the batch that holds the older line A.
    newer = feed(gap, generation=2)
    with Journal(state) as journal:
        run = journal.runs.start(1, options={"delta": True})
        builder = EntryBuilder(1)
        entries = [builder.insert(i + 1, p) for i, p in enumerate(newer[:50])]
        assert all(isinstance(e, PreparedEntry) for e in entries)
        journal.batches.record(run.run_id, batch=[e for e in entries if isinstance(e, PreparedEntry)], input_pos=50)
    api.sent.clear()
    summary = push(api, newer, state, delta=True, batch_size=50, concurrency=8)
    assert api.versions_sent(KEY)[0] == "A"  # the pending batch went first
    assert api.catalog[KEY]["title"] == "B", f"stale overwrite: sent {api.versions_sent(KEY)}"
    assert summary["pending"] == 0 and summary["total"] == gap + 2


def random_feed(rng: random.Random, n_lines: int, n_keys: int) -> list[dict[str, Any]]:
    """Lines of ``n_keys`` products in few versions (so that lines often equal the last synced one),
    repeated ones in either letter case: the later line of a product must win."""
    lines = []
    for _ in range(n_lines):
        i = rng.randrange(n_keys)
        lines.append(product(i, f"v{rng.randrange(3)}", lower=rng.random() < 0.5))
    return lines


def last_lines(feed: list[dict[str, Any]]) -> dict[str, str]:
    return {line["id"].lower(): line["title"] for line in feed}


@seed(SEED)
@settings(
    max_examples=max(8, SIZES.hypothesis_examples // 16),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    feed_seed=st.integers(0, 2**32 - 1),
    n_lines=st.integers(1, 900),
    n_keys=st.integers(1, 200),
    batch_size=st.integers(1, 80),
    concurrency=st.integers(1, 4),
    report_after=st.sampled_from([0.0, 0.005, 0.03]),
    expire=st.sampled_from([0.0, 0.5]),
)
def test_the_later_line_wins_on_random_feeds(
    tmp_path_factory: pytest.TempPathFactory,
    feed_seed: int,
    n_lines: int,
    n_keys: int,
    batch_size: int,
    concurrency: int,
    report_after: float,
    expire: float,
) -> None:
    # Three pushes with one state file, the second and third with delta sync, some reports possibly
    # expiring (Criteo applied the batch, the push never learns it): after each, every product of the
    # feed holds its last line, whatever the batch boundaries, chunks of inputs, reports in flight and
    # "unchanged" judgements did.
    rng = random.Random(feed_seed)
    state = tmp_path_factory.mktemp("random-feeds") / "state.sqlite3"
    fates = random.Random(feed_seed + 1)
    api = ApplyAtOnce(report_after, fate=lambda entries: expired() if fates.random() < expire else None)
    expected: dict[str, str] = {}
    for delta in (False, True, True):
        feed = random_feed(rng, n_lines, n_keys)
        summary = push(api, feed, state, delta=delta, batch_size=batch_size, concurrency=concurrency)
        expected.update(last_lines(feed))
        got = {key: p["title"] for key, p in api.catalog.items()}
        assert got == expected, f"delta={delta}: {sorted(set(got.items()) ^ set(expected.items()))[:6]}"
        assert summary["pending"] == 0 and summary["total"] == n_lines
        duplicates = n_lines - len(last_lines(feed))
        # An older line whose batch failed (report expired) before the later one came is rejected instead.
        assert summary["superseded"] == duplicates if not expire else summary["superseded"] <= duplicates
