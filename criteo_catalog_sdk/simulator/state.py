"""Where the simulator keeps operations, catalogs, stats events and access tokens.

:class:`MemoryStore` (default) and :class:`SqliteStore` (``--state FILE``: everything survives a restart)
offer the same interface. Catalog changes of an operation are applied when it reaches its terminal state;
the service calls :meth:`Store.apply_due` before serving anything that reads the catalog.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import json
import sqlite3
from dataclasses import dataclass
from typing import Any, Protocol

from criteo_catalog_sdk.simulator.catalog import (
    MISSING_DESCRIPTION,
    MISSING_PRICE,
    OUT_OF_STOCK,
    VARIANT,
    CatalogCounters,
    WindowCounters,
    count_flags,
    product_flags,
)
from criteo_catalog_sdk.simulator.operations import Operation, encode


@dataclass(slots=True)
class AccessToken:
    """An OAuth2 access or refresh token the simulator issued."""

    token: str
    client_id: str
    expires_at: float  # refresh tokens: float("inf") in memory, never checked
    kind: str = "access"  # or "refresh"
    revoked: bool = False


class Store(Protocol):
    """Persistence of the simulator's state."""

    def add_operation(self, operation: Operation) -> None:
        """Record an accepted operation."""
        ...

    def get_operation(self, operation_id: str) -> Operation | None:
        """The operation with this id, if known."""
        ...

    def list_operations(self) -> list[Operation]:
        """Every known operation, oldest first."""
        ...

    def mark_lost(self, operation_id: str) -> bool:
        """Lose an operation: its report answers 404 and its changes are never applied."""
        ...

    def apply_due(self, now: float) -> int:
        """Apply the catalog changes of operations processed by ``now``; return how many were applied."""
        ...

    def catalog(self, merchant: int) -> dict[str, dict[str, Any]]:
        """A merchant's catalog: lowercased id -> product as last sent."""
        ...

    def replace_catalog(self, merchant: int, products: list[dict[str, Any]]) -> None:
        """Set a merchant's catalog (control endpoint); records no stats event."""
        ...

    def counters(self, merchant: int) -> CatalogCounters:
        """Counters over the merchant's whole catalog."""
        ...

    def window(self, merchant: int, since: float, until: float) -> WindowCounters:
        """Changes applied between ``since`` and ``until``."""
        ...

    def merchants(self) -> list[int]:
        """Merchants that have a catalog."""
        ...

    def put_token(self, token: AccessToken) -> None:
        """Record an issued token."""
        ...

    def get_token(self, token: str) -> AccessToken | None:
        """An issued token, if known."""
        ...

    def revoke_tokens(self, token: str | None = None) -> int:
        """Revoke one token, or every token when ``token`` is None; return how many."""
        ...

    def reset(self) -> None:
        """Forget everything."""
        ...

    def close(self) -> None:
        """Release resources."""
        ...


class MemoryStore:
    """Everything in dicts; lost when the process ends."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget everything."""
        self._operations: dict[str, Operation] = {}
        self._pending: list[tuple[float, int, str]] = []
        self._sequence = itertools.count()
        # merchant -> lowercased id -> (product as sent, stats flags)
        self._catalogs: dict[int, dict[str, tuple[dict[str, Any], int]]] = {}
        self._counters: dict[int, CatalogCounters] = {}
        self._events: dict[int, list[tuple[float, int, int, int]]] = {}
        self._tokens: dict[str, AccessToken] = {}

    def close(self) -> None:
        """Nothing to release."""

    def add_operation(self, operation: Operation) -> None:
        """Record an accepted operation."""
        self._operations[operation.operation_id] = operation
        if operation.changes:
            heapq.heappush(self._pending, (operation.done_at, next(self._sequence), operation.operation_id))

    def get_operation(self, operation_id: str) -> Operation | None:
        """The operation with this id, if known."""
        return self._operations.get(operation_id)

    def list_operations(self) -> list[Operation]:
        """Every known operation, oldest first."""
        return sorted(self._operations.values(), key=lambda op: op.created_at)

    def mark_lost(self, operation_id: str) -> bool:
        """Lose an operation."""
        operation = self._operations.get(operation_id)
        if operation is None:
            return False
        operation.lost = True
        operation.changes = None
        return True

    def apply_due(self, now: float) -> int:
        """Apply the changes of operations processed by ``now``."""
        applied = 0
        pending = self._pending
        while pending and pending[0][0] <= now:
            _, _, operation_id = heapq.heappop(pending)
            operation = self._operations[operation_id]
            if operation.changes is None:
                continue
            self._apply(operation)
            applied += 1
        return applied

    def _apply(self, operation: Operation) -> None:
        events: dict[int, list[int]] = {}
        for merchant, key, product, flags in operation.changes or ():
            catalog = self._catalogs.get(merchant)
            if catalog is None:
                catalog = self._catalogs[merchant] = {}
                self._counters[merchant] = CatalogCounters()
            counters = self._counters[merchant]
            tally = events.setdefault(merchant, [0, 0, 0])
            old = catalog.get(key)
            if old is not None:
                count_flags(counters, old[1], -1)
            if product is None:
                if old is not None:
                    del catalog[key]
                    tally[2] += 1
                continue
            catalog[key] = (product, flags)
            count_flags(counters, flags, 1)
            tally[1 if old is not None else 0] += 1
        for merchant, (added, updated, deleted) in events.items():
            self._events.setdefault(merchant, []).append((operation.done_at, added, updated, deleted))
        operation.changes = None

    def catalog(self, merchant: int) -> dict[str, dict[str, Any]]:
        """A merchant's catalog."""
        return {key: product for key, (product, _) in self._catalogs.get(merchant, {}).items()}

    def replace_catalog(self, merchant: int, products: list[dict[str, Any]]) -> None:
        """Set a merchant's catalog."""
        catalog: dict[str, tuple[dict[str, Any], int]] = {}
        counters = CatalogCounters()
        for product in products:
            key = str(product["id"]).lower()
            if key in catalog:
                count_flags(counters, catalog[key][1], -1)
            flags = product_flags(product)
            catalog[key] = (product, flags)
            count_flags(counters, flags, 1)
        self._catalogs[merchant] = catalog
        self._counters[merchant] = counters

    def counters(self, merchant: int) -> CatalogCounters:
        """Counters over the merchant's whole catalog."""
        return dataclasses.replace(self._counters.get(merchant, CatalogCounters()))

    def window(self, merchant: int, since: float, until: float) -> WindowCounters:
        """Changes applied in the window."""
        out = WindowCounters()
        for when, added, updated, deleted in self._events.get(merchant, ()):
            if since <= when <= until:
                out.added += added
                out.updated += updated
                out.deleted += deleted
        return out

    def merchants(self) -> list[int]:
        """Merchants that have a catalog."""
        return sorted(self._catalogs)

    def put_token(self, token: AccessToken) -> None:
        """Record an issued token."""
        self._tokens[token.token] = token

    def get_token(self, token: str) -> AccessToken | None:
        """An issued token, if known."""
        return self._tokens.get(token)

    def revoke_tokens(self, token: str | None = None) -> int:
        """Revoke one token or all."""
        if token is None:
            targets = list(self._tokens.values())
        else:
            found = self._tokens.get(token)
            targets = [found] if found is not None else []
        for item in targets:
            item.revoked = True
        return len(targets)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS operations (
    id TEXT PRIMARY KEY, created_at REAL NOT NULL, done_at REAL NOT NULL, pending INTEGER NOT NULL,
    data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS operations_pending ON operations (pending, done_at);
CREATE TABLE IF NOT EXISTS products (
    merchant INTEGER NOT NULL, key TEXT NOT NULL, product TEXT NOT NULL, flags INTEGER NOT NULL,
    PRIMARY KEY (merchant, key));
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
        """Apply the changes of operations processed by ``now``."""
        rows = self._db.execute(
            "SELECT data FROM operations WHERE pending = 1 AND done_at <= ? ORDER BY done_at, created_at", (now,)
        ).fetchall()
        for (data,) in rows:
            operation = Operation.from_record(json.loads(data))
            with self._db:
                self._db.execute("BEGIN")
                self._apply(operation)
                operation.changes = None
                self.add_operation(operation)
        return len(rows)

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
                "INSERT OR REPLACE INTO products (merchant, key, product, flags) VALUES (?, ?, ?, ?)",
                (merchant, key, encode(product), flags),
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

    def replace_catalog(self, merchant: int, products: list[dict[str, Any]]) -> None:
        """Set a merchant's catalog."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM products WHERE merchant = ?", (merchant,))
            self._db.executemany(
                "INSERT OR REPLACE INTO products (merchant, key, product, flags) VALUES (?, ?, ?, ?)",
                [(merchant, str(p["id"]).lower(), encode(p), product_flags(p)) for p in products],
            )

    def counters(self, merchant: int) -> CatalogCounters:
        """Counters over the merchant's whole catalog."""
        row = self._db.execute(_COUNTERS_SQL, (merchant,)).fetchone()
        values = [int(v or 0) for v in row]
        return CatalogCounters(*values)

    def window(self, merchant: int, since: float, until: float) -> WindowCounters:
        """Changes applied in the window."""
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
