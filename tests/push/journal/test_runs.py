from __future__ import annotations

from pathlib import Path

import pytest

from criteo_catalog_sdk.push.journal import Journal, JournalError

from .conftest import M, apply, ins, sent


def test_runs_resume_or_restart(path: Path) -> None:
    with Journal(path) as j:
        r1 = j.runs.start(M, options={"delta": True})
        assert not r1.resumed and r1.options == {"delta": True}
        assert j.runs.start(M).run_id == r1.run_id
        assert j.runs.start(M + 1).run_id != r1.run_id  # another merchant, another run
        r2 = j.runs.start(M, resume=False)
        assert r2.run_id != r1.run_id and not j.runs.get(r1.run_id).resumed
        j.runs.finish(r2.run_id)
        assert j.runs.start(M).run_id not in (r1.run_id, r2.run_id)
        with pytest.raises(JournalError):
            j.runs.get(999)


def test_finish_gives_back_the_space_of_sent_entries(path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        bid = j.batches.record(run, batch=[ins(i, f"P{i}", description="d" * 4000) for i in range(300)])
        assert bid is not None
        sent(j, bid)
        apply(j, bid, {"status": "VALIDATED", "numberOfProductsUpserted": "300", "errorDetails": []})
        j._db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = path.stat().st_size
        j.runs.finish(run)
        j._db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert path.stat().st_size < before / 2
        assert j.outcomes.summary(run).upserted == 300
