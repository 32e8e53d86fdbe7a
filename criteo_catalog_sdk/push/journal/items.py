"""The item rows a record writes, and what they do to earlier lines of the same products.

:meth:`~criteo_catalog_sdk.push.journal.batches.Batches.record` writes one row per input settled
since the previous record (refused by the SDK, skipped by delta sync, replaced inside the open batch)
and per entry of the sealed batch. A recorded version of a product supersedes the earlier lines of
the same product in the run; one already sent makes its synced version unknown, so that the next
delta push sends the product again. The same lookup names the sealed batch's **blockers** for the
in-flight guard: the unfinished batches holding an earlier line of one of its products (a resumed run
asks :meth:`~criteo_catalog_sdk.push.journal.batches.Batches.blockers` instead).
"""

from __future__ import annotations

import itertools
import json
import math
import sqlite3
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from criteo_catalog_sdk.ids import product_key
from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.push.journal.db import IN_JSON, json_list
from criteo_catalog_sdk.push.journal.synced import mark_unknown
from criteo_catalog_sdk.push.states import SENT, SENT_OR_KEPT, UNFINISHED, ItemStatus
from criteo_catalog_sdk.push.wire import PreparedEntry, Rejected

__all__ = ["Settled", "issues_json", "write_items"]

#: An item row. The columns that are often empty take a stand-in that SQL turns into NULL: Python's
#: sqlite3 binds ``int``, ``float``, ``str`` and ``bytearray`` straight, but ``None`` and ``bytes`` only
#: after looking for an adapter for them, which raises and clears a formatted AttributeError each time
#: (about 2,000 instructions per value: five per product were 6 % of a whole push's instructions). The
#: stand-ins: :data:`_NO_BATCH`, :data:`_NO_TEXT`, an empty ``bytearray`` for no digest, and NaN for
#: no expiry (SQLite stores a NaN as NULL).
_INSERT_ITEM: Final = (
    "INSERT OR REPLACE INTO items (run_id, position, key, product_id, method, batch_id, digest, status,"
    " stage, errors, warnings, refresh, expires_at)"
    " VALUES (?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, x''), ?, NULLIF(?, ''), NULLIF(?, ''), NULLIF(?, ''), ?, ?)"
)
_NO_BATCH: Final = 0  # batch ids start at 1
_NO_TEXT: Final = ""
_NO_TIME: Final = math.nan
_SENT_OR_KEPT: Final = frozenset(s.value for s in SENT_OR_KEPT)
_SENT: Final = frozenset(s.value for s in SENT)
_UNFINISHED: Final = frozenset(s.value for s in UNFINISHED)


@dataclass(slots=True)
class Settled:
    """Inputs settled without a batch since the last record: refused by the SDK, skipped by delta sync,
    or replaced by a later occurrence inside the open batch."""

    rejected: list[Rejected] = field(default_factory=list)
    unchanged: list[PreparedEntry] = field(default_factory=list)
    superseded: list[PreparedEntry] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rejected) + len(self.unchanged) + len(self.superseded)

    def clear(self) -> None:
        """Forget them (they were recorded)."""
        self.rejected, self.unchanged, self.superseded = [], [], []


def issues_json(issues: Iterable[Issue]) -> str | None:
    """Issues as stored (JSON), ``None`` for none."""
    found = [i.to_dict() for i in issues]
    return json.dumps(found, ensure_ascii=False) if found else None


def _duplicate(product_id: str | None, later: int | None) -> str | None:
    where = f" (position {later})" if later is not None else ""
    issue = Issue("DuplicateId", f"{product_id!r} appears again later in the input{where}; the later one wins", "id")
    return issues_json([issue])


#: Stored status values, looked up once (an enum's ``.value`` is a Python call: not one per product).
_QUEUED: Final = ItemStatus.QUEUED.value
_INSERT: Final = "insert"
_UNCHANGED: Final = ItemStatus.UNCHANGED.value
_SUPERSEDED: Final = ItemStatus.SUPERSEDED.value
_REJECTED: Final = ItemStatus.REJECTED.value
_KEPT: Final = frozenset((_QUEUED, _UNCHANGED))


def _superseded(
    run_id: int, e: PreparedEntry, batch_id: int | None, refresh: bool, later: int | None
) -> tuple[Any, ...]:
    """The row of a superseded entry (by a later line of its product, at ``later`` if known), with the
    stand-ins of :data:`_INSERT_ITEM` for what it lacks."""
    expires = _NO_TIME if e.expires is None else e.expires
    return (run_id, e.position, e.key, e.product_id, e.method, batch_id or _NO_BATCH, bytearray(e.digest or b""),
            _SUPERSEDED, "client", _duplicate(e.product_id, later) or _NO_TEXT, _NO_TEXT, int(refresh),
            expires)  # fmt: skip


def write_items(
    db: sqlite3.Connection,
    run_id: int,
    merchant_id: int,
    batch_id: int | None,
    batch: Sequence[PreparedEntry],
    settled: Settled,
    refreshes: Container[int],
) -> set[int]:
    """Write the rows of a record (in its transaction): the inputs ``settled``, then the entries of
    ``batch`` (``batch_id``) as queued; earlier lines of the run with the same keys become superseded.
    Returns the batch's blockers: the unfinished batches holding an earlier line of one of its products."""
    newest, kept = _newest(itertools.chain(settled.unchanged, batch))
    blockers = _supersede_earlier(db, run_id, merchant_id, newest, batch)
    unchanged, queued = settled.unchanged, batch
    displaced: list[tuple[Any, ...]] = []
    if kept != len(newest):  # a key twice among these entries (rare): the earlier ones are superseded
        unchanged = _keep_newest(run_id, settled.unchanged, None, newest, (), displaced)
        queued = _keep_newest(run_id, batch, batch_id, newest, refreshes, displaced)
    if settled.rejected or settled.superseded or displaced:
        db.executemany(_INSERT_ITEM, itertools.chain(_other_rows(run_id, settled), displaced))
    # The entries' rows are made as SQLite takes them, not listed first: a batch's rows, thousands of
    # tuples, would otherwise sit beside its entries.
    if unchanged:
        _write_entries(db, run_id, None, _UNCHANGED, unchanged, ())
    if batch_id is not None and queued:
        _write_entries(db, run_id, batch_id, _QUEUED, queued, refreshes)
    return blockers


def _keep_newest(
    run_id: int,
    entries: Sequence[PreparedEntry],
    batch_id: int | None,
    newest: dict[str, int],
    refreshes: Container[int],
    displaced: list[tuple[Any, ...]],
) -> list[PreparedEntry]:
    """The entries that are their product's latest line; the rows of the others (superseded, naming the
    later line) are added to ``displaced``."""
    kept: list[PreparedEntry] = []
    for e in entries:
        later = newest[e.key]
        if e.position < later:
            displaced.append(_superseded(run_id, e, batch_id, e.position in refreshes, later))
        else:
            kept.append(e)
    return kept


def _write_entries(
    db: sqlite3.Connection,
    run_id: int,
    batch_id: int | None,
    status: str,
    entries: Sequence[PreparedEntry],
    refreshes: Container[int],
) -> None:
    """The rows of entries of one status (a batch's, queued; or unchanged ones, of no batch)."""
    plain = not refreshes and all(e.method == _INSERT and e.expires is None for e in entries)
    if plain:  # the usual: upserts, none refreshed, none with an expirationDate
        db.executemany(_entry_insert(run_id, batch_id, status, plain=True), _plain_rows(entries))
    else:
        db.executemany(_entry_insert(run_id, batch_id, status, plain=False), _entry_rows(entries, refreshes))


def _entry_insert(run_id: int, batch_id: int | None, status: str, *, plain: bool) -> str:
    """The ``INSERT`` of entry rows of one status. What all of them share is written into the statement
    (the run and batch ids, integers; the status, a fixed word; for ``plain`` entries the method, no
    refresh, no expiry), so that a row binds 4 values (:func:`_plain_rows`), or 7 (:func:`_entry_rows`),
    instead of the 13 of :data:`_INSERT_ITEM`: every bound value is a call into SQLite, under its
    connection's mutex (about 1,000 instructions a value)."""
    if status not in _KEPT:
        raise ValueError(f"not a status of entry rows: {status!r}")
    batch = "NULL" if batch_id is None else str(int(batch_id))
    method, refresh, expires = (f"'{_INSERT}'", "0", "NULL") if plain else ("?", "?", "?")
    return (
        "INSERT OR REPLACE INTO items (run_id, position, key, product_id, method, batch_id, digest, status,"  # noqa: S608
        f" refresh, expires_at) VALUES ({int(run_id)}, ?, ?, ?, {method}, {batch}, NULLIF(?, x''), '{status}',"
        f" {refresh}, {expires})"
    )


def _plain_rows(batch: Iterable[PreparedEntry]) -> Iterator[tuple[Any, ...]]:
    """The rows of a plain batch's :func:`_entry_insert`."""
    for e in batch:
        yield (e.position, e.key, e.product_id, bytearray(e.digest or b""))


def _entry_rows(batch: Iterable[PreparedEntry], refreshes: Container[int]) -> Iterator[tuple[Any, ...]]:
    """The rows of :func:`_entry_insert`, with the stand-ins of :data:`_INSERT_ITEM` (no digest, no expiry)."""
    for e in batch:
        yield (e.position, e.key, e.product_id, e.method, bytearray(e.digest or b""), int(e.position in refreshes),
               _NO_TIME if e.expires is None else e.expires)  # fmt: skip


def _other_rows(run_id: int, settled: Settled) -> Iterator[tuple[Any, ...]]:
    """The rows of inputs settled otherwise than kept: refused by the SDK, or superseded in the open batch."""
    for r in settled.rejected:
        key = product_key(r.product_id) if r.product_id is not None else None
        yield (run_id, r.position, key, r.product_id, None, _NO_BATCH, bytearray(), _REJECTED,
               "client", issues_json(r.issues) or _NO_TEXT, _NO_TEXT, 0, _NO_TIME)  # fmt: skip
    for e in settled.superseded:
        yield _superseded(run_id, e, None, False, None)


def _newest(kept: Iterable[PreparedEntry]) -> tuple[dict[str, int], int]:
    """Each key's latest position among the entries of a version to send or keep (a batch's, or
    unchanged ones), and how many entries there are (as many as keys: no key twice)."""
    newest: dict[str, int] = {}
    count = 0
    for e in kept:
        count += 1
        key, pos = e.key, e.position
        if pos > newest.get(key, -(2**63)):
            newest[key] = pos
    return newest, count


def _supersede_earlier(
    db: sqlite3.Connection, run_id: int, merchant_id: int, newest: dict[str, int], batch: Iterable[PreparedEntry]
) -> set[int]:
    """Earlier items of the run with the keys of ``newest`` become superseded; a version already sent
    (Criteo may hold it) makes its synced version unknown, so that the next delta push sends the product.
    Returns the unfinished batches holding an earlier line (of any status) of a product of ``batch``."""
    stale: list[tuple[str | None, int, int]] = []
    forget: list[str] = []
    blockers: set[int] = set()
    batch_keys: frozenset[str] | None = None  # made only when needed: most records find no earlier line
    for pos, key, pid, status, holder, holder_state, sends in db.execute(
        "SELECT i.position, i.key, i.product_id, i.status, i.batch_id, b.state, b.sends"  # noqa: S608
        " FROM items i INDEXED BY items_key LEFT JOIN batches b ON b.batch_id = i.batch_id"
        f" WHERE i.run_id = ? AND i.key {IN_JSON}",
        (run_id, json_list(newest)),
    ):
        if holder_state in _UNFINISHED:
            batch_keys = batch_keys if batch_keys is not None else frozenset(e.key for e in batch)
            if key in batch_keys:
                blockers.add(holder)
        if status not in _SENT_OR_KEPT or pos >= newest[key]:
            continue
        stale.append((_duplicate(pid, newest[key]), run_id, pos))
        if status in _SENT or (sends or 0) > 0:  # Criteo may hold that version
            forget.append(key)
    db.executemany(
        "UPDATE items SET status = 'superseded', stage = 'client', errors = ? WHERE run_id = ? AND position = ?",
        stale,
    )
    mark_unknown(db, merchant_id, forget)
    return blockers
