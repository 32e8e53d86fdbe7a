"""Batches and the inputs they hold: recorded before sending, then accepted, split, failed or done.

Each change is one transaction, and the order of commits is what makes a push crash-safe:
:meth:`Batches.record` (a sealed batch, with the inputs settled since the previous one and the resume
point) before the request leaves; :meth:`Batches.accepted` as soon as the 202 arrives; the report's
outcomes (:mod:`.outcomes`) when it is final. Batch states move only along
:data:`~criteo_catalog_sdk.push.states.BATCH_TRANSITIONS`. The journal stores decisions; it does not
make them (how to halve a batch, whether to resubmit a lost report: the pipeline's decisions).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Final, NamedTuple

from criteo_catalog_sdk.body import EncodedBody
from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.push.journal.bodies import entries_by_key, pack_entries, stored_body
from criteo_catalog_sdk.push.journal.db import Database, marks, rowid
from criteo_catalog_sdk.push.journal.items import Settled, issues_json, write_items
from criteo_catalog_sdk.push.journal.span import IN_BATCH, batch_span, in_batch
from criteo_catalog_sdk.push.journal.synced import mark_unknown
from criteo_catalog_sdk.push.states import (
    ITEM_EFFECTS,
    LIVE,
    UNFINISHED,
    BatchEvent,
    BatchState,
    ItemStatus,
    JournalError,
    batch_after,
    sql_values,
)
from criteo_catalog_sdk.push.wire import PreparedEntry

__all__ = ["BatchInfo", "Batches", "Recorded"]

_LIVE_SQL: Final = sql_values(LIVE)
_LIVE_ITEMS: Final = (
    "SELECT position, key, product_id, method, digest, expires_at FROM items"  # noqa: S608 - fixed names
    f" WHERE {IN_BATCH} AND status IN {_LIVE_SQL} ORDER BY position"
)


class Recorded(NamedTuple):
    """What :meth:`Batches.record` recorded: the new batch (``None``: only settled inputs) and its
    blockers, the unfinished batches holding an earlier line of one of its products (for the in-flight
    guard: they must finish before it may start)."""

    batch_id: int | None
    blockers: frozenset[int] = frozenset()


class BatchInfo(NamedTuple):
    """A journaled batch."""

    batch_id: int
    run_id: int
    state: str
    token: str | None
    sends: int
    resubmitted: bool
    n_entries: int
    n_bytes: int
    parent_id: int | None


class Batches:
    """The batches of the journal and the items they hold."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- recording (before sending) -------------------------------------------------------------------

    def record(
        self,
        run_id: int,
        *,
        batch: Sequence[PreparedEntry] = (),
        settled: Settled | None = None,
        refreshes: frozenset[int] | set[int] = frozenset(),
        input_pos: int | None = None,
    ) -> Recorded:
        """Record, in one transaction, a batch about to be sent and the inputs settled since the last call.

        - ``batch``: the entries of a sealed batch (``queued``); returns its new batch id and blockers
          (:class:`Recorded`). Their products' synced versions become unknown now: from here on Criteo
          may hold this version, so delta sync must not skip a later line that equals the one synced.
        - Earlier items of the run with the same key as a recorded item become ``superseded`` (the later
          occurrence wins); one already sent also makes its synced version unknown.
        - ``refreshes``: positions of batch entries sent only to keep them from expiring.
        - ``input_pos``: the new resume point; every input up to it is now recorded. An input recorded
          again after a resume (same position) replaces its previous row.
        """
        settled = settled if settled is not None else Settled()
        with self._db.tx() as db:
            merchant_id = _merchant(db, run_id)
            batch_id: int | None = None
            if batch:
                batch_id = _insert_batch(db, run_id, batch, self._db.clock())
                mark_unknown(db, merchant_id, [e.key for e in batch])
            blockers = write_items(db, run_id, merchant_id, batch_id, batch, settled, refreshes)
            if input_pos is not None:
                db.execute("UPDATE runs SET input_pos = MAX(input_pos, ?) WHERE run_id = ?", (input_pos, run_id))
            return Recorded(batch_id, frozenset(blockers))

    # -- reading --------------------------------------------------------------------------------------

    def get(self, batch_id: int) -> BatchInfo:
        """A batch's journal row."""
        with self._db.read() as db:
            row = db.execute(
                "SELECT batch_id, run_id, state, token, sends, resubmitted, n_entries, n_bytes, parent_id"
                " FROM batches WHERE batch_id = ?",
                (batch_id,),
            ).fetchone()
        if row is None:
            raise JournalError(f"no batch {batch_id}")
        return BatchInfo(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6], row[7], row[8])

    def entries(self, batch_id: int) -> list[PreparedEntry]:
        """The entries of a batch still to be sent (not superseded meanwhile), in input order."""
        with self._db.read() as db:
            return _live_entries(db, batch_id)

    def blockers(self, batch_id: int) -> frozenset[int]:
        """The unfinished batches of lower id holding a line of one of the batch's products: what it
        waits for when an interrupted run is resumed (a live run has them from :meth:`record`, which
        cannot use ids: a split's parts are older than the batches recorded before the split). Lower
        ids suffice here because the records between a batch and its split superseded its lines of their
        products, and a part never sends a superseded line."""
        with self._db.read() as db:
            rows = db.execute(
                "SELECT DISTINCT other.batch_id FROM items i JOIN items other INDEXED BY items_key"  # noqa: S608
                " ON other.run_id = i.run_id AND other.key = i.key JOIN batches b ON b.batch_id = other.batch_id"
                f" WHERE {in_batch('i')} AND other.batch_id < ?"
                f" AND b.state IN {sql_values(UNFINISHED)}",
                (*batch_span(db, batch_id).params, batch_id),
            ).fetchall()
        return frozenset(r[0] for r in rows)

    def in_states(self, run_id: int, *states: BatchState) -> list[BatchInfo]:
        """The run's batches in any of ``states``, in creation order (the order they were registered)."""
        with self._db.read() as db:
            rows = db.execute(
                "SELECT batch_id, run_id, state, token, sends, resubmitted, n_entries, n_bytes, parent_id"  # noqa: S608
                f" FROM batches WHERE run_id = ? AND state IN ({marks(len(states))}) ORDER BY batch_id",
                (run_id, *(s.value for s in states)),
            ).fetchall()
        return [BatchInfo(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7], r[8]) for r in rows]

    def tokens(self, run_id: int) -> list[str]:
        """The operation tokens of the run's batches that Criteo accepted, in batch order."""
        with self._db.read() as db:
            rows = db.execute(
                "SELECT token FROM batches WHERE run_id = ? AND token IS NOT NULL ORDER BY batch_id", (run_id,)
            ).fetchall()
        return [r[0] for r in rows]

    def counts(self, run_id: int) -> dict[str, int]:
        """How many of the run's batches are in each state."""
        with self._db.read() as db:
            rows = db.execute("SELECT state, COUNT(*) FROM batches WHERE run_id = ? GROUP BY state", (run_id,))
            return {str(state): int(n) for state, n in rows}

    # -- sending --------------------------------------------------------------------------------------

    def prepare(self, batch_id: int) -> tuple[EncodedBody, int] | None:
        """The body to send for a pending batch and its entry count, counting the attempt; ``None`` when
        every entry was superseded meanwhile (the batch is then done: Criteo answers 400 to empty ones).
        A batch some of whose entries were superseded since it was recorded is sent without them."""
        with self._db.tx() as db:
            state = _state(db, batch_id)
            if state != BatchState.PENDING:
                batch_after(state, BatchEvent.ACCEPTED, batch_id)  # only a pending batch may be sent: raises
            stored, n_entries = db.execute(
                "SELECT body, n_entries FROM batches JOIN bodies USING (batch_id) WHERE batch_id = ?", (batch_id,)
            ).fetchone()
            span = batch_span(db, batch_id)
            live = db.execute(f"SELECT COUNT(*) FROM items WHERE {IN_BATCH} AND status IN {_LIVE_SQL}", span.params)  # noqa: S608
            count = int(live.fetchone()[0])
            if count == 0:
                _move(db, batch_id, state, BatchEvent.EMPTIED, self._db.clock())
                return None
            db.execute("UPDATE batches SET sends = sends + 1 WHERE batch_id = ?", (batch_id,))
            if count != n_entries:  # rare: a later line superseded some of them
                stored, size = pack_entries([e.data for e in _live_entries(db, batch_id)])
                db.execute("UPDATE batches SET n_entries = ?, n_bytes = ? WHERE batch_id = ?", (count, size, batch_id))
                db.execute("UPDATE bodies SET body = ? WHERE batch_id = ?", (stored, batch_id))
        return stored_body(bytes(stored)), count

    def accepted(self, batch_id: int, token: str) -> None:
        """The batch got its 202 and operation token: never send it again (unless its report is lost)."""
        with self._db.tx() as db:
            _move(db, batch_id, _state(db, batch_id), BatchEvent.ACCEPTED, self._db.clock())
            db.execute(
                "UPDATE batches SET token = ?, accepted_at = ? WHERE batch_id = ?", (token, self._db.clock(), batch_id)
            )

    def failed(self, batch_id: int, issue: Issue) -> None:
        """Give up on a batch (refused before acceptance, or its report cannot be had): its live items are
        rejected (stage api) with ``issue``."""
        with self._db.tx() as db:
            state = _state(db, batch_id)
            event = BatchEvent.REFUSED if state == BatchState.PENDING else BatchEvent.GIVEN_UP
            _move(db, batch_id, state, event, self._db.clock(), issue)

    def resubmit(self, batch_id: int) -> None:
        """Criteo lost the batch's report (404): send it again (token dropped, marked resubmitted)."""
        with self._db.tx() as db:
            _move(db, batch_id, _state(db, batch_id), BatchEvent.LOST, self._db.clock())
            db.execute("UPDATE batches SET token = NULL, resubmitted = 1 WHERE batch_id = ?", (batch_id,))

    def replace(self, batch_id: int, parts: Sequence[Sequence[PreparedEntry]]) -> list[int]:
        """After a 413: the pending batch is split into ``parts`` (decided by the caller, in sending
        order), new pending batches holding its items; returns their ids."""
        with self._db.tx() as db:
            state = _state(db, batch_id)
            run_id = db.execute("SELECT run_id FROM batches WHERE batch_id = ?", (batch_id,)).fetchone()[0]
            now = self._db.clock()
            _move(db, batch_id, state, BatchEvent.SPLIT, now)
            ids: list[int] = []
            for part in parts:
                ids.append(_insert_batch(db, run_id, part, now, parent_id=batch_id))
                db.executemany(
                    "UPDATE items SET batch_id = ? WHERE run_id = ? AND position = ?",
                    [(ids[-1], run_id, e.position) for e in part],
                )
            return ids


def _insert_batch(
    db: sqlite3.Connection, run_id: int, entries: Sequence[PreparedEntry], now: float, parent_id: int | None = None
) -> int:
    """A new pending batch of ``entries`` and its stored body; returns its id."""
    packed, size = pack_entries([e.data for e in entries])
    positions = [e.position for e in entries]  # a batch has entries: its span is theirs
    cur = db.execute(
        "INSERT INTO batches (run_id, parent_id, state, n_entries, n_bytes, created_at, first_position,"
        " last_position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (run_id, parent_id, BatchState.PENDING.value, len(entries), size, now, min(positions), max(positions)),
    )
    batch_id = rowid(cur)
    db.execute("INSERT INTO bodies VALUES (?, ?)", (batch_id, packed))
    return batch_id


def _live_entries(db: sqlite3.Connection, batch_id: int) -> list[PreparedEntry]:
    """The batch's live entries, their bytes taken from its body (where they were written once)."""
    row = db.execute("SELECT body FROM bodies WHERE batch_id = ?", (batch_id,)).fetchone()
    if row is None or row[0] is None:
        return []
    data = entries_by_key(bytes(row[0]))
    return [
        PreparedEntry(r[0], r[1], r[2], r[3], data[r[1]], _bytes(r[4]), r[5])
        for r in db.execute(_LIVE_ITEMS, batch_span(db, batch_id).params)
        if r[1] in data
    ]


def _bytes(value: object) -> bytes | None:
    return None if value is None else bytes(value)  # type: ignore[call-overload]


def _merchant(db: sqlite3.Connection, run_id: int) -> int:
    row = db.execute("SELECT merchant_id FROM runs WHERE run_id = ?", (run_id,)).fetchone()
    if row is None:
        raise JournalError(f"no run {run_id}")
    return int(row[0])


def _state(db: sqlite3.Connection, batch_id: int) -> str:
    row = db.execute("SELECT state FROM batches WHERE batch_id = ?", (batch_id,)).fetchone()
    if row is None:
        raise JournalError(f"no batch {batch_id}")
    return str(row[0])


def _move(
    db: sqlite3.Connection, batch_id: int, state: str, event: BatchEvent, now: float, issue: Issue | None = None
) -> BatchState:
    """Move a batch along the transition table, and its items as :data:`ITEM_EFFECTS` says."""
    new = batch_after(state, event, batch_id)
    settled = new in (BatchState.DONE, BatchState.SPLIT, BatchState.FAILED)
    error = json.dumps(issue.to_dict()) if issue is not None else None
    db.execute(
        "UPDATE batches SET state = ?, done_at = COALESCE(?, done_at), error = COALESCE(?, error) WHERE batch_id = ?",
        (new.value, now if settled else None, error, batch_id),
    )
    if settled:  # never sent again: its space is reused by later batches
        db.execute("DELETE FROM bodies WHERE batch_id = ?", (batch_id,))
    effect = ITEM_EFFECTS.get(event)
    if effect is not None:
        before, after = effect
        rejected = after is ItemStatus.REJECTED
        db.execute(
            "UPDATE items SET status = ?, stage = COALESCE(?, stage), errors = COALESCE(?, errors)"  # noqa: S608
            f" WHERE {IN_BATCH} AND status IN ({marks(len(before))})",
            (after.value, "api" if rejected else None, issues_json([issue]) if issue and rejected else None,
             *batch_span(db, batch_id).params, *(s.value for s in before)),
        )  # fmt: skip
    return new
