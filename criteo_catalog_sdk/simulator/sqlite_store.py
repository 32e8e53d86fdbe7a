"""The ``--state FILE`` store: everything in one SQLite file, so that a restarted simulator picks up
where it stopped (operations, catalogs with their expiry times, stats events, tokens)."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from criteo_catalog_sdk.simulator.catalog import (
    MISSING_DESCRIPTION,
    MISSING_PRICE,
    OUT_OF_STOCK,
    VARIANT,
    CatalogCounters,
    WindowCounters,
    product_flags,
)
from criteo_catalog_sdk.simulator.expiry import DEFAULT_LIFETIME_SECONDS, expires_at
from criteo_catalog_sdk.simulator.operations import Operation, encode
from criteo_catalog_sdk.simulator.state import AccessToken

_SCHEMA = """
CREATE TABLE IF NOT EXISTS operations (
    id TEXT PRIMARY KEY, created_at REAL NOT NULL, done_at REAL NOT NULL, pending INTEGER NOT NULL,
    data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS operations_pending ON operations (pending, done_at);
CREATE TABLE IF NOT EXISTS products (
    merchant INTEGER NOT NULL, key TEXT NOT NULL, product TEXT NOT NULL, flags INTEGER NOT NULL,
    expires_at REAL NOT NULL, PRIMARY KEY (merchant, key));
CREATE TABLE IF NOT EXISTS events (
    merchant INTEGER NOT NULL, at REAL NOT NULL, added INTEGER NOT NULL, updated INTEGER NOT NULL,
    deleted INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS events_merchant ON events (merchant, at);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY, client_id TEXT NOT NULL, expires_at REAL NOT NULL, kind TEXT NOT NULL,
    revoked INTEGER NOT NULL);
"""


# The flag values of catalog.py, spelled out: missing description 1, missing price 2, out of stock 4, variant 8.
_COUNTERS_SQL = (
    "SELECT COUNT(*), SUM(flags & 1 != 0), SUM(flags & 2 != 0), SUM(flags & 4 != 0), SUM(flags & 8 != 0), "
    "SUM(flags & 6 != 0) FROM products WHERE merchant = ?"
)
if (MISSING_DESCRIPTION, MISSING_PRICE, OUT_OF_STOCK, VARIANT) != (1, 2, 4, 8):  # pragma: no cover
    raise ImportError("catalog flags changed: update _COUNTERS_SQL")


_RECORD_EXPIRED = (
    "INSERT INTO events (merchant, at, added, updated, deleted)"
    " SELECT merchant, expires_at, 0, 0, COUNT(*) FROM products WHERE expires_at {} ? GROUP BY merchant, expires_at"
)
# inclusive -> (record the expiries as deletions, remove the products)
_EXPIRE_SQL = {
    False: (_RECORD_EXPIRED.format("<"), "DELETE FROM products WHERE expires_at < ?"),
    True: (_RECORD_EXPIRED.format("<="), "DELETE FROM products WHERE expires_at <= ?"),
}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class SqliteStore:
    """Everything in one SQLite file, so that a restarted simulator picks up where it stopped."""

    def __init__(self, path: str) -> None:
        # The server thread uses the connection created by whoever built the app; calls never overlap
        # (one event loop), so sharing it across threads is safe.
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._migrate()
        self._db.execute("CREATE INDEX IF NOT EXISTS products_expiry ON products (expires_at)")

    def _migrate(self) -> None:
        """State files written before products expired: their products start their 30 days now."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(products)")}
        if "expires_at" not in columns:
            with self._db:
                self._db.execute("BEGIN")
                self._db.execute("ALTER TABLE products ADD COLUMN expires_at REAL NOT NULL DEFAULT 0")
                self._db.execute("UPDATE products SET expires_at = ?", (time.time() + DEFAULT_LIFETIME_SECONDS,))

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def reset(self) -> None:
        """Forget everything."""
        with self._db:
            self._db.execute("BEGIN")
            for table in ("operations", "products", "events", "tokens"):
                self._db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    def add_operation(self, operation: Operation) -> None:
        """Record an accepted operation."""
        self._db.execute(
            "INSERT OR REPLACE INTO operations (id, created_at, done_at, pending, data) VALUES (?, ?, ?, ?, ?)",
            (
                operation.operation_id,
                operation.created_at,
                operation.done_at,
                int(bool(operation.changes)),
                _dumps(operation.to_record()),
            ),
        )

    def get_operation(self, operation_id: str) -> Operation | None:
        """The operation with this id, if known."""
        row = self._db.execute("SELECT data FROM operations WHERE id = ?", (operation_id,)).fetchone()
        return None if row is None else Operation.from_record(json.loads(row[0]))

    def list_operations(self) -> list[Operation]:
        """Every known operation, oldest first."""
        rows = self._db.execute("SELECT data FROM operations ORDER BY created_at").fetchall()
        return [Operation.from_record(json.loads(row[0])) for row in rows]

    def mark_lost(self, operation_id: str) -> bool:
        """Lose an operation."""
        operation = self.get_operation(operation_id)
        if operation is None:
            return False
        operation.lost = True
        operation.changes = None
        self.add_operation(operation)
        return True

    def apply_due(self, now: float) -> int:
        """Apply the changes of operations processed by ``now`` and remove expired products, in time order."""
        rows = self._db.execute(
            "SELECT data FROM operations WHERE pending = 1 AND done_at <= ? ORDER BY done_at, created_at", (now,)
        ).fetchall()
        for (data,) in rows:
            operation = Operation.from_record(json.loads(data))
            with self._db:
                self._db.execute("BEGIN")
                # Products that expired before this operation ends leave first (see MemoryStore.apply_due).
                self._expire(operation.done_at, inclusive=False)
                self._apply(operation)
                operation.changes = None
                self.add_operation(operation)
        if self._db.execute("SELECT 1 FROM products WHERE expires_at <= ? LIMIT 1", (now,)).fetchone() is not None:
            with self._db:
                self._db.execute("BEGIN")
                self._expire(now, inclusive=True)
        return len(rows)

    def _expire(self, limit: float, *, inclusive: bool) -> None:
        """Remove the products whose expiry is before ``limit`` (or at it, when ``inclusive``): one deletion
        event per merchant and expiry time."""
        record, remove = _EXPIRE_SQL[inclusive]
        self._db.execute(record, (limit,))
        self._db.execute(remove, (limit,))

    def _apply(self, operation: Operation) -> None:
        events: dict[int, list[int]] = {}
        for merchant, key, product, flags in operation.changes or ():
            tally = events.setdefault(merchant, [0, 0, 0])
            exists = (
                self._db.execute("SELECT 1 FROM products WHERE merchant = ? AND key = ?", (merchant, key)).fetchone()
                is not None
            )
            if product is None:
                if exists:
                    self._db.execute("DELETE FROM products WHERE merchant = ? AND key = ?", (merchant, key))
                    tally[2] += 1
                continue
            self._db.execute(
                "INSERT OR REPLACE INTO products (merchant, key, product, flags, expires_at) VALUES (?, ?, ?, ?, ?)",
                (merchant, key, encode(product), flags, expires_at(product, operation.done_at)),
            )
            tally[1 if exists else 0] += 1
        for merchant, (added, updated, deleted) in events.items():
            self._db.execute(
                "INSERT INTO events (merchant, at, added, updated, deleted) VALUES (?, ?, ?, ?, ?)",
                (merchant, operation.done_at, added, updated, deleted),
            )

    def catalog(self, merchant: int) -> dict[str, dict[str, Any]]:
        """A merchant's catalog."""
        rows = self._db.execute("SELECT key, product FROM products WHERE merchant = ?", (merchant,))
        return {key: json.loads(product) for key, product in rows}

    def replace_catalog(self, merchant: int, products: list[dict[str, Any]], now: float) -> None:
        """Set a merchant's catalog, as if upserted at ``now``."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM products WHERE merchant = ?", (merchant,))
            self._db.executemany(
                "INSERT OR REPLACE INTO products (merchant, key, product, flags, expires_at) VALUES (?, ?, ?, ?, ?)",
                [(merchant, str(p["id"]).lower(), encode(p), product_flags(p), expires_at(p, now)) for p in products],
            )

    def counters(self, merchant: int) -> CatalogCounters:
        """Counters over the merchant's whole catalog."""
        row = self._db.execute(_COUNTERS_SQL, (merchant,)).fetchone()
        values = [int(v or 0) for v in row]
        return CatalogCounters(*values)

    def window(self, merchant: int, since: float, until: float) -> WindowCounters:
        """Changes applied in the window (expiries count as deletions)."""
        row = self._db.execute(
            "SELECT SUM(added), SUM(updated), SUM(deleted) FROM events WHERE merchant = ? AND at BETWEEN ? AND ?",
            (merchant, since, until),
        ).fetchone()
        return WindowCounters(*(int(v or 0) for v in row))

    def merchants(self) -> list[int]:
        """Merchants that have a catalog."""
        return [row[0] for row in self._db.execute("SELECT DISTINCT merchant FROM products ORDER BY merchant")]

    def put_token(self, token: AccessToken) -> None:
        """Record an issued token."""
        self._db.execute(
            "INSERT OR REPLACE INTO tokens (token, client_id, expires_at, kind, revoked) VALUES (?, ?, ?, ?, ?)",
            (token.token, token.client_id, min(token.expires_at, 1e300), token.kind, int(token.revoked)),
        )

    def get_token(self, token: str) -> AccessToken | None:
        """An issued token, if known."""
        row = self._db.execute(
            "SELECT token, client_id, expires_at, kind, revoked FROM tokens WHERE token = ?", (token,)
        ).fetchone()
        return None if row is None else AccessToken(row[0], row[1], row[2], row[3], bool(row[4]))

    def revoke_tokens(self, token: str | None = None) -> int:
        """Revoke one token or all."""
        if token is None:
            cursor = self._db.execute("UPDATE tokens SET revoked = 1")
        else:
            cursor = self._db.execute("UPDATE tokens SET revoked = 1 WHERE token = ?", (token,))
        return cursor.rowcount
