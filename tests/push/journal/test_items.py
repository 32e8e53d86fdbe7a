"""Item rows: NULL where an entry lacks a value, and nothing sqlite3 must look for an adapter for."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.push.journal import Journal, Settled
from criteo_catalog_sdk.push.journal.items import _entry_rows, _other_rows, _plain_rows, _superseded
from criteo_catalog_sdk.push.wire import Rejected

from .conftest import M, dele, ins

#: What Python's sqlite3 binds without looking for an adapter (which costs a formatted exception).
BOUND_AS_THEY_ARE = (int, float, str, bytearray)


def test_what_an_entry_lacks_is_stored_as_null(path: Path) -> None:
    expiring = ins(3, "E", expirationDate="2027-01-01T00:00:00Z")
    plain, gone, unchanged, usual = ins(2, "P"), dele(4, "G"), ins(1, "U"), ins(6, "Q")
    rejected = Rejected(5, "R", (Issue("TooLong", "title", "title", 501, 500),))
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        settled = Settled(rejected=[rejected], unchanged=[unchanged])
        j.batches.record(run, batch=[plain, expiring, gone], settled=settled, input_pos=5)
        j.batches.record(run, batch=[usual], input_pos=6)  # upserts only, no expiry: the plain INSERT
    with sqlite3.connect(path) as db:
        rows = {
            pid: rest
            for pid, *rest in db.execute(
                "SELECT product_id, batch_id IS NULL, digest, stage, errors IS NULL, warnings, expires_at, method,"
                " status, refresh FROM items"
            )
        }
    assert rows["P"] == [0, plain.digest, None, 1, None, None, "insert", "queued", 0]
    assert rows["E"] == [0, expiring.digest, None, 1, None, expiring.expires, "insert", "queued", 0]
    assert rows["G"] == [0, None, None, 1, None, None, "delete", "queued", 0]  # a delete has no digest
    assert rows["U"] == [1, unchanged.digest, None, 1, None, None, "insert", "unchanged", 0]  # no batch
    assert rows["R"] == [1, None, "client", 0, None, None, None, "rejected", 0]
    assert rows["Q"] == [0, usual.digest, None, 1, None, None, "insert", "queued", 0]
    assert isinstance(rows["P"][1], bytes) and expiring.expires is not None


def test_the_rows_of_entries_bind_nothing_that_needs_an_adapter() -> None:
    batch = [ins(3, "P"), ins(4, "E", expirationDate="2027-01-01"), dele(5, "G")]
    rows = [
        *_other_rows(7, Settled(superseded=[ins(2, "S")])),  # superseded in the open batch
        *(_superseded(7, e, 9, True, 8) for e in batch),  # superseded by a later line of the same record
        *_entry_rows(batch, refreshes={3}),
        *_plain_rows([ins(6, "Q")]),
    ]
    assert len(rows) == 8
    for row in rows:
        assert all(type(value) in BOUND_AS_THEY_ARE for value in row), row
