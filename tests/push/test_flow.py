"""The building blocks driven end to end by a minimal synchronous reference driver and a fake Criteo.

Not the pipeline (that comes with the client layer); a check that the blocks fit and a record of
the contract the pipeline follows: record before send, token on 202, report applied once terminal,
resume from the journal, delta and delete_missing from the synced state.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from criteo_catalog_sdk.push.chunking import Chunker
from criteo_catalog_sdk.push.delta import is_changed
from criteo_catalog_sdk.push.feeds import FeedError, FeedItem, read_jsonl
from criteo_catalog_sdk.push.inflight import InFlightGuard
from criteo_catalog_sdk.push.journal import Journal
from criteo_catalog_sdk.push.result import PushResult
from criteo_catalog_sdk.push.wire import EntryBuilder, PreparedEntry, Rejected

from .conftest import product

M = 777


class Crash(Exception):
    pass


class FakeCriteo:
    """Applies batches at once; reports reject titles containing REJECT; may lose a report."""

    def __init__(self) -> None:
        self.catalog: dict[str, dict[str, Any]] = {}
        self.reports: dict[str, dict[str, Any]] = {}
        self.sent = Counter[str]()
        self.lose_next_report = False
        self.max_bytes: int | None = None

    def submit(self, body: bytes) -> str | int:
        if self.max_bytes is not None and len(body) > self.max_bytes:
            return 413
        entries = json.loads(body)["entries"]
        keys = [(e.get("product") or {}).get("id", e.get("productId")).lower() for e in entries]
        assert len(keys) == len(set(keys)), "duplicate product in one batch"
        errors = []
        up = dele = 0
        for e, key in zip(entries, keys, strict=True):
            self.sent[key] += 1
            if e["method"] == "delete":
                self.catalog.pop(key, None)
                dele += 1
            elif "REJECT" in e["product"]["title"]:
                errors.append(
                    {"productId": key, "errors": [{"type": "MissingName", "message": "x", "isServerRelated": False}]}
                )
            else:
                self.catalog[key] = e["product"]
                up += 1
        token = f"tok-{len(self.reports)}"
        self.reports[token] = {
            "status": "VALIDATED_WITH_ERRORS" if errors else "VALIDATED",
            "numberOfProductsUpserted": str(up),
            "numberOfProductsDeleted": str(dele),
            "errorDetails": errors,
        }
        return token

    def report(self, token: str) -> dict[str, Any] | None:
        if self.lose_next_report:
            self.lose_next_report = False
            return None  # 404
        return self.reports[token]


def drive(
    journal: Journal,
    feed: Iterable[FeedItem],
    api: FakeCriteo,
    *,
    delta: bool = False,
    delete_missing: bool = False,
    batch_size: int = 10,
    crash_after_sends: int | None = None,
) -> PushResult:
    run = journal.start_run(M)
    rid = run.run_id
    builder = EntryBuilder(M)
    chunker = Chunker(batch_size)
    guard = InFlightGuard()
    for bid in journal.unfinished_batches(rid):  # resume: old batches keep their place
        guard.register(bid, journal.batch_keys(bid))
    settled: dict[str, list[Any]] = {"rejected": [], "unchanged": [], "superseded": []}
    sends = 0

    def record(batches: Iterable[Any], pos: int | None) -> None:
        for b in batches:
            bid = journal.record(rid, batch=b.entries, **settled, input_pos=pos)
            for v in settled.values():
                v.clear()
            assert bid is not None
            guard.register(bid, b.keys)

    def add(entry: PreparedEntry | Rejected) -> None:
        if isinstance(entry, Rejected):
            settled["rejected"].append(entry)
            return
        if delta and not is_changed(entry, journal.synced_hashes(M, [entry.key]).get(entry.key)):
            settled["unchanged"].append(entry)
            return
        res = chunker.add(entry)
        if res.replaced is not None:
            settled["superseded"].append(res.replaced)
        oldest = chunker.oldest_position
        record(res.sealed, (oldest - 1) if oldest is not None else entry.position)

    def settle_if_many(pos: int) -> None:
        # outcomes without a batch are flushed regularly too: memory stays flat on an all-invalid feed
        if sum(map(len, settled.values())) >= 8:
            oldest = chunker.oldest_position
            journal.record(rid, **settled, input_pos=min(pos, oldest - 1) if oldest is not None else pos)
            for v in settled.values():
                v.clear()

    last = run.input_pos
    for item in feed:
        last = max(last, item.line)
        if item.line <= run.input_pos:
            continue  # recorded before the crash
        add(item.to_rejected() if isinstance(item, FeedError) else builder.insert(item.line, item.product))
        settle_if_many(item.line)
    flushed = chunker.flush()
    record([flushed] if flushed else [], last)
    if any(settled.values()):
        journal.record(rid, **settled, input_pos=last)
    journal.mark_input_complete(rid)
    if delete_missing:
        for i, (_, pid) in enumerate(list(journal.missing_products(rid)), start=1):
            add(builder.delete(last + i, pid))
        flushed = chunker.flush()
        record([flushed] if flushed else [], None)

    # send / poll until everything is settled (sequentially; the real pipeline overlaps them)
    while journal.pending_batches(rid) or journal.accepted_batches(rid):
        for bid in journal.pending_batches(rid):
            if not guard.can_start(bid):
                continue
            body = journal.prepare_send(bid)
            if body is None:
                guard.finish(bid)
                continue
            guard.start(bid)
            if crash_after_sends is not None and sends == crash_after_sends:
                raise Crash
            sends += 1
            answer = api.submit(body)
            if answer == 413:
                halves = journal.split(bid)
                if halves is None:
                    guard.finish(bid)
                else:
                    guard.replace(bid, [(h, journal.batch_keys(h)) for h in halves])
                continue
            assert isinstance(answer, str)
            journal.mark_accepted(bid, answer)
        for bid, token in journal.accepted_batches(rid):
            report = api.report(token)
            if report is None:
                if not journal.report_lost(bid):
                    guard.finish(bid)
                continue
            journal.apply_report(bid, report)
            guard.finish(bid)
    journal.finish_run(rid)
    return journal.result(rid)


def feed_of(products: list[Any]) -> list[FeedItem]:
    data = b"".join((json.dumps(p).encode() if not isinstance(p, bytes) else p) + b"\n" for p in products)
    return list(read_jsonl(io.BytesIO(data)))


CATALOG = [product(id=f"P{i}", title=f"Product {i}") for i in range(1, 36)]


def test_full_push_accounts_for_every_product(tmp_path: Path) -> None:
    items = [
        *CATALOG,
        product(id="BAD", title="x" * 600),
        b"{truncated",
        product(id="REJ", title="REJECT me"),
        product(id="p3", title="Product 3 again"),  # same id as P3, later: wins
    ]
    api = FakeCriteo()
    api.lose_next_report = True
    with Journal(tmp_path / "s.db") as j:
        r = drive(j, feed_of(items), api)
        s = r.summary
        assert (s.total, s.upserted, s.rejected_client, s.rejected_api, s.superseded) == (39, 35, 2, 1, 1)
        assert api.catalog["p3"]["title"] == "Product 3 again"
        outs = {o.position: o for o in r}
        assert outs[3].status == "superseded" and outs[39].status == "upserted"
        assert outs[37].errors[0].type == "ParseError"
        assert outs[38].errors[0].type == "MissingName" and outs[38].product_id == "REJ"


def test_crash_and_resume_sends_nothing_twice(tmp_path: Path) -> None:
    api = FakeCriteo()
    state = tmp_path / "s.db"
    with Journal(state) as j, pytest.raises(Crash):
        drive(j, feed_of(CATALOG), api, crash_after_sends=2)
    assert len(api.catalog) == 20
    with Journal(state) as j:
        r = drive(j, feed_of(CATALOG), api)
        assert r.summary.upserted == 35 and r.summary.total == 35
    assert set(api.sent.values()) == {1}


def test_delta_sends_only_changes_and_deletes_missing(tmp_path: Path) -> None:
    api = FakeCriteo()
    with Journal(tmp_path / "s.db") as j:
        drive(j, feed_of(CATALOG), api, delta=True)
        api.sent.clear()
        changed = [dict(p) for p in CATALOG[:30]]
        changed[0]["title"] = "Renamed"
        changed.append(product(id="NEW", title="New one"))
        r = drive(j, feed_of(changed), api, delta=True, delete_missing=True)
        s = r.summary
        assert (s.upserted, s.unchanged, s.deleted) == (2, 29, 5)
        assert set(api.sent) == {"p1", "new", "p31", "p32", "p33", "p34", "p35"}
        assert "p31" not in api.catalog and api.catalog["p1"]["title"] == "Renamed"
        # a third identical run sends nothing
        api.sent.clear()
        r = drive(j, feed_of(changed), api, delta=True, delete_missing=True)
        assert r.summary.unchanged == 31 and not api.sent


def test_rejected_by_criteo_is_resent_by_the_next_delta_run(tmp_path: Path) -> None:
    api = FakeCriteo()
    items = [product(id="A", title="REJECT")]
    with Journal(tmp_path / "s.db") as j:
        drive(j, feed_of(items), api, delta=True)
        r = drive(j, feed_of(items), api, delta=True)
        assert r.summary.rejected_api == 1 and api.sent["a"] == 2


def test_413_splits_down_to_the_culprit(tmp_path: Path) -> None:
    api = FakeCriteo()
    items = [*CATALOG[:8], product(id="HUGE", description="d" * 4000)]
    api.max_bytes = 3000
    with Journal(tmp_path / "s.db") as j:
        r = drive(j, feed_of(items), api, batch_size=20)
        s = r.summary
        assert (s.upserted, s.rejected_api) == (8, 1)
        (bad,) = r.rejected()
        assert bad.product_id == "HUGE" and bad.errors[0].type == "PayloadTooLarge"


def test_crash_while_reading_resumes_after_the_recorded_inputs(tmp_path: Path) -> None:
    api = FakeCriteo()
    state = tmp_path / "s.db"

    def crashing(items: list[FeedItem]) -> Iterable[FeedItem]:
        for it in items:
            if it.line == 25:
                raise Crash
            yield it

    with Journal(state) as j, pytest.raises(Crash):
        drive(j, crashing(feed_of(CATALOG)), api)
    with Journal(state) as j:
        run = j.start_run(M)
        assert run.resumed and run.input_pos == 20 and len(j.pending_batches(run.run_id)) == 2
        r = drive(j, feed_of(CATALOG), api)
        assert r.summary.upserted == 35 and r.summary.total == 35
    assert set(api.sent.values()) == {1}
