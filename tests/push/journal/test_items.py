"""Item rows: NULL where an entry lacks a value, and nothing sqlite3 must look for an adapter for."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.push.journal import Journal, Settled
from criteo_catalog_sdk.push.journal.items import _rows
from criteo_catalog_sdk.push.wire import Rejected

from .conftest import M, dele, ins

#: What Python's sqlite3 binds without looking for an adapter (which costs a formatted exception).
BOUND_AS_THEY_ARE = (int, float, str, bytearray)


def test_what_an_entry_lacks_is_stored_as_null(path: Path) -> None:
    expiring = ins(3, "E", expirationDate="2027-01-01T00:00:00Z")
    plain, gone, unchanged = ins(2, "P"), dele(4, "G"), ins(1, "U")
    rejected = Rejected(5, "R", (Issue("TooLong", "title", "title", 501, 500),))
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        settled = Settled(rejected=[rejected], unchanged=[unchanged])
        j.batches.record(run, batch=[plain, expiring, gone], settled=settled, input_pos=5)
    with sqlite3.connect(path) as db:
        rows = {
            pid: rest
            for pid, *rest in db.execute(
                "SELECT product_id, batch_id IS NULL, digest, stage, errors IS NULL, warnings, expires_at FROM items"
            )
        }
    assert rows["P"] == [0, plain.digest, None, 1, None, None]
    assert rows["E"] == [0, expiring.digest, None, 1, None, expiring.expires]
    assert rows["G"] == [0, None, None, 1, None, None]  # a delete has no digest
    assert rows["U"] == [1, unchanged.digest, None, 1, None, None]  # settled: no batch
    assert rows["R"] == [1, None, "client", 0, None, None]
    assert isinstance(rows["P"][1], bytes) and expiring.expires is not None


def test_the_rows_of_entries_bind_nothing_that_needs_an_adapter() -> None:
    settled = Settled(unchanged=[ins(1, "U")], superseded=[ins(2, "S")])
    batch = [ins(3, "P"), ins(4, "E", expirationDate="2027-01-01"), dele(5, "G")]
    rows = list(_rows(7, 9, batch, settled, refreshes={3}))
    assert len(rows) == 5
    for row in rows:
        assert all(type(value) in BOUND_AS_THEY_ARE for value in row), row
