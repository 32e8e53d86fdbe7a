from __future__ import annotations

import os
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


def test_the_space_of_settled_batches_is_reused(path: Path) -> None:
    def push_once(j: Journal, offset: int) -> None:
        run = j.runs.start(M).run_id
        # Random text: a body that compression cannot shrink much (bodies are stored compressed).
        entries = [ins(offset + i, f"P{offset + i}", description=os.urandom(2000).hex()) for i in range(300)]
        bid = j.batches.record(run, batch=entries).batch_id
        assert bid is not None
        sent(j, bid)
        apply(j, bid, {"status": "VALIDATED", "numberOfProductsUpserted": "300", "errorDetails": []})
        j.runs.finish(run)
        j._db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    with Journal(path) as j:
        push_once(j, 0)
        first = path.stat().st_size
        for round_ in range(1, 4):
            push_once(j, round_ * 1000)
        assert path.stat().st_size < first * 1.5  # three more pushes of 0.6 MB bodies: pages reused
        assert j.outcomes.summary(1).upserted == 300
