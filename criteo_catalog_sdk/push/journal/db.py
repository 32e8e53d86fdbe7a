"""The state file's SQLite connection, its schema and version, and its transactions.

A state file is checked when it is opened, before the push sends anything: a path that cannot be
opened or written, a file that is not SQLite, or a schema this SDK does not know is a
:class:`~criteo_catalog_sdk.errors.StateFileError` naming the path and the reason. Version 1 files
(the first release) to 3 are migrated in place.

Schema (version 4)::

    meta(key PK, value)                                   schema_version
    runs(run_id PK, merchant_id, state running|finished, input_pos, input_complete, options JSON,
         started_at, finished_at)
    batches(batch_id PK, run_id, parent_id (413 halves), state (states.BatchState), token, sends,
            resubmitted, n_entries, n_bytes, report JSON, error JSON, created_at, accepted_at, done_at,
            first_position, last_position (where its items lie: :mod:`.span`))
    bodies(batch_id PK, body BLOB): a batch's request, kept until it is settled (one write per batch, not
            one per product; a table of its own, so that the batch's row stays small to update);
            zstd-compressed since version 3 (:mod:`.bodies`)
    items(run_id, position, key, product_id, method, batch_id, digest BLOB, status (states.ItemStatus),
          stage client|api, errors JSON, warnings JSON, refresh 0|1, expires_at; PK (run_id, position),
          WITHOUT ROWID since version 4; index (run_id, key))
    synced(merchant_id, key, product_id, digest (empty: the version at Criteo is unknown), synced_at
           (when Criteo last confirmed an upsert), expires_at (the product's expirationDate, if any);
           PK (merchant_id, key))
"""

from __future__ import annotations

import os
import pathlib
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Final

import orjson

from criteo_catalog_sdk._logging import logger
from criteo_catalog_sdk.errors import StateFileError
from criteo_catalog_sdk.push.states import JournalError

__all__ = ["IN_JSON", "SCHEMA_VERSION", "Database", "check_readable", "json_list", "open_read_only"]

SCHEMA_VERSION: Final = 4

_ITEMS_TABLE: Final = """
CREATE TABLE IF NOT EXISTS items (
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
    refresh    INTEGER NOT NULL DEFAULT 0,
    expires_at REAL,
    PRIMARY KEY (run_id, position)
) WITHOUT ROWID;
"""
_SCHEMA: Final = f"""
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
    done_at     REAL,
    first_position INTEGER,
    last_position  INTEGER
);
CREATE TABLE IF NOT EXISTS bodies (batch_id INTEGER PRIMARY KEY, body BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS batches_run_state ON batches (run_id, state);
{_ITEMS_TABLE}
CREATE INDEX IF NOT EXISTS items_key ON items (run_id, key);
CREATE TABLE IF NOT EXISTS synced (
    merchant_id INTEGER NOT NULL,
    key         TEXT NOT NULL,
    product_id  TEXT NOT NULL,
    digest      BLOB NOT NULL,
    synced_at   REAL NOT NULL,
    expires_at  REAL,
    PRIMARY KEY (merchant_id, key)
) WITHOUT ROWID;
"""

# Version 1 -> 2: delta sync learnt when each product expires (refreshes, expirationDate); a batch
# keeps its request body (its items no longer keep their entries); an item of an accepted batch is
# queued like one of a pending batch.
_MIGRATE_1_TO_2: Final = (
    "ALTER TABLE items ADD COLUMN refresh INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE items ADD COLUMN expires_at REAL",
    "ALTER TABLE synced ADD COLUMN expires_at REAL",
    "CREATE TABLE bodies (batch_id INTEGER PRIMARY KEY, body BLOB NOT NULL)",
    "UPDATE items SET status = 'queued' WHERE status = 'accepted'",
)
# Version 2 -> 3: bodies are stored compressed. Nothing to convert (a raw body still reads, see
# bodies.stored_body); the version tells an older SDK, which would send a compressed body as it is, to
# refuse the file.
# Version 3 -> 4: items are a WITHOUT ROWID table keyed by (run_id, position), and a batch says the span
# of positions its items lie in (span.py), which replaces the index of items by batch id: a product's
# row costs two B-trees to write instead of four, and reading a batch's items needs no lookup per row.


def _check_path(path: str) -> None:
    """Refuse, before SQLite creates anything, what can never be a state file."""
    if os.path.isdir(path):
        raise StateFileError(f"state file {path}: is a directory")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise StateFileError(f"state file {path}: the directory {parent} does not exist")
    if os.path.exists(path) and not os.access(path, os.R_OK | os.W_OK):
        raise StateFileError(f"state file {path}: not readable and writable by this user")
    if not os.path.exists(path) and not os.access(parent, os.W_OK):
        raise StateFileError(f"state file {path}: cannot create it in {parent} (not writable)")


class Database:
    """One SQLite connection, shared by the journal's parts; every write is one transaction.

    Thread-safe (one lock). ``path=None`` makes a temporary file, deleted by :meth:`close`. ``clock``
    is the wall clock the journal stamps times with (``time.time``; tests move it).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        durable: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._tmpdir: str | None = None
        if path is None:
            self._tmpdir = tempfile.mkdtemp(prefix="criteo-push-")
            path = os.path.join(self._tmpdir, "journal.sqlite3")
        self.path = os.fspath(path)
        self.clock = clock
        self.lock = threading.RLock()
        _check_path(self.path)
        try:
            # Autocommit mode: every transaction is an explicit BEGIN IMMEDIATE ... COMMIT (see tx).
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._prepare(durable)
        except (sqlite3.DatabaseError, StateFileError) as exc:
            if hasattr(self, "conn"):
                self.conn.close()
            if isinstance(exc, StateFileError):
                raise
            raise StateFileError(f"state file {self.path}: {_reason(exc)}") from None

    def _prepare(self, durable: bool) -> None:
        conn = self.conn
        _check_sqlite(conn, self.path)
        if self._tmpdir is None:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
        else:
            # A temporary journal dies with its push (nothing resumes from it; no other connection reads
            # it): pages are written once, into the file, with the rollback journal in memory, instead of
            # into the WAL and again at each checkpoint and at close.
            conn.execute("PRAGMA journal_mode=MEMORY")
            conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=10000")
        # Request bodies pass through the file (written once, deleted when their batch settles): fewer,
        # larger checkpoints keep that cheap. A 2 MB cache: B9's CPU is the same as with 8 or 32 MB (a
        # push touches each page about once), and B5's 200,000-product push peaks 8 MB lower than with 8.
        conn.execute("PRAGMA wal_autocheckpoint=8192")
        conn.execute("PRAGMA cache_size=-2048")
        with self.lock:
            version = _schema_version(conn, self.path)
            if version is not None and version < SCHEMA_VERSION:
                # Once per file; the items table is copied (about its size again on disk, for a moment).
                logger.info("state file %s: migrating schema %d to %d", self.path, version, SCHEMA_VERSION)
            if version == 1:
                self._migrate_from_1()
            if version is not None and version < 4:
                self._migrate_to_4()
            conn.executescript("BEGIN IMMEDIATE;" + _SCHEMA + "COMMIT;")  # idempotent DDL
            with self.tx() as db:
                _stamp(db, SCHEMA_VERSION)

    def _migrate_from_1(self) -> None:
        with self.tx() as db:
            for statement in _MIGRATE_1_TO_2:
                db.execute(statement)
            unsettled = db.execute("SELECT batch_id FROM batches WHERE state IN ('pending', 'accepted')").fetchall()
            for (batch_id,) in unsettled:  # their bodies, from the entries version 1 kept per item
                rows = db.execute(
                    "SELECT entry FROM items WHERE batch_id = ? AND entry IS NOT NULL AND status = 'queued'"
                    " ORDER BY position",
                    (batch_id,),
                ).fetchall()
                body = b'{"entries":[' + b",".join(bytes(r[0]) for r in rows) + b"]}"
                db.execute("INSERT INTO bodies VALUES (?, ?)", (batch_id, body))
            db.execute("ALTER TABLE items DROP COLUMN entry")
            _stamp(db, 2)  # with the change: an interrupted later step must not run this one again

    def _migrate_to_4(self) -> None:
        with self.tx() as db:
            columns = {r[1] for r in db.execute("PRAGMA table_info(batches)")}
            for column in ("first_position", "last_position"):
                if column not in columns:
                    db.execute(f"ALTER TABLE batches ADD COLUMN {column} INTEGER")
            db.execute("DROP INDEX IF EXISTS items_batch")
            db.execute("DROP INDEX IF EXISTS items_key")
            db.execute("ALTER TABLE items RENAME TO items_v3")
            db.execute(_ITEMS_TABLE)
            names = ", ".join(r[1] for r in db.execute("PRAGMA table_info(items)"))  # the new table's columns
            db.execute(f"INSERT INTO items ({names}) SELECT {names} FROM items_v3")  # noqa: S608 - schema names
            db.execute("DROP TABLE items_v3")
            spans = db.execute(
                "SELECT MIN(position), MAX(position), batch_id FROM items WHERE batch_id IS NOT NULL GROUP BY batch_id"
            ).fetchall()
            db.executemany("UPDATE batches SET first_position = ?, last_position = ? WHERE batch_id = ?", spans)
            _stamp(db, 4)

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back entirely on any exception."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """The connection, for reads (under the lock)."""
        with self.lock:
            yield self.conn

    def close(self) -> None:
        """Close the file (and delete it if temporary)."""
        with self.lock:
            self.conn.close()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None


def _stamp(db: sqlite3.Connection, version: int) -> None:
    """Write the schema version (inside the transaction of the change that made the file so)."""
    db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(version),))


def _check_sqlite(conn: sqlite3.Connection, path: str) -> None:
    """Refuse an SQLite without its JSON functions (the journal's key lookups use ``json_each``)."""
    try:
        conn.execute("SELECT value FROM json_each('[1]')").fetchall()
    except sqlite3.OperationalError:
        raise StateFileError(
            f"state file {path}: this Python's SQLite ({sqlite3.sqlite_version}) has no JSON functions"
            " (json_each), which the journal needs: use an SQLite built with them (every build since 3.38)"
        ) from None


def _schema_version(conn: sqlite3.Connection, path: str) -> int | None:
    """The state file's schema version (``None``: an empty file, a new state), refusing a file that is not
    a state file, or that a newer SDK wrote."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return None
    if "meta" not in tables or "items" not in tables:
        raise StateFileError(f"state file {path}: an SQLite file, but not a criteo-catalog state file")
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        version = int(row[0])
    except (TypeError, ValueError):
        raise StateFileError(f"state file {path}: its schema version is unreadable") from None
    if version > SCHEMA_VERSION:
        raise StateFileError(
            f"state file {path}: written by a newer SDK (schema {version}; this one reads up to"
            f" {SCHEMA_VERSION}): upgrade criteo-catalog-sdk"
        )
    return version


def check_readable(path: str | os.PathLike[str]) -> None:
    """Refuse, without writing to it, a state file a push could not use: what a dry run checks before
    anything (a dry run reads a copy; see ``push.pipeline.run.open_journal``). A missing file is a new
    state: nothing to refuse."""
    path = os.fspath(path)
    if not os.path.isdir(path) and not os.path.exists(path):
        return
    conn = open_read_only(path)
    try:
        _schema_version(conn, path)
    except sqlite3.DatabaseError as exc:
        raise StateFileError(f"state file {path}: {_reason(exc)}") from None
    finally:
        conn.close()


def open_read_only(path: str) -> sqlite3.Connection:
    """A connection that cannot write to the state file at ``path`` (checking it, copying it)."""
    if os.path.isdir(path):
        raise StateFileError(f"state file {path}: is a directory")
    return sqlite3.connect(f"{pathlib.Path(path).resolve().as_uri()}?mode=ro", uri=True)


def _reason(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "not a database" in text:
        return "not an SQLite file (is it the right path?)"
    if "readonly" in text or "unable to open" in text:
        return f"cannot be opened for writing ({text})"
    return text


def rowid(cur: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just wrote."""
    if cur.lastrowid is None:  # pragma: no cover - sqlite3 always sets it after an INSERT
        raise JournalError("INSERT returned no row id")
    return cur.lastrowid


def marks(n: int) -> str:
    """``?,?,...`` for an ``IN (...)`` of ``n`` values."""
    return ",".join("?" * n)


#: ``IN`` over keys given as one JSON array (:func:`json_list`): one bound value for any number of keys,
#: where ``IN (?, ?, ...)`` bound each key (an SQLite call under the connection's mutex) in chunks below
#: SQLite's variable limit. The two key lookups of every record (earlier lines, synced versions) went
#: from about 6,100 to 4,800 instructions per product.
IN_JSON: Final = "IN (SELECT value FROM json_each(?))"


def json_list(values: Iterable[str]) -> str:
    """Strings as the JSON array :data:`IN_JSON` takes. They are product keys: printable ASCII (checked
    ids, lowercased); SQLite's JSON would not match a key holding a NUL character."""
    return orjson.dumps(list(values)).decode()
