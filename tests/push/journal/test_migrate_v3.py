"""A version 3 state file, as the previous release wrote it, is migrated to version 4 in place.

Version 4 keeps item rows in a ``WITHOUT ROWID`` table keyed by run and position, and gives each batch
the span of positions its items lie in (``push/journal/span.py``) instead of an index of items by batch.
The file here is built with version 3's own DDL, holding a push interrupted mid-way: a batch done, one
accepted, one pending, an input refused by the SDK, and the synced rows of the done batch.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from pathlib import Path

import pytest

from criteo_catalog_sdk.errors import StateFileError
from criteo_catalog_sdk.push.journal import SCHEMA_VERSION, Journal
from criteo_catalog_sdk.push.journal import db as db_module
from criteo_catalog_sdk.push.reconcile import reconcile
from criteo_catalog_sdk.report import Report

from .conftest import V3_SCHEMA, M, ins, ok_report


def write_v3_file(path: Path) -> None:
    a, b, c, d, e = ins(1, "A"), ins(2, "B"), ins(4, "C"), ins(5, "D"), ins(6, "E")
    db = sqlite3.connect(path)
    db.executescript(V3_SCHEMA)
    db.execute("INSERT INTO meta VALUES ('schema_version', '3')")
    db.execute("INSERT INTO runs (run_id, merchant_id, input_pos, started_at) VALUES (1, ?, 6, 0)", (M,))
    for batch_id, state, token, n in ((1, "done", "tok-1", 2), (2, "accepted", "tok-2", 2), (3, "pending", None, 1)):
        db.execute(
            "INSERT INTO batches (batch_id, run_id, state, token, n_entries, n_bytes, created_at)"
            " VALUES (?, 1, ?, ?, ?, 0, 0)",
            (batch_id, state, token, n),
        )
    for batch_id, entries in ((2, (c, d)), (3, (e,))):  # raw bodies still read (bodies.stored_body)
        db.execute(
            "INSERT INTO bodies VALUES (?, ?)", (batch_id, b'{"entries":[' + b",".join(x.data for x in entries) + b"]}")
        )
    rows = [(1, a, 1, "upserted"), (2, b, 1, "upserted"), (4, c, 2, "queued"), (5, d, 2, "queued"), (6, e, 3, "queued")]
    for position, entry, batch_id, status in rows:
        db.execute(
            "INSERT INTO items (run_id, position, key, product_id, method, batch_id, digest, status)"
            " VALUES (1, ?, ?, ?, 'insert', ?, ?, ?)",
            (position, entry.key, entry.product_id, batch_id, entry.digest, status),
        )
    issue = json.dumps([{"type": "WrongType", "message": "title: not a string", "field": "title"}])
    db.execute(
        "INSERT INTO items (run_id, position, key, product_id, status, stage, errors) VALUES (1, 3, 'x', 'X',"
        " 'rejected', 'client', ?)",
        (issue,),
    )
    for entry in (a, b):
        db.execute("INSERT INTO synced VALUES (?, ?, ?, ?, 0, NULL)", (M, entry.key, entry.product_id, entry.digest))
    db.commit()
    db.close()


@pytest.mark.parametrize("interrupted", [False, True])
def test_a_version_3_file_is_migrated_and_its_push_resumes(
    path: Path, interrupted: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_v3_file(path)
    if interrupted:  # the migration fails half-way (a full disk, Ctrl-C): nothing of it is kept
        monkeypatch.setattr(db_module, "_ITEMS_TABLE", "CREATE TABLE items (")
        with pytest.raises(StateFileError):
            Journal(path)
        monkeypatch.undo()
    with Journal(path) as j:
        run = j.runs.start(M)
        assert run.resumed and (run.run_id, run.input_pos) == (1, 6)
        assert [(o.position, o.status) for o in j.outcomes.iterate(1)] == [
            (1, "upserted"), (2, "upserted"), (3, "rejected"), (4, "pending"), (5, "pending"), (6, "pending"),
        ]  # fmt: skip
        assert [o.position for o in j.outcomes.iterate(1, rejected_only=True)] == [3]
        assert j.batches.blockers(3) == frozenset()
        assert j.batches.prepare(3) == (b'{"entries":[' + ins(6, "E").data + b"]}", 1)
        assert [e.product_id for e in j.batches.entries(2)] == ["C", "D"]
        report = Report(ok_report(2))
        j.outcomes.apply(2, report, functools.partial(reconcile, report))
        summary = j.outcomes.summary(1)
        assert (summary.upserted, summary.rejected, summary.pending, summary.total) == (4, 1, 1, 6)
        assert set(j.synced.lookup(M, ["a", "b", "c", "d", "e"])) == {"a", "b", "c", "d"}
    db = sqlite3.connect(path)
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    spans = db.execute("SELECT batch_id, first_position, last_position FROM batches ORDER BY batch_id").fetchall()
    assert spans == [(1, 1, 2), (2, 4, 5), (3, 6, 6)]
    tables = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index')").fetchall())
    assert "WITHOUT ROWID" in tables["items"] and "items_batch" not in tables and "items_v3" not in tables
    db.close()
