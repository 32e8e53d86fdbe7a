"""What Criteo is known to hold for each merchant: the delta-sync state of the journal.

A ``synced`` row is written when a report confirms an upsert (the product's content hash, when it was
confirmed, its ``expirationDate`` if any), removed when one confirms a delete, and its version marked
unknown (:data:`UNKNOWN_DIGEST`) as soon as a batch holding the product is recorded: from then on
Criteo may hold that version whatever becomes of the report (expired, lost, ``wait=False``, a crash),
so delta sync sends the product again rather than trust the old hash. The row stays, so that
``delete_missing`` still knows the product.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Final, NamedTuple

from criteo_catalog_sdk.push.journal.db import IN_JSON, Database, json_list
from criteo_catalog_sdk.push.journal.span import IN_BATCH, Span
from criteo_catalog_sdk.push.states import ItemStatus, JournalError

__all__ = ["UNKNOWN_DIGEST", "DeletionCounts", "Synced", "SyncedRow", "confirm", "mark_unknown"]

#: The digest of a synced product whose version at Criteo is unknown: never equal to a content hash.
UNKNOWN_DIGEST: Final = b""
_PAGE: Final = 1000


class SyncedRow(NamedTuple):
    """One product Criteo is known to hold: its content hash, when an upsert of it was last confirmed
    (epoch seconds), and its ``expirationDate`` (epoch seconds) if it has one."""

    key: str
    product_id: str
    digest: bytes
    synced_at: float
    expires_at: float | None


class DeletionCounts(NamedTuple):
    """What ``delete_missing`` is judged on, for one run: products the state holds for the merchant,
    those absent from the run's input, the input's valid products and unreadable lines, and whether
    the whole input was read."""

    held: int
    missing: int
    valid: int
    unreadable: int
    input_complete: bool


def mark_unknown(db: sqlite3.Connection, merchant_id: int, keys: Sequence[str]) -> None:
    """The synced versions of ``keys`` are unknown from now on (a batch of them is on its way)."""
    if keys:
        db.execute(
            f"UPDATE synced SET digest = ? WHERE merchant_id = ? AND key {IN_JSON}",  # noqa: S608
            (UNKNOWN_DIGEST, merchant_id, json_list(keys)),
        )


def confirm(db: sqlite3.Connection, merchant_id: int, batch: Span, now: float) -> None:
    """A report confirmed the batch's outcomes: its upserted products are synced as sent, its deleted
    ones are gone (set-based: the items already carry their final statuses)."""
    db.execute(
        "INSERT OR REPLACE INTO synced (merchant_id, key, product_id, digest, synced_at, expires_at)"  # noqa: S608
        f" SELECT ?, key, product_id, digest, ?, expires_at FROM items"
        f" WHERE {IN_BATCH} AND status IN (?, ?) AND digest IS NOT NULL",
        (merchant_id, now, *batch.params, ItemStatus.UPSERTED.value, ItemStatus.REFRESHED.value),
    )
    db.execute(
        f"DELETE FROM synced WHERE merchant_id = ? AND key IN (SELECT key FROM items WHERE {IN_BATCH} AND status = ?)",  # noqa: S608
        (merchant_id, *batch.params, ItemStatus.DELETED.value),
    )


class Synced:
    """The delta-sync state."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def lookup(self, merchant_id: int, keys: Sequence[str]) -> dict[str, SyncedRow]:
        """The synced rows of the known keys whose version at Criteo is known (others are absent)."""
        out: dict[str, SyncedRow] = {}
        if not keys:
            return out
        with self._db.read() as db:
            for key, pid, digest, synced_at, expires_at in db.execute(
                "SELECT key, product_id, digest, synced_at, expires_at FROM synced"  # noqa: S608
                f" WHERE merchant_id = ? AND key {IN_JSON} AND digest != ?",
                (merchant_id, json_list(keys), UNKNOWN_DIGEST),
            ):
                out[key] = SyncedRow(key, pid, bytes(digest), synced_at, expires_at)
        return out

    def count(self, merchant_id: int) -> int:
        """How many products the state holds for the merchant."""
        with self._db.read() as db:
            return int(db.execute("SELECT COUNT(*) FROM synced WHERE merchant_id = ?", (merchant_id,)).fetchone()[0])

    def forget(self, merchant_id: int, keys: Sequence[str] | None = None) -> None:
        """Drop synced rows (all of the merchant's when ``keys`` is None): those products are sent again."""
        with self._db.tx() as db:
            if keys is None:
                db.execute("DELETE FROM synced WHERE merchant_id = ?", (merchant_id,))
            else:
                db.executemany("DELETE FROM synced WHERE merchant_id = ? AND key = ?", [(merchant_id, k) for k in keys])

    def deletion_counts(self, run_id: int) -> DeletionCounts:
        """The figures ``delete_missing`` is judged on (see :mod:`criteo_catalog_sdk.push.deletion`)."""
        with self._db.read() as db:
            run = db.execute("SELECT merchant_id, input_complete FROM runs WHERE run_id = ?", (run_id,)).fetchone()
            if run is None:
                raise JournalError(f"no run {run_id}")
            merchant_id = run[0]
            held = db.execute("SELECT COUNT(*) FROM synced WHERE merchant_id = ?", (merchant_id,)).fetchone()[0]
            missing = db.execute(
                "SELECT COUNT(*) FROM synced s WHERE s.merchant_id = ?"
                " AND NOT EXISTS (SELECT 1 FROM items i WHERE i.run_id = ? AND i.key = s.key)",
                (merchant_id, run_id),
            ).fetchone()[0]
            valid, unreadable = db.execute(
                "SELECT COALESCE(SUM(method = 'insert'), 0), COALESCE(SUM(key IS NULL), 0) FROM items WHERE run_id = ?",
                (run_id,),
            ).fetchone()
        return DeletionCounts(int(held), int(missing), int(valid), int(unreadable), bool(run[1]))

    def missing(self, run_id: int) -> Iterator[tuple[str, str]]:
        """``(key, product_id)`` of the merchant's synced products absent from the run's input, in pages
        (memory stays flat). A product the SDK rejected still counts as present."""
        with self._db.read() as db:
            merchant_id = db.execute("SELECT merchant_id FROM runs WHERE run_id = ?", (run_id,)).fetchone()[0]
        last = ""
        while True:
            with self._db.read() as db:
                page = db.execute(
                    "SELECT s.key, s.product_id FROM synced s WHERE s.merchant_id = ? AND s.key > ?"
                    " AND NOT EXISTS (SELECT 1 FROM items i WHERE i.run_id = ? AND i.key = s.key)"
                    " ORDER BY s.key LIMIT ?",
                    (merchant_id, last, run_id, _PAGE),
                ).fetchall()
            if not page:
                return
            yield from ((str(k), str(p)) for k, p in page)
            last = page[-1][0]
