"""The runs of the journal: one per push of a merchant; an unfinished one is resumed by the next push."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from criteo_catalog_sdk.push.journal.db import Database, rowid
from criteo_catalog_sdk.push.states import JournalError

__all__ = ["RunInfo", "Runs"]


class RunInfo(NamedTuple):
    """A run of a push: new, or resumed from an unfinished one of the same merchant.

    ``input_pos``: inputs at positions up to it are recorded (a resumed run skips them when it reads the
    feed again); ``input_complete``: the whole input was read.
    """

    run_id: int
    merchant_id: int
    resumed: bool
    input_pos: int
    input_complete: bool
    options: Mapping[str, Any]


class Runs:
    """Starting, resuming and finishing runs."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def start(self, merchant_id: int, *, resume: bool = True, options: Mapping[str, Any] | None = None) -> RunInfo:
        """Resume the merchant's unfinished run if there is one (and ``resume``), else start a new one.

        Starting a new run abandons an unfinished one: it is marked finished, its pending items stay
        ``pending`` in its own result.
        """
        with self._db.tx() as db:
            row = db.execute(
                "SELECT run_id, input_pos, input_complete, options FROM runs"
                " WHERE merchant_id = ? AND state = 'running' ORDER BY run_id DESC LIMIT 1",
                (merchant_id,),
            ).fetchone()
            if row is not None and resume:
                return RunInfo(row[0], merchant_id, True, row[1], bool(row[2]), json.loads(row[3] or "{}"))
            now = self._db.clock()
            db.execute(
                "UPDATE runs SET state = 'finished', finished_at = ? WHERE merchant_id = ? AND state = 'running'",
                (now, merchant_id),
            )
            opts = dict(options or {})
            cur = db.execute(
                "INSERT INTO runs (merchant_id, options, started_at) VALUES (?, ?, ?)",
                (merchant_id, json.dumps(opts, default=str), now),
            )
            return RunInfo(rowid(cur), merchant_id, False, 0, False, opts)

    def get(self, run_id: int) -> RunInfo:
        """The current state of a run (``resumed`` here means: still running)."""
        with self._db.read() as db:
            row = db.execute(
                "SELECT merchant_id, input_pos, input_complete, options, state FROM runs WHERE run_id = ?", (run_id,)
            ).fetchone()
        if row is None:
            raise JournalError(f"no run {run_id}")
        return RunInfo(run_id, row[0], row[4] == "running", row[1], bool(row[2]), json.loads(row[3] or "{}"))

    def input_complete(self, run_id: int) -> None:
        """The whole input was read (deleting missing products may now be judged)."""
        with self._db.tx() as db:
            db.execute("UPDATE runs SET input_complete = 1 WHERE run_id = ?", (run_id,))

    def finish(self, run_id: int) -> None:
        """Close the run: the next push of the merchant starts afresh. (The space of the run's request
        bodies, freed as its batches settled, is reused by later pushes: the file stays at about one
        push's worth of in-flight batches plus its outcomes.)"""
        with self._db.tx() as db:
            db.execute(
                "UPDATE runs SET state = 'finished', finished_at = ? WHERE run_id = ?", (self._db.clock(), run_id)
            )
