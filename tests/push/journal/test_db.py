"""The state file: checked before anything is sent, versioned, migrated, crash-safe."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from criteo_catalog_sdk.body import CompressedBody
from criteo_catalog_sdk.errors import StateFileError
from criteo_catalog_sdk.push.journal import SCHEMA_VERSION, Journal, check_readable
from criteo_catalog_sdk.push.journal import db as db_module
from criteo_catalog_sdk.push.states import BatchState
from criteo_catalog_sdk.push.wire import PreparedEntry

from ..conftest import ROOT
from .conftest import V3_SCHEMA, M, ins


def set_schema_version(path: Path, version: int) -> None:
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
    db.commit()
    db.close()


def test_journal_is_in_wal_mode(path: Path) -> None:
    Journal(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    db.close()


def test_a_temporary_journal_writes_its_pages_once_and_still_rolls_back() -> None:
    j = Journal()  # no state file: nothing resumes from it, so no WAL (pages written once, no checkpoints)
    try:
        conn = j._db.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "memory"
        run = j.runs.start(M).run_id
        with pytest.raises(RuntimeError), j._db.tx() as db:
            db.execute("UPDATE runs SET input_pos = 99 WHERE run_id = ?", (run,))
            raise RuntimeError("a failure inside a transaction")
        assert j.runs.get(run).input_pos == 0
        assert j.batches.record(run, batch=[ins(1, "A")]).batch_id is not None
        assert not [n for n in os.listdir(os.path.dirname(j.path)) if n.endswith("-wal")]
    finally:
        j.close()


def test_temporary_journal_is_removed() -> None:
    j = Journal()
    p = j.path
    assert os.path.exists(p)
    j.close()
    assert not os.path.exists(p)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b"this is not a database, just text\n" * 100), "not an SQLite file"),
        (lambda p: None, "does not exist"),  # the path below points into a missing directory
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE other (x)").connection.commit(), "not a criteo-catalog"),
    ],
)
def test_unusable_state_files_are_refused_naming_the_path_and_the_reason(path: Path, make: object, reason: str) -> None:
    target = path if reason != "does not exist" else path.parent / "missing" / "state.sqlite3"
    make(target)  # type: ignore[operator]
    with pytest.raises(StateFileError) as caught:
        Journal(target)
    assert str(target) in str(caught.value) and reason in str(caught.value)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b"this is not a database, just text\n" * 100), "not an SQLite file"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE other (x)").connection.commit(), "not a criteo-catalog"),
    ],
)
def test_check_readable_refuses_what_a_push_would(path: Path, make: object, reason: str) -> None:
    make(path)  # type: ignore[operator]
    with pytest.raises(StateFileError, match=reason):
        check_readable(path)
    with pytest.raises(StateFileError, match=reason):
        Journal(path)


def test_check_readable_accepts_a_new_or_older_state_and_changes_nothing(path: Path) -> None:
    check_readable(path)  # missing: a new state
    assert not path.exists()
    Journal(path).close()
    set_schema_version(path, 2)
    before = path.read_bytes()
    check_readable(path)  # an older schema reads (a push would migrate it; the check does not)
    assert path.read_bytes() == before
    set_schema_version(path, 99)
    with pytest.raises(StateFileError, match="schema 99"):
        check_readable(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write read-only files")
def test_a_read_only_state_file_is_refused(path: Path) -> None:  # pragma: no cover - CI runs as root
    Journal(path).close()
    path.chmod(stat.S_IRUSR)
    with pytest.raises(StateFileError, match="writable"):
        Journal(path)


def test_a_newer_schema_is_refused(path: Path) -> None:
    Journal(path).close()
    set_schema_version(path, 99)
    with pytest.raises(StateFileError, match="schema 99"):
        Journal(path)


def write_v1_file(path: Path) -> tuple[PreparedEntry, PreparedEntry]:
    """A push interrupted by the first release: a batch pending, one accepted, entries kept per item."""
    pending, accepted = ins(1, "A"), ins(2, "B")
    db = sqlite3.connect(path)
    db.executescript(
        V3_SCHEMA + "ALTER TABLE items DROP COLUMN refresh; ALTER TABLE items DROP COLUMN expires_at;"
        " ALTER TABLE synced DROP COLUMN expires_at; DROP TABLE bodies; ALTER TABLE items ADD COLUMN entry BLOB;"
        " INSERT INTO meta VALUES ('schema_version', '1');"
        f" INSERT INTO runs (run_id, merchant_id, started_at) VALUES (1, {M}, 0);"
        " INSERT INTO batches (batch_id, run_id, state, n_entries, n_bytes, created_at)"
        " VALUES (1, 1, 'pending', 1, 0, 0);"
        " INSERT INTO batches (batch_id, run_id, state, n_entries, n_bytes, created_at, token)"
        " VALUES (2, 1, 'accepted', 1, 0, 0, 'tok');"
    )
    for batch_id, (e, status) in enumerate(((pending, "queued"), (accepted, "accepted")), start=1):
        db.execute(
            "INSERT INTO items (run_id, position, key, product_id, method, batch_id, digest, status, entry)"
            " VALUES (1, ?, ?, ?, 'insert', ?, ?, ?, ?)",
            (e.position, e.key, e.product_id, batch_id, e.digest, status, e.data),
        )
    db.commit()
    db.close()
    return pending, accepted


@pytest.mark.parametrize("interrupted", [False, True])
def test_a_version_1_file_is_migrated(path: Path, interrupted: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    pending, accepted = write_v1_file(path)
    if interrupted:  # the last step fails (a full disk, Ctrl-C): the steps before it must not run again
        monkeypatch.setattr(db_module, "_ITEMS_TABLE", "CREATE TABLE items (")
        with pytest.raises(StateFileError):
            Journal(path)
        monkeypatch.undo()
    with Journal(path) as j:  # a pushed interrupted by the first release resumes with this one
        run = j.runs.start(M)
        assert run.resumed and run.run_id == 1
        prepared = j.batches.prepare(1)
        assert prepared is not None and bytes(prepared[0]) == b'{"entries":[' + pending.data + b"]}"
        assert [e.data for e in j.batches.entries(2)] == [accepted.data]
        assert [o.status for o in j.outcomes.iterate(1)] == ["pending", "pending"]
        assert j.batches.record(run.run_id, batch=[ins(3, "C", expirationDate="2030-01-01")]).batch_id is not None
    db = sqlite3.connect(path)
    assert db.execute("SELECT value FROM meta").fetchone()[0] == str(SCHEMA_VERSION)
    assert db.execute("SELECT expires_at FROM items WHERE position = 3").fetchone()[0] > 0
    db.close()


def test_bodies_are_stored_compressed_and_sent_as_recorded(path: Path) -> None:
    entries = [ins(i, f"P{i}", description="the same long text " * 20) for i in range(1, 51)]
    body = b'{"entries":[' + b",".join(e.data for e in entries) + b"]}"
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        batch_id = j.batches.record(run, batch=entries).batch_id
        assert batch_id is not None
        (stored,) = j._db.conn.execute("SELECT body FROM bodies WHERE batch_id = ?", (batch_id,)).fetchone()
        assert bytes(stored[:4]) == b"\x28\xb5\x2f\xfd" and len(stored) * 10 < len(body)  # a zstd frame
        prepared = j.batches.prepare(batch_id)
        assert prepared is not None and isinstance(prepared[0], CompressedBody)  # sent as it decompresses
        assert (bytes(prepared[0]), len(prepared[0]), prepared[1]) == (body, len(body), 50)
        assert [e.data for e in j.batches.entries(batch_id)] == [e.data for e in entries]


def test_a_version_2_file_with_raw_bodies_resumes(path: Path) -> None:
    pending = ins(1, "A")
    raw = b'{"entries":[' + pending.data + b"]}"
    batch_id = 1
    db = sqlite3.connect(path)  # as version 2 left it: version 3's layout, the body stored as it is sent
    db.executescript(V3_SCHEMA)
    db.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    db.execute("INSERT INTO runs (run_id, merchant_id, started_at) VALUES (1, ?, 0)", (M,))
    db.execute(
        "INSERT INTO batches (batch_id, run_id, state, n_entries, n_bytes, created_at)"
        " VALUES (1, 1, 'pending', 1, 0, 0)"
    )
    db.execute("INSERT INTO bodies VALUES (1, ?)", (raw,))
    db.execute(
        "INSERT INTO items (run_id, position, key, product_id, method, batch_id, digest, status)"
        " VALUES (1, 1, ?, ?, 'insert', 1, ?, 'queued')",
        (pending.key, pending.product_id, pending.digest),
    )
    db.commit()
    db.close()
    with Journal(path) as j:
        run_info = j.runs.start(M)
        assert run_info.resumed
        assert j.batches.prepare(batch_id) == (raw, 1)
        assert [e.data for e in j.batches.entries(batch_id)] == [pending.data]
    db = sqlite3.connect(path)
    assert db.execute("SELECT value FROM meta").fetchone()[0] == str(SCHEMA_VERSION)
    db.close()


def test_a_crash_mid_transaction_leaves_the_last_commit(path: Path) -> None:
    """A real process dies (os._exit) after one commit and inside the next transaction."""
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from criteo_catalog_sdk.push.journal import Journal
        from criteo_catalog_sdk.push.wire import EntryBuilder
        b = EntryBuilder({M})
        j = Journal({str(path)!r})
        run = j.runs.start({M}).run_id
        p = {{"id": "A", "title": "t", "link": "https://x/a", "imageLink": "https://x/a.jpg"}}
        first = j.batches.record(run, batch=[b.insert(1, p)], input_pos=1).batch_id
        j.batches.prepare(first)
        j.batches.accepted(first, "tok-A")
        second = j.batches.record(run, batch=[b.insert(2, dict(p, id="B"))], input_pos=2).batch_id
        conn = j._db.conn
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE batches SET state = 'accepted', token = 'never' WHERE batch_id = ?", (second,))
        os._exit(3)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], check=False, timeout=60)
    assert proc.returncode == 3
    with Journal(path) as j:
        run = j.runs.start(M)
        assert run.resumed and run.input_pos == 2
        assert [b.token for b in j.batches.in_states(run.run_id, BatchState.ACCEPTED)] == ["tok-A"]
        (pending,) = j.batches.in_states(run.run_id, BatchState.PENDING)
        assert [e.product_id for e in j.batches.entries(pending.batch_id)] == ["B"]


def test_an_sqlite_without_json_functions_is_refused_before_anything(path: Path) -> None:
    class NoJson:  # an SQLite built without JSON1 answers json_each with "no such table"
        def execute(self, sql: str, *args: object) -> object:
            raise sqlite3.OperationalError("no such table: json_each")

    with pytest.raises(StateFileError, match=r"no JSON functions \(json_each\)"):
        db_module._check_sqlite(NoJson(), str(path))  # type: ignore[arg-type]
    db_module._check_sqlite(sqlite3.connect(":memory:"), str(path))  # this one has them
