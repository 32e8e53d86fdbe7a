"""The push journal and delta state, in one SQLite file (the ``state`` of a push).

Crash safety comes from the order of commits, each one a single transaction:

1. :meth:`Journal.record` -- a sealed batch and its entries (the serialized bytes, so that it can be
   resent as is), together with the products rejected/unchanged/superseded since the previous batch,
   and the run's resume point. Committed **before** the request leaves.
2. :meth:`Journal.mark_accepted` -- the operation token, committed as soon as the 202 arrives.
3. :meth:`Journal.apply_report` -- the terminal report, every entry's outcome, and the delta hashes of
   the products it confirms upserted, all at once.

A crash between 1 and 2 leaves the batch ``pending``: it is resent (an upsert twice is harmless).
Between 2 and 3 it is ``accepted``: its report is polled. Inputs past the resume point are read again
from the feed. WAL mode keeps readers (result export) off the writer's back; ``synchronous=NORMAL``
survives a process crash or Ctrl-C (pass ``durable=True`` for ``FULL``, which also survives power loss).

Per-product outcomes live in the ``items`` table rather than in Python lists, so a push of millions of
products runs in flat memory; without a state file the push uses a temporary journal (``path=None``).

Schema (version 1)::

    runs(run_id PK, merchant_id, state running|finished, input_pos, input_complete, options JSON,
         started_at, finished_at)
    batches(batch_id PK, run_id, parent_id (413 halves), state pending|accepted|done|split|failed,
            token, sends, resubmitted, n_entries, n_bytes, report JSON, error JSON, created_at,
            accepted_at, done_at)
    items(item_id PK, run_id, position, key, product_id, method, batch_id, digest BLOB,
          status queued|accepted|upserted|deleted|rejected|superseded|unchanged, stage client|api,
          errors JSON, warnings JSON, entry BLOB (last: scans skip it); UNIQUE (run_id, position);
          indexes (run_id, key) and (batch_id))
    synced(merchant_id, key, product_id, digest (empty: version at Criteo unknown), synced_at;
           PK (merchant_id, key))

``synced`` holds what Criteo is known to hold: a row is written by a report that confirms an upsert,
removed by one that confirms a delete, and marked unknown (:data:`UNKNOWN_DIGEST`) as soon as a batch
holding the product is about to be sent, so that a version whose outcome is never seen (report expired
or lost, ``wait=False``, a crash) is sent again by the next delta push.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

from criteo_catalog_sdk.push.chunking import halve
from criteo_catalog_sdk.push.reconcile import EntryRef, Reconciliation, reconcile
from criteo_catalog_sdk.push.result import Issue, OutcomeStatus, ProductOutcome, PushResult, Stage, Summary
from criteo_catalog_sdk.push.wire import PreparedEntry, Rejected, batch_body, body_size

SCHEMA_VERSION: Final = 1
_IN_CHUNK: Final = 500  # keys per "IN (...)" query, well under SQLite's variable limit
#: The digest of a synced product whose version at Criteo is unknown: a batch holding it was sent and no
#: report has confirmed the outcome yet (or ever will: expired, lost, ``wait=False``). Never equal to a
#: content hash, so delta sync sends the product again; the row stays for ``delete_missing``.
UNKNOWN_DIGEST: Final = b""

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    run_id         INTEGER PRIMARY KEY,
    merchant_id    INTEGER NOT NULL,
    state          TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'finished')),
    input_pos      INTEGER NOT NULL DEFAULT 0,
    input_complete INTEGER NOT NULL DEFAULT 0,
    options        TEXT,
    started_at     REAL NOT NULL,
    finished_at    REAL
);
CREATE INDEX IF NOT EXISTS runs_merchant ON runs (merchant_id, state);
CREATE TABLE IF NOT EXISTS batches (
    batch_id    INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs (run_id),
    parent_id   INTEGER REFERENCES batches (batch_id),
    state       TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'done', 'split', 'failed')),
    token       TEXT,
    sends       INTEGER NOT NULL DEFAULT 0,
    resubmitted INTEGER NOT NULL DEFAULT 0,
    n_entries   INTEGER NOT NULL,
    n_bytes     INTEGER NOT NULL,
    report      TEXT,
    error       TEXT,
    created_at  REAL NOT NULL,
    accepted_at REAL,
    done_at     REAL
);
CREATE INDEX IF NOT EXISTS batches_run_state ON batches (run_id, state);
CREATE TABLE IF NOT EXISTS items (
    item_id    INTEGER PRIMARY KEY,
    run_id     INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    key        TEXT,
    product_id TEXT,
    method     TEXT,
    batch_id   INTEGER,
    digest     BLOB,
    status     TEXT NOT NULL,
    stage      TEXT,
    errors     TEXT,
    warnings   TEXT,
    entry      BLOB,
    UNIQUE (run_id, position)
);
CREATE INDEX IF NOT EXISTS items_key ON items (run_id, key);
CREATE INDEX IF NOT EXISTS items_batch ON items (batch_id);
CREATE TABLE IF NOT EXISTS synced (
    merchant_id INTEGER NOT NULL,
    key         TEXT NOT NULL,
    product_id  TEXT NOT NULL,
    digest      BLOB NOT NULL,
    synced_at   REAL NOT NULL,
    PRIMARY KEY (merchant_id, key)
) WITHOUT ROWID;
"""

_ALL_ENTRIES: Final = (
    "SELECT position, key, product_id, method, entry, digest FROM items"
    " WHERE batch_id = ? AND entry IS NOT NULL ORDER BY position"
)
_LIVE_ENTRIES: Final = (
    "SELECT position, key, product_id, method, entry, digest FROM items"
    " WHERE batch_id = ? AND entry IS NOT NULL AND status IN ('queued', 'accepted') ORDER BY position"
)
_LIVE: Final = ("queued", "accepted")
_LIVE_SQL: Final = "('queued', 'accepted')"
# Item statuses of a version of a product sent (or to be sent) in its run, or known to be what Criteo
# holds (skipped as unchanged): a later line of the same product wins over any of them.
_SENT_OR_KEPT: Final = "('queued', 'accepted', 'upserted', 'deleted', 'unchanged')"
_INSERT_ITEM: Final = (
    "INSERT OR REPLACE INTO items"
    " (run_id, position, key, product_id, method, batch_id, entry, digest, status, stage, errors, warnings)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)  # item statuses still waiting for an outcome
_PUBLIC_STATUS: Final[dict[str, OutcomeStatus]] = {
    "queued": "pending",
    "accepted": "pending",
    "upserted": "upserted",
    "deleted": "deleted",
    "rejected": "rejected",
    "superseded": "superseded",
    "unchanged": "unchanged",
}


class JournalError(RuntimeError):
    """A journal operation that makes no sense in the current state (or an unsafe request)."""


@dataclass(frozen=True, slots=True)
class RunInfo:
    """A run of a push: new, or resumed from an unfinished one of the same merchant."""

    run_id: int
    merchant_id: int
    resumed: bool
    input_pos: int  # inputs at positions <= this are recorded: skip them when re-reading the feed
    input_complete: bool
    options: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class BatchInfo:
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


def _issues_json(issues: Iterable[Issue]) -> str | None:
    lst = [i.to_dict() for i in issues]
    return json.dumps(lst, ensure_ascii=False) if lst else None


def _issues_from(text: str | None) -> tuple[Issue, ...]:
    if not text:
        return ()
    return tuple(Issue.from_dict(d) for d in json.loads(text))


def _rowid(cur: sqlite3.Cursor) -> int:
    if cur.lastrowid is None:  # pragma: no cover - sqlite3 always sets it after an INSERT
        raise JournalError("INSERT returned no row id")
    return cur.lastrowid


def _chunks(seq: Sequence[Any], n: int = _IN_CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


class Journal:
    """SQLite journal of one or more pushes, plus the delta-sync state. Thread-safe (one lock).

    ``path=None`` makes a temporary journal, deleted by :meth:`close` (per-product outcomes of a push
    without a state file still live on disk, not in memory).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, durable: bool = False) -> None:
        self._tmpdir: str | None = None
        if path is None:
            self._tmpdir = tempfile.mkdtemp(prefix="criteo-push-")
            path = os.path.join(self._tmpdir, "journal.sqlite3")
        self.path = os.fspath(path)
        self._lock = threading.RLock()
        # Autocommit mode: every transaction is an explicit BEGIN IMMEDIATE ... COMMIT (see _tx).
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA auto_vacuum=INCREMENTAL")  # effective on a new file only: lets finish_run shrink it
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=10000")
        with self._lock:  # executescript commits by itself: the schema is idempotent DDL
            self._db.executescript("BEGIN IMMEDIATE;" + _SCHEMA + "COMMIT;")
        with self._tx() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) != SCHEMA_VERSION:
                raise JournalError(f"{self.path}: journal schema {row[0]}, this SDK reads {SCHEMA_VERSION}")

    # -- plumbing -----------------------------------------------------------------------------------

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back entirely on any exception."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        """Close the file (and delete it if temporary)."""
        with self._lock:
            self._db.close()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- runs ---------------------------------------------------------------------------------------

    def start_run(self, merchant_id: int, *, resume: bool = True, options: Mapping[str, Any] | None = None) -> RunInfo:
        """Resume the merchant's unfinished run if there is one (and ``resume``), else start a new one.

        Starting a new run abandons an unfinished one: it is marked finished, its pending items stay
        ``pending`` in its own result.
        """
        with self._tx() as db:
            row = db.execute(
                "SELECT run_id, input_pos, input_complete, options FROM runs"
                " WHERE merchant_id = ? AND state = 'running' ORDER BY run_id DESC LIMIT 1",
                (merchant_id,),
            ).fetchone()
            if row is not None and resume:
                return RunInfo(row[0], merchant_id, True, row[1], bool(row[2]), json.loads(row[3] or "{}"))
            now = time.time()
            db.execute(
                "UPDATE runs SET state = 'finished', finished_at = ? WHERE merchant_id = ? AND state = 'running'",
                (now, merchant_id),
            )
            opts = dict(options or {})
            cur = db.execute(
                "INSERT INTO runs (merchant_id, options, started_at) VALUES (?, ?, ?)",
                (merchant_id, json.dumps(opts, default=str), now),
            )
            return RunInfo(_rowid(cur), merchant_id, False, 0, False, opts)

    def run_info(self, run_id: int) -> RunInfo:
        """The current state of a run."""
        with self._lock:
            row = self._db.execute(
                "SELECT merchant_id, input_pos, input_complete, options, state FROM runs WHERE run_id = ?", (run_id,)
            ).fetchone()
        if row is None:
            raise JournalError(f"no run {run_id}")
        return RunInfo(run_id, row[0], row[4] == "running", row[1], bool(row[2]), json.loads(row[3] or "{}"))

    def mark_input_complete(self, run_id: int) -> None:
        """The whole input was read (deletes of missing products become allowed)."""
        with self._tx() as db:
            db.execute("UPDATE runs SET input_complete = 1 WHERE run_id = ?", (run_id,))

    def finish_run(self, run_id: int) -> None:
        """Close the run: the next :meth:`start_run` for the merchant starts afresh.

        Also gives back the space of the entries kept for resending (freed as batches complete).
        """
        with self._tx() as db:
            db.execute("UPDATE runs SET state = 'finished', finished_at = ? WHERE run_id = ?", (time.time(), run_id))
        with self._lock:
            self._db.executescript("PRAGMA incremental_vacuum;")  # execute() would step (free) only once

    def _merchant(self, db: sqlite3.Connection, run_id: int) -> int:
        row = db.execute("SELECT merchant_id FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        if row is None:
            raise JournalError(f"no run {run_id}")
        return int(row[0])

    # -- recording (before sending) -------------------------------------------------------------------

    def record(
        self,
        run_id: int,
        *,
        batch: Sequence[PreparedEntry] = (),
        rejected: Iterable[Rejected] = (),
        unchanged: Iterable[PreparedEntry] = (),
        superseded: Iterable[PreparedEntry] = (),
        input_pos: int | None = None,
    ) -> int | None:
        """Record, in one transaction, a batch about to be sent and the inputs settled since the last call.

        - ``batch``: the entries of a sealed batch (status ``queued``); returns its new batch id.
          Earlier items of the run with the same key become ``superseded`` (the later occurrence wins);
          if such an item was already sent, its delta hash is forgotten so that the next delta run
          sends the product again.
        - ``rejected``: products the SDK refused (stage ``client``), ``unchanged``: products skipped by
          delta sync, ``superseded``: entries replaced by a later one inside the open batch.
        - ``input_pos``: new resume point; every input position up to it must now be recorded. An input
          recorded again after a resume (same position) replaces its previous row.
        """
        rows: list[tuple[Any, ...]] = []
        for r in rejected:
            key = r.product_id.lower() if r.product_id is not None else None
            errors = _issues_json(r.issues)
            rows.append(
                (run_id, r.position, key, r.product_id, None, None, None, None, "rejected", "client", errors, None)
            )
        for e in unchanged:
            rows.append(
                (run_id, e.position, e.key, e.product_id, e.method, None, None, e.digest, "unchanged", None, None, None)
            )
        for e in superseded:
            issue = Issue("DuplicateId", f"{e.product_id!r} appears again later in the input; the later one wins", "id")
            errors = _issues_json([issue])
            rows.append(
                (
                    run_id,
                    e.position,
                    e.key,
                    e.product_id,
                    e.method,
                    None,
                    None,
                    e.digest,
                    "superseded",
                    "client",
                    errors,
                    None,
                )
            )
        with self._tx() as db:
            merchant_id = self._merchant(db, run_id)
            batch_id: int | None = None
            if batch:
                n_bytes = body_size(len(batch), sum(len(e.data) for e in batch))
                cur = db.execute(
                    "INSERT INTO batches (run_id, state, n_entries, n_bytes, created_at)"
                    " VALUES (?, 'pending', ?, ?, ?)",
                    (run_id, len(batch), n_bytes, time.time()),
                )
                batch_id = _rowid(cur)
                rows.extend(
                    (
                        run_id,
                        e.position,
                        e.key,
                        e.product_id,
                        e.method,
                        batch_id,
                        e.data,
                        e.digest,
                        "queued",
                        None,
                        None,
                        None,
                    )
                    for e in batch
                )
            newest: dict[str, int] = {}
            for row in rows:
                key, pos, status = row[2], row[1], row[8]
                if key is not None and status in ("queued", "unchanged") and pos > newest.get(key, -(2**63)):
                    newest[key] = pos
            self._newer_recorded(db, run_id, newest)
            self._supersede_earlier(db, run_id, merchant_id, newest)
            rows = [self._superseded_row(r, newest) for r in rows]
            db.executemany(_INSERT_ITEM, rows)
            if input_pos is not None:
                db.execute("UPDATE runs SET input_pos = MAX(input_pos, ?) WHERE run_id = ?", (input_pos, run_id))
            return batch_id

    @staticmethod
    def _superseded_row(row: tuple[Any, ...], newest: dict[str, int]) -> tuple[Any, ...]:
        # Two occurrences of one key recorded in the same call (a batch entry and a later unchanged one).
        key, pos, status = row[2], row[1], row[8]
        if key is None or status not in ("queued", "unchanged") or pos >= newest[key]:
            return row
        issue = Issue("DuplicateId", f"{row[3]!r} appears again later in the input (position {newest[key]})", "id")
        return (*row[:8], "superseded", "client", _issues_json([issue]), None)

    @staticmethod
    def _newer_recorded(db: sqlite3.Connection, run_id: int, newest: dict[str, int]) -> None:
        """Raise ``newest`` to a later occurrence of a key recorded before this call, if any.

        A product skipped as unchanged (delta sync) is recorded with the inputs settled so far, which
        may be before the batch holding an earlier line of the same product is sealed: that earlier
        line must then be superseded, not sent (it would overwrite the newer version Criteo holds).
        """
        if not newest:
            return
        for part in _chunks(list(newest)):
            marks = ",".join("?" * len(part))
            for key, later in db.execute(
                "SELECT key, MAX(position) FROM items INDEXED BY items_key"  # noqa: S608
                f" WHERE run_id = ? AND key IN ({marks}) AND status IN {_SENT_OR_KEPT} GROUP BY key",
                (run_id, *part),
            ):
                if later > newest[key]:
                    newest[key] = later

    def _supersede_earlier(self, db: sqlite3.Connection, run_id: int, merchant_id: int, newest: dict[str, int]) -> None:
        if not newest:
            return
        keys = list(newest)
        stale: list[tuple[str, int, int]] = []  # (issues json, run, position)
        forget: list[tuple[bytes, int, str]] = []
        for part in _chunks(keys):
            marks = ",".join("?" * len(part))
            for pos, key, pid, status in db.execute(
                "SELECT position, key, product_id, status FROM items INDEXED BY items_key"  # noqa: S608
                f" WHERE run_id = ? AND key IN ({marks})"
                " AND status IN ('queued', 'accepted', 'upserted', 'deleted', 'unchanged')",
                (run_id, *part),
            ):
                later = newest[key]
                if pos >= later:
                    continue
                issue = Issue(
                    "DuplicateId",
                    f"{pid!r} appears again later in the input (position {later}); the later one wins",
                    "id",
                )
                stale.append((_issues_json([issue]) or "", run_id, pos))
                if status in ("accepted", "upserted", "deleted"):  # already sent: Criteo may hold this version
                    forget.append((UNKNOWN_DIGEST, merchant_id, key))
        db.executemany(
            "UPDATE items SET status = 'superseded', stage = 'client', errors = ? WHERE run_id = ? AND position = ?",
            stale,
        )
        db.executemany("UPDATE synced SET digest = ? WHERE merchant_id = ? AND key = ?", forget)

    def _mark_unknown(self, db: sqlite3.Connection, merchant_id: int, keys: Sequence[str]) -> None:
        """The synced products of ``keys`` may now hold another version at Criteo (a batch of them is on
        its way): their rows stay (``delete_missing`` still knows them) with :data:`UNKNOWN_DIGEST`, so
        that delta sync sends them again until a report confirms what Criteo holds."""
        for part in _chunks(list(dict.fromkeys(keys))):
            marks = ",".join("?" * len(part))
            db.execute(
                f"UPDATE synced SET digest = ? WHERE merchant_id = ? AND key IN ({marks})",  # noqa: S608
                (UNKNOWN_DIGEST, merchant_id, *part),
            )

    # -- sending -------------------------------------------------------------------------------------

    def batch(self, batch_id: int) -> BatchInfo:
        """A batch's journal row."""
        with self._lock:
            row = self._db.execute(
                "SELECT batch_id, run_id, state, token, sends, resubmitted, n_entries, n_bytes, parent_id"
                " FROM batches WHERE batch_id = ?",
                (batch_id,),
            ).fetchone()
        if row is None:
            raise JournalError(f"no batch {batch_id}")
        return BatchInfo(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6], row[7], row[8])

    def batch_entries(self, batch_id: int, *, live_only: bool = True) -> list[PreparedEntry]:
        """The entries of a batch, in input order (by default only those still to be sent)."""
        sql = _LIVE_ENTRIES if live_only else _ALL_ENTRIES
        with self._lock:
            rows = self._db.execute(sql, (batch_id,)).fetchall()
        return [PreparedEntry(r[0], r[1], r[2], r[3], bytes(r[4]), None if r[5] is None else bytes(r[5])) for r in rows]

    def batch_keys(self, batch_id: int) -> list[str]:
        """The product keys of a batch (to register it with the in-flight guard on resume)."""
        with self._lock:
            return [
                r[0]
                for r in self._db.execute("SELECT key FROM items WHERE batch_id = ? ORDER BY position", (batch_id,))
            ]

    def prepare_send(self, batch_id: int) -> bytes | None:
        """The body to send for a pending batch, counting the attempt; ``None`` when every entry was
        superseded meanwhile (the batch is then closed: never send an empty batch, Criteo answers 400)."""
        prepared = self.prepare(batch_id)
        return None if prepared is None else prepared[0]

    def prepare(self, batch_id: int) -> tuple[bytes, int] | None:
        """:meth:`prepare_send` plus the number of entries in the body (what the pacer spends)."""
        entries = self.batch_entries(batch_id)
        with self._tx() as db:
            row = db.execute("SELECT state, run_id FROM batches WHERE batch_id = ?", (batch_id,)).fetchone()
            if row is None or row[0] != "pending":
                raise JournalError(f"batch {batch_id} is not pending ({row[0] if row else 'unknown'})")
            if not entries:
                db.execute("UPDATE batches SET state = 'done', done_at = ? WHERE batch_id = ?", (time.time(), batch_id))
                return None
            db.execute("UPDATE batches SET sends = sends + 1 WHERE batch_id = ?", (batch_id,))
            # From now on Criteo may hold these versions, whatever becomes of the report.
            self._mark_unknown(db, self._merchant(db, row[1]), [e.key for e in entries])
        return batch_body(e.data for e in entries), len(entries)

    def mark_accepted(self, batch_id: int, token: str) -> None:
        """The batch got its 202 and operation token: never send it again (except after a lost report)."""
        with self._tx() as db:
            cur = db.execute(
                "UPDATE batches SET state = 'accepted', token = ?, accepted_at = ?"
                " WHERE batch_id = ? AND state = 'pending'",
                (token, time.time(), batch_id),
            )
            if cur.rowcount != 1:
                raise JournalError(f"batch {batch_id} is not pending")
            db.execute("UPDATE items SET status = 'accepted' WHERE batch_id = ? AND status = 'queued'", (batch_id,))

    def mark_failed(self, batch_id: int, issue: Issue) -> None:
        """Give up on a batch (e.g. 400 or 403, retries exhausted): its products are rejected (stage api)."""
        with self._tx() as db:
            self._fail(db, batch_id, issue)

    def _fail(self, db: sqlite3.Connection, batch_id: int, issue: Issue) -> None:
        db.execute(
            "UPDATE batches SET state = 'failed', error = ?, done_at = ? WHERE batch_id = ?",
            (json.dumps(issue.to_dict()), time.time(), batch_id),
        )
        db.execute(
            "UPDATE items SET status = 'rejected', stage = 'api', errors = ?, entry = NULL"
            " WHERE batch_id = ? AND status IN ('queued', 'accepted')",
            (_issues_json([issue]), batch_id),
        )

    def split(self, batch_id: int) -> tuple[int, int] | None:
        """After a 413: replace a pending batch by its two halves (by bytes), returned in sending order.

        A batch of a single entry cannot be split: that product is rejected (``PayloadTooLarge``),
        the batch closed, and ``None`` returned.
        """
        entries = self.batch_entries(batch_id)
        with self._tx() as db:
            info = db.execute("SELECT run_id, state FROM batches WHERE batch_id = ?", (batch_id,)).fetchone()
            if info is None or info[1] != "pending":
                raise JournalError(f"batch {batch_id} is not pending")
            if len(entries) < 2:
                size = len(batch_body(e.data for e in entries))
                msg = f"Criteo refused the product alone with 413 Payload Too Large ({size} bytes); shorten its fields"
                self._fail(db, batch_id, Issue("PayloadTooLarge", msg, None, size))
                return None
            ids: list[int] = []
            now = time.time()
            for half in halve(entries):
                cur = db.execute(
                    "INSERT INTO batches (run_id, parent_id, state, n_entries, n_bytes, created_at)"
                    " VALUES (?, ?, 'pending', ?, ?, ?)",
                    (info[0], batch_id, len(half), len(batch_body(e.data for e in half)), now),
                )
                new_id = _rowid(cur)
                ids.append(new_id)
                db.executemany(
                    "UPDATE items SET batch_id = ? WHERE run_id = ? AND position = ?",
                    [(new_id, info[0], e.position) for e in half],
                )
            db.execute("UPDATE batches SET state = 'split', done_at = ? WHERE batch_id = ?", (now, batch_id))
            return ids[0], ids[1]

    def report_lost(self, batch_id: int) -> bool:
        """The report endpoint answered 404 for the batch's token.

        The first time, the batch goes back to ``pending`` (token dropped) to be resubmitted once, and
        ``True`` is returned; the second time its products are rejected (``ReportLost``): ``False``.
        """
        with self._tx() as db:
            row = db.execute("SELECT state, resubmitted FROM batches WHERE batch_id = ?", (batch_id,)).fetchone()
            if row is None or row[0] != "accepted":
                raise JournalError(f"batch {batch_id} is not accepted")
            if row[1]:
                self._fail(db, batch_id, Issue("ReportLost", "Criteo lost the report of this batch twice (404)"))
                return False
            db.execute(
                "UPDATE batches SET state = 'pending', token = NULL, resubmitted = 1 WHERE batch_id = ?", (batch_id,)
            )
            db.execute("UPDATE items SET status = 'queued' WHERE batch_id = ? AND status = 'accepted'", (batch_id,))
            return True

    def apply_report(self, batch_id: int, report: Mapping[str, Any]) -> Reconciliation:
        """Store a terminal report: per-entry outcomes, delta hashes of the confirmed upserts, batch done.

        ``report`` is Criteo's report JSON (``errorDetails``/``warningDetails`` of lowercased ids).
        Entries superseded meanwhile keep that status and their hashes are not committed.
        Raises ``ValueError`` if the report is not terminal.
        """
        with self._tx() as db:
            info = db.execute("SELECT run_id, state FROM batches WHERE batch_id = ?", (batch_id,)).fetchone()
            if info is None or info[1] != "accepted":
                raise JournalError(f"batch {batch_id} is not accepted")
            run_id = info[0]
            merchant_id = self._merchant(db, run_id)
            rows = db.execute(
                "SELECT position, key, product_id, method, digest, status FROM items"
                " WHERE batch_id = ? ORDER BY position",
                (batch_id,),
            ).fetchall()
            rec = reconcile(report, [EntryRef(r[0], r[1], r[2], r[3]) for r in rows])
            by_pos = {r[0]: r for r in rows}
            now = time.time()
            updates: list[tuple[Any, ...]] = []
            upserts: list[tuple[Any, ...]] = []
            deletes: list[tuple[int, str]] = []
            for o in rec.outcomes:
                row = by_pos[o.position]
                if row[5] not in _LIVE:
                    continue
                stage = "api" if o.status == "rejected" else None
                updates.append((o.status, stage, _issues_json(o.errors), _issues_json(o.warnings), run_id, o.position))
                if o.status == "upserted" and row[4] is not None:
                    upserts.append((merchant_id, o.key, row[2], row[4], now))
                elif o.status == "deleted":
                    deletes.append((merchant_id, o.key))
            db.executemany(
                "UPDATE items SET status = ?, stage = ?, errors = ?, warnings = ? WHERE run_id = ? AND position = ?",
                updates,
            )
            db.execute("UPDATE items SET entry = NULL WHERE batch_id = ?", (batch_id,))  # no resend: free the space
            db.executemany("INSERT OR REPLACE INTO synced VALUES (?, ?, ?, ?, ?)", upserts)
            db.executemany("DELETE FROM synced WHERE merchant_id = ? AND key = ?", deletes)
            db.execute(
                "UPDATE batches SET state = 'done', report = ?, done_at = ? WHERE batch_id = ?",
                (json.dumps(report, default=str), now, batch_id),
            )
            return rec

    # -- resume queries ------------------------------------------------------------------------------

    def pending_batches(self, run_id: int) -> list[int]:
        """Batches recorded but not accepted (never sent, sent without answer, or to resubmit): send them."""
        with self._lock:
            return [
                r[0]
                for r in self._db.execute(
                    "SELECT batch_id FROM batches WHERE run_id = ? AND state = 'pending' ORDER BY batch_id", (run_id,)
                )
            ]

    def accepted_batches(self, run_id: int) -> list[tuple[int, str]]:
        """``(batch_id, operation token)`` of the accepted batches whose report is not in yet: poll them."""
        with self._lock:
            return [
                (r[0], r[1])
                for r in self._db.execute(
                    "SELECT batch_id, token FROM batches WHERE run_id = ? AND state = 'accepted' ORDER BY batch_id",
                    (run_id,),
                )
            ]

    def unfinished_batches(self, run_id: int) -> list[int]:
        """Pending and accepted batches, in creation order (the order to register them with the guard)."""
        with self._lock:
            return [
                r[0]
                for r in self._db.execute(
                    "SELECT batch_id FROM batches WHERE run_id = ? AND state IN ('pending', 'accepted')"
                    " ORDER BY batch_id",
                    (run_id,),
                )
            ]

    def operation_tokens(self, run_id: int) -> list[str]:
        """The operation tokens of the run's batches that Criteo accepted, in batch order."""
        with self._lock:
            return [
                r[0]
                for r in self._db.execute(
                    "SELECT token FROM batches WHERE run_id = ? AND token IS NOT NULL ORDER BY batch_id", (run_id,)
                )
            ]

    def batch_states(self, run_id: int) -> dict[str, int]:
        """How many of the run's batches are in each state (``pending``, ``accepted``, ``done``...)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT state, COUNT(*) FROM batches WHERE run_id = ? GROUP BY state", (run_id,)
            ).fetchall()
        return {str(state): int(n) for state, n in rows}

    # -- delta state ---------------------------------------------------------------------------------

    def synced_hashes(self, merchant_id: int, keys: Sequence[str]) -> dict[str, bytes]:
        """The last confirmed content hash of each known key (unknown keys are absent).

        A key of which the merchant's running push has a version queued or in flight (an earlier line of
        the same input, its report not in yet), or one sent without a confirming report (marked
        :data:`UNKNOWN_DIGEST`), has no usable hash: Criteo may hold that version by now, so a later line
        must be sent even if it equals the last confirmed one.
        """
        out: dict[str, bytes] = {}
        with self._lock:
            for part in _chunks(list(dict.fromkeys(keys))):
                marks = ",".join("?" * len(part))
                for k, d in self._db.execute(
                    f"SELECT key, digest FROM synced WHERE merchant_id = ? AND key IN ({marks})"  # noqa: S608
                    " AND digest != ?",  # a version whose outcome is unknown has no usable hash
                    (merchant_id, *part, UNKNOWN_DIGEST),
                ):
                    out[k] = bytes(d)
            running = self._db.execute(
                "SELECT MAX(run_id) FROM runs WHERE merchant_id = ? AND state = 'running'", (merchant_id,)
            ).fetchone()[0]
            if out and running is not None:
                for part in _chunks(list(out)):
                    marks = ",".join("?" * len(part))
                    for (k,) in self._db.execute(
                        "SELECT DISTINCT key FROM items INDEXED BY items_key"  # noqa: S608
                        f" WHERE run_id = ? AND key IN ({marks}) AND status IN {_LIVE_SQL}",
                        (running, *part),
                    ):
                        out.pop(k, None)
        return out

    def synced_count(self, merchant_id: int) -> int:
        """How many products the state holds for the merchant."""
        with self._lock:
            row = self._db.execute("SELECT COUNT(*) FROM synced WHERE merchant_id = ?", (merchant_id,)).fetchone()
        return int(row[0])

    def forget_synced(self, merchant_id: int, keys: Iterable[str] | None = None) -> None:
        """Drop delta hashes (all of the merchant's when ``keys`` is None): those products are sent again."""
        with self._tx() as db:
            if keys is None:
                db.execute("DELETE FROM synced WHERE merchant_id = ?", (merchant_id,))
            else:
                db.executemany("DELETE FROM synced WHERE merchant_id = ? AND key = ?", [(merchant_id, k) for k in keys])

    def missing_products(self, run_id: int, *, max_fraction: float | None = None) -> Iterator[tuple[str, str]]:
        """``(key, product_id)`` of the merchant's synced products absent from this run's input.

        Safety: refuses (``JournalError``) unless the whole input was read (:meth:`mark_input_complete`),
        if some input lines were unreadable (their products cannot be told apart from missing ones),
        or if more than ``max_fraction`` of the synced products would go (a truncated feed).
        A product rejected by the client still counts as present. Streams in pages: memory stays flat.
        """
        info = self.run_info(run_id)
        if not info.input_complete:
            raise JournalError("the input was not read completely: refusing to delete missing products")
        with self._lock:
            unreadable = self._db.execute(
                "SELECT COUNT(*) FROM items WHERE run_id = ? AND key IS NULL", (run_id,)
            ).fetchone()[0]
            if unreadable:
                raise JournalError(f"{unreadable} input lines were unreadable: refusing to delete missing products")
            if max_fraction is not None:
                total = self.synced_count(info.merchant_id)
                missing = self._db.execute(
                    "SELECT COUNT(*) FROM synced s WHERE s.merchant_id = ?"
                    " AND NOT EXISTS (SELECT 1 FROM items i WHERE i.run_id = ? AND i.key = s.key)",
                    (info.merchant_id, run_id),
                ).fetchone()[0]
                if total and missing / total > max_fraction:
                    raise JournalError(
                        f"{missing} of {total} synced products are missing from the input"
                        f" (over {max_fraction:.0%}): refusing to delete them"
                    )
        last = ""
        while True:
            with self._lock:
                page = self._db.execute(
                    "SELECT s.key, s.product_id FROM synced s WHERE s.merchant_id = ? AND s.key > ?"
                    " AND NOT EXISTS (SELECT 1 FROM items i WHERE i.run_id = ? AND i.key = s.key)"
                    " ORDER BY s.key LIMIT 1000",
                    (info.merchant_id, last, run_id),
                ).fetchall()
            if not page:
                return
            yield from ((r[0], r[1]) for r in page)
            last = page[-1][0]

    # -- results -------------------------------------------------------------------------------------

    def outcomes(self, run_id: int) -> Iterator[ProductOutcome]:
        """Every recorded input of the run, by position; items still in flight are ``pending``."""
        last = -(2**63)
        while True:
            with self._lock:
                page = self._db.execute(
                    "SELECT position, product_id, status, stage, errors, warnings FROM items"
                    " WHERE run_id = ? AND position > ? ORDER BY position LIMIT 2000",
                    (run_id, last),
                ).fetchall()
            if not page:
                return
            for pos, pid, status, stage, errors, warnings in page:
                st: Stage | None = "api" if stage == "api" else "client" if stage == "client" else None
                yield ProductOutcome(pos, pid, _PUBLIC_STATUS[status], st, _issues_from(errors), _issues_from(warnings))
            last = page[-1][0]

    def summary(self, run_id: int) -> Summary:
        """Counts of the run's outcomes, computed in SQL."""
        with self._lock:
            rows = self._db.execute(
                "SELECT status, stage, COUNT(*), SUM(warnings IS NOT NULL) FROM items"
                " WHERE run_id = ? GROUP BY status, stage",
                (run_id,),
            ).fetchall()
        c: dict[str, int] = {}
        total = warned = client = api = 0
        for status, stage, n, w in rows:
            total += n
            warned += w or 0
            public = _PUBLIC_STATUS[status]
            c[public] = c.get(public, 0) + n
            if status == "rejected":
                if stage == "api":
                    api += n
                else:
                    client += n
        return Summary(
            total=total,
            upserted=c.get("upserted", 0),
            deleted=c.get("deleted", 0),
            rejected_client=client,
            rejected_api=api,
            warned=warned,
            superseded=c.get("superseded", 0),
            unchanged=c.get("unchanged", 0),
            pending=c.get("pending", 0),
        )

    def result(self, run_id: int) -> PushResult:
        """A :class:`PushResult` streaming the run's outcomes from this journal (keep it open meanwhile)."""
        return PushResult(
            self.summary(run_id),
            lambda: self.outcomes(run_id),
            merchant_id=self.run_info(run_id).merchant_id,
            run_id=run_id,
        )


__all__ = ["SCHEMA_VERSION", "UNKNOWN_DIGEST", "BatchInfo", "Journal", "JournalError", "RunInfo"]
