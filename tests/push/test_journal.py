from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from criteo_catalog_sdk.push.journal import Journal, JournalError
from criteo_catalog_sdk.push.result import Issue
from criteo_catalog_sdk.push.wire import EntryBuilder, PreparedEntry, Rejected

from .conftest import ROOT, product

M = 4242
B = EntryBuilder(M)


def ins(pos: int, pid: str, **over: Any) -> PreparedEntry:
    e = B.insert(pos, product(id=pid, **over))
    assert isinstance(e, PreparedEntry)
    return e


def dele(pos: int, pid: str) -> PreparedEntry:
    e = B.delete(pos, pid)
    assert isinstance(e, PreparedEntry)
    return e


def ok_report(n: int = 0, **kw: Any) -> dict[str, Any]:
    return {
        "status": "VALIDATED",
        "numberOfProductsUpserted": str(n),
        "numberOfProductsDeleted": "0",
        "errorDetails": [],
        **kw,
    }


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "state.sqlite3"


def test_a_recorded_batch_survives_reopening_byte_for_byte(path: Path) -> None:
    entries = [ins(1, "A"), ins(2, "B"), dele(3, "C")]
    with Journal(path) as j:
        run = j.start_run(M)
        bid = j.record(run.run_id, batch=entries, input_pos=3)
        assert bid is not None
    with Journal(path) as j:
        run2 = j.start_run(M)
        assert run2.resumed and run2.run_id == run.run_id and run2.input_pos == 3
        assert j.pending_batches(run.run_id) == [bid]
        assert j.batch_entries(bid) == entries
        body = j.prepare_send(bid)
        assert body == b'{"entries":[' + b",".join(e.data for e in entries) + b"]}"
        assert j.batch(bid).sends == 1 and j.batch(bid).n_bytes == len(body)
        assert j.batch_keys(bid) == ["a", "b", "c"]


def test_journal_is_in_wal_mode(path: Path) -> None:
    with Journal(path):
        pass
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_lifecycle_accepted_then_reported(path: Path) -> None:
    with Journal(path) as j:
        run = j.start_run(M).run_id
        bid = j.record(run, batch=[ins(1, "Ok"), ins(2, "Bad"), dele(3, "Gone")])
        assert bid is not None
        j.prepare_send(bid)
        j.mark_accepted(bid, "tok-1")
    with Journal(path) as j:  # crash after the 202: the token is there, nothing to resend
        assert j.pending_batches(run) == []
        assert j.accepted_batches(run) == [(bid, "tok-1")]
        assert [o.status for o in j.outcomes(run)] == ["pending"] * 3
        rec = j.apply_report(
            bid,
            {
                "status": "VALIDATED_WITH_ERRORS",
                "numberOfProductsUpserted": "1",
                "numberOfProductsDeleted": "1",
                "errorDetails": [
                    {
                        "productId": "bad",
                        "errors": [{"type": "MissingImages", "message": "m", "isServerRelated": False}],
                    }
                ],
                "warningDetails": [
                    {
                        "productId": "ok",
                        "warnings": [{"type": "InvalidBadgeUrl", "message": "w", "isServerRelated": False}],
                    }
                ],
            },
        )
        assert len(rec.outcomes) == 3
    with Journal(path) as j:
        assert j.accepted_batches(run) == []
        outs = list(j.outcomes(run))
        assert [(o.product_id, o.status, o.stage) for o in outs] == [
            ("Ok", "upserted", None),
            ("Bad", "rejected", "api"),
            ("Gone", "deleted", None),
        ]
        assert outs[0].warnings[0].type == "InvalidBadgeUrl"
        assert outs[1].errors[0].type == "MissingImages"
        # only the confirmed upsert is synced
        assert set(j.synced_hashes(M, ["ok", "bad", "gone"])) == {"ok"}
        assert j.synced_hashes(M, ["ok"])["ok"] == ins(1, "Ok").digest
        s = j.summary(run)
        assert (s.total, s.upserted, s.deleted, s.rejected_api, s.warned) == (3, 1, 1, 1, 1)
        assert j.batch(bid).state == "done"
        assert j.batch_entries(bid, live_only=False) == []  # entries freed once done


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
        run = j.start_run({M}).run_id
        p = {{"id": "A", "title": "t", "link": "https://x/a", "imageLink": "https://x/a.jpg"}}
        first = j.record(run, batch=[b.insert(1, p)], input_pos=1)
        j.prepare_send(first)
        j.mark_accepted(first, "tok-A")
        second = j.record(run, batch=[b.insert(2, dict(p, id="B"))], input_pos=2)
        j._db.execute("BEGIN IMMEDIATE")
        j._db.execute("UPDATE batches SET state = 'accepted', token = 'never' WHERE batch_id = ?", (second,))
        os._exit(3)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], check=False, timeout=60)
    assert proc.returncode == 3
    with Journal(path) as j:
        run = j.start_run(M)
        assert run.resumed and run.input_pos == 2
        assert [t for _, t in j.accepted_batches(run.run_id)] == ["tok-A"]
        (pending,) = j.pending_batches(run.run_id)
        assert [e.product_id for e in j.batch_entries(pending)] == ["B"]


def test_failed_transactions_roll_back(path: Path) -> None:
    with Journal(path) as j:
        run = j.start_run(M).run_id
        with pytest.raises(JournalError):
            j.record(run + 99, batch=[ins(1, "A")])
        assert j.pending_batches(run) == [] and list(j.outcomes(run)) == []


def test_runs_resume_or_restart(path: Path) -> None:
    with Journal(path) as j:
        r1 = j.start_run(M, options={"delta": True})
        assert not r1.resumed and r1.options == {"delta": True}
        assert j.start_run(M).run_id == r1.run_id
        assert j.start_run(M + 1).run_id != r1.run_id  # another merchant, another run
        r2 = j.start_run(M, resume=False)
        assert r2.run_id != r1.run_id and not j.run_info(r1.run_id).resumed
        j.finish_run(r2.run_id)
        assert j.start_run(M).run_id not in (r1.run_id, r2.run_id)


def test_later_duplicate_supersedes_an_unsent_one(path: Path) -> None:
    with Journal(path) as j:
        run = j.start_run(M).run_id
        b1 = j.record(run, batch=[ins(1, "A"), ins(2, "B")])
        b2 = j.record(run, batch=[ins(3, "a", title="Newer")])
        assert b1 is not None and b2 is not None
        assert [e.position for e in j.batch_entries(b1)] == [2]  # A is no longer sent by b1
        outs = {o.position: o for o in j.outcomes(run)}
        assert outs[1].status == "superseded" and outs[1].errors[0].type == "DuplicateId"
        b3 = j.record(run, batch=[ins(4, "B")])
        assert b3 is not None
        assert j.prepare_send(b1) is None  # nothing left: closed, never sent empty
        assert j.batch(b1).state == "done"


def test_later_duplicate_of_a_sent_product_forgets_its_hash(path: Path) -> None:
    with Journal(path) as j:
        run = j.start_run(M).run_id
        b1 = j.record(run, batch=[ins(1, "A")])
        assert b1 is not None
        j.prepare_send(b1)
        j.mark_accepted(b1, "t")
        j.apply_report(b1, ok_report(1))
        assert "a" in j.synced_hashes(M, ["a"])
        j.record(run, unchanged=[ins(5, "A")])  # later occurrence equal to the synced state...
        assert "a" not in j.synced_hashes(M, ["a"])  # ...but Criteo may hold the earlier one: resend next time
        assert [o.status for o in j.outcomes(run)] == ["superseded", "unchanged"]


def test_superseded_in_open_batch_and_rejected_and_unchanged_are_recorded(path: Path) -> None:
    with Journal(path) as j:
        run = j.start_run(M).run_id
        rej = Rejected(2, "X", (Issue("TooLong", "title", "title", 501, 500),))
        j.record(
            run, batch=[ins(3, "A")], superseded=[ins(1, "A")], rejected=[rej], unchanged=[ins(4, "U")], input_pos=4
        )
        outs = list(j.outcomes(run))
        assert [(o.position, o.status, o.stage) for o in outs] == [
            (1, "superseded", "client"),
            (2, "rejected", "client"),
            (3, "pending", None),
            (4, "unchanged", None),
        ]
        assert outs[1].errors[0].limit == 500
        assert j.run_info(run).input_pos == 4


def test_rerecording_a_position_after_resume_replaces_it(path: Path) -> None:
    with Journal(path) as j:
        run = j.start_run(M).run_id
        rej = Rejected(7, "X", (Issue("TooLong", "t"),))
        j.record(run, rejected=[rej])
        j.record(run, rejected=[rej])
        assert j.summary(run).total == 1


def test_split_after_413(path: Path) -> None:
    with Journal(path) as j:
        run = j.start_run(M).run_id
        bid = j.record(run, batch=[ins(1, "A", description="x" * 3000), ins(2, "B"), ins(3, "C")])
        assert bid is not None
        j.prepare_send(bid)
        halves = j.split(bid)
        assert halves is not None
        first, second = halves
        assert [e.position for e in j.batch_entries(first)] == [1]
        assert [e.position for e in j.batch_entries(second)] == [2, 3]
        assert j.pending_batches(run) == [first, second]
        assert j.batch(bid).state == "split" and j.batch(first).parent_id == bid
        j.prepare_send(first)
        assert j.split(first) is None  # alone and still too large
        (o,) = [o for o in j.outcomes(run) if o.position == 1]
        assert (o.status, o.stage, o.errors[0].type) == ("rejected", "api", "PayloadTooLarge")
        with pytest.raises(JournalError):
            j.split(first)


def test_lost_report_resubmits_once(path: Path) -> None:
    with Journal(path) as j:
        run = j.start_run(M).run_id
        bid = j.record(run, batch=[ins(1, "A")])
        assert bid is not None
        j.prepare_send(bid)
        j.mark_accepted(bid, "t1")
        assert j.report_lost(bid) is True
        assert j.pending_batches(run) == [bid] and j.batch(bid).token is None
        assert j.prepare_send(bid) is not None
        j.mark_accepted(bid, "t2")
        assert j.report_lost(bid) is False
        (o,) = j.outcomes(run)
        assert (o.status, o.stage, o.errors[0].type) == ("rejected", "api", "ReportLost")
        assert j.batch(bid).state == "failed"


def test_mark_failed_rejects_the_products(path: Path) -> None:
    with Journal(path) as j:
        run = j.start_run(M).run_id
        bid = j.record(run, batch=[ins(1, "A"), ins(2, "B")])
        assert bid is not None
        j.mark_failed(bid, Issue("BatchRejected", "403 not-authorized"))
        assert j.summary(run).rejected_api == 2
        with pytest.raises(JournalError):
            j.mark_accepted(bid, "t")
        with pytest.raises(JournalError):
            j.prepare_send(bid)


def test_state_errors(path: Path) -> None:
    with Journal(path) as j:
        run = j.start_run(M).run_id
        bid = j.record(run, batch=[ins(1, "A")])
        assert bid is not None
        with pytest.raises(JournalError):
            j.apply_report(bid, ok_report())  # not accepted yet
        with pytest.raises(JournalError):
            j.report_lost(bid)
        j.mark_accepted(bid, "t")
        with pytest.raises(ValueError, match="terminal"):
            j.apply_report(bid, {"status": "IN_PROGRESS"})
        assert j.accepted_batches(run) == [(bid, "t")]  # the failed call changed nothing
        with pytest.raises(JournalError):
            j.batch(999)
        with pytest.raises(JournalError):
            j.run_info(999)


def test_a_sent_version_has_no_usable_hash_until_a_report_confirms_it(path: Path) -> None:
    with Journal(path) as j:
        run = j.start_run(M).run_id
        first = j.record(run, batch=[ins(1, "A"), ins(2, "B")])
        assert first is not None
        j.prepare_send(first)
        j.mark_accepted(first, "t1")
        j.apply_report(first, ok_report(2))
        j.finish_run(run)
        confirmed = j.synced_hashes(M, ["a", "b"])
        assert set(confirmed) == {"a", "b"}

        run2 = j.start_run(M).run_id
        second = j.record(run2, batch=[ins(1, "A", title="changed")])
        assert second is not None
        j.prepare_send(second)  # from here Criteo may hold the new version, whatever becomes of the report
        j.mark_failed(second, Issue("ReportExpired", "the report expired"))
        j.finish_run(run2)
        assert j.synced_hashes(M, ["a", "b"]) == {"b": confirmed["b"]}
        assert j.synced_count(M) == 2  # still known, so that delete_missing can remove it

        run3 = j.start_run(M).run_id
        j.record(run3, unchanged=[ins(2, "B")])
        j.mark_input_complete(run3)
        assert list(j.missing_products(run3)) == [("a", "A")]


def test_delta_state_and_missing_products(path: Path) -> None:
    with Journal(path) as j:
        run = j.start_run(M).run_id
        bid = j.record(run, batch=[ins(1, "A"), ins(2, "B"), ins(3, "C"), ins(4, "D")])
        assert bid is not None
        j.prepare_send(bid)
        j.mark_accepted(bid, "t")
        j.apply_report(bid, ok_report(4))
        j.finish_run(run)
        assert j.synced_count(M) == 4

        run2 = j.start_run(M).run_id
        # A unchanged, B rejected by the client (still present), C absent, D absent
        j.record(run2, unchanged=[ins(1, "A")], rejected=[Rejected(2, "B", (Issue("TooLong", "x"),))])
        with pytest.raises(JournalError, match="not read completely"):
            list(j.missing_products(run2))
        j.mark_input_complete(run2)
        assert list(j.missing_products(run2)) == [("c", "C"), ("d", "D")]
        with pytest.raises(JournalError, match="over 25%"):
            list(j.missing_products(run2, max_fraction=0.25))
        assert len(list(j.missing_products(run2, max_fraction=0.5))) == 2
        # recording the deletes makes the query idempotent (resume)
        bid2 = j.record(run2, batch=[dele(10, "C"), dele(11, "D")])
        assert bid2 is not None
        assert list(j.missing_products(run2)) == []
        j.prepare_send(bid2)
        j.mark_accepted(bid2, "t2")
        j.apply_report(bid2, {"status": "VALIDATED", "numberOfProductsDeleted": "2", "errorDetails": []})
        assert set(j.synced_hashes(M, ["a", "b", "c", "d"])) == {"a", "b"}
        j.forget_synced(M, ["a"])
        assert set(j.synced_hashes(M, ["a", "b"])) == {"b"}
        j.forget_synced(M)
        assert j.synced_count(M) == 0


def test_missing_products_refused_after_unreadable_lines(path: Path) -> None:
    with Journal(path) as j:
        run = j.start_run(M).run_id
        j.record(run, rejected=[Rejected(1, None, (Issue("ParseError", "line 1: invalid JSON"),))])
        j.mark_input_complete(run)
        with pytest.raises(JournalError, match="unreadable"):
            list(j.missing_products(run))


def test_result_export_streams_from_the_journal(path: Path, tmp_path: Path) -> None:
    with Journal(path) as j:
        run = j.start_run(M).run_id
        entries = [ins(i, f"P{i}") for i in range(1, 2501)]
        bid = j.record(run, batch=entries)
        assert bid is not None
        j.mark_accepted(bid, "t")
        j.apply_report(bid, ok_report(2500))
        r = j.result(run)
        assert r.summary.upserted == 2500 and r.merchant_id == M and r.ok
        r.to_json(tmp_path / "r.json")
        r.to_csv(tmp_path / "r.csv")
        d = json.loads((tmp_path / "r.json").read_text())
        assert [o["position"] for o in d["outcomes"]] == list(range(1, 2501))
        assert (tmp_path / "r.csv").read_text().count("\n") == 2501


def test_temporary_journal_is_removed() -> None:
    j = Journal()
    p = j.path
    assert os.path.exists(p)
    j.close()
    assert not os.path.exists(p)


def test_schema_version_is_checked(path: Path) -> None:
    Journal(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with pytest.raises(JournalError, match="schema 99"):
        Journal(path)


def test_finish_run_gives_back_the_space_of_sent_entries(path: Path) -> None:
    with Journal(path) as j:
        run = j.start_run(M).run_id
        bid = j.record(run, batch=[ins(i, f"P{i}", description="d" * 4000) for i in range(300)])
        assert bid is not None
        j.mark_accepted(bid, "t")
        j.apply_report(bid, ok_report(300))
        j._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = path.stat().st_size
        j.finish_run(run)
        j._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert path.stat().st_size < before / 2
        assert j.summary(run).upserted == 300
