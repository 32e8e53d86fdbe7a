"""The outcome of every input: stored from a batch's final report, read back as results and counts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Final

from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.push.journal.batches import _merchant, _move, _state
from criteo_catalog_sdk.push.journal.db import Database
from criteo_catalog_sdk.push.journal.items import issues_json
from criteo_catalog_sdk.push.journal.span import IN_BATCH, batch_span
from criteo_catalog_sdk.push.journal.synced import confirm
from criteo_catalog_sdk.push.reconcile import EntryRef, Reconciliation, entry_refs, names_entries
from criteo_catalog_sdk.push.result import ProductOutcome, Stage, Summary
from criteo_catalog_sdk.push.states import LIVE, PUBLIC_STATUS, BatchEvent, ItemStatus, sql_values
from criteo_catalog_sdk.report import Report

__all__ = ["Outcomes"]

_LIVE_SQL: Final = sql_values(LIVE)
_LIVE_REFS: Final = (
    "SELECT position, key, product_id, method FROM items"  # noqa: S608 - fixed names
    f" WHERE {IN_BATCH} AND status IN {_LIVE_SQL} ORDER BY position"
)
_REJECTED_SQL: Final = sql_values((ItemStatus.REJECTED,))
_PAGE: Final = 2000
Reconcile = Callable[[list[EntryRef]], Reconciliation]


def _issues_from(text: str | None) -> tuple[Issue, ...]:
    if not text:
        return ()
    return tuple(Issue.from_dict(d) for d in json.loads(text))


class Outcomes:
    """Per-input outcomes and the run's counts."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def apply(self, batch_id: int, report: Report, reconcile: Reconcile) -> Reconciliation:
        """Store a batch's final report: ``reconcile`` (the pipeline's decision, given the batch's live
        entries) says each entry's outcome; confirmed upserts and deletes update the delta state; the
        batch is done. Entries superseded meanwhile keep that status and change no synced row."""
        with self._db.tx() as db:
            state = _state(db, batch_id)
            span = batch_span(db, batch_id)
            run_id = span.run_id
            refs = (
                entry_refs(db.execute(_LIVE_REFS, span.params))  # rare: only reports that name products
                if names_entries(report)
                else []
            )
            rec = reconcile(refs)
            now = self._db.clock()
            # Outcomes beyond "applied, nothing to say" one by one; the rest of the batch in one statement.
            special = [
                (o.status, o.status, "api" if o.status == "rejected" else None, issues_json(o.errors),
                 issues_json(o.warnings), run_id, o.position)
                for o in rec.special
            ]  # fmt: skip
            db.executemany(
                "UPDATE items SET status = CASE WHEN ? = 'upserted' AND refresh THEN 'refreshed' ELSE ? END,"
                " stage = ?, errors = ?, warnings = ? WHERE run_id = ? AND position = ?",
                special,
            )
            db.execute(
                "UPDATE items SET status = CASE WHEN method = 'delete' THEN ? WHEN refresh THEN ? ELSE ? END"  # noqa: S608
                f" WHERE {IN_BATCH} AND status IN {_LIVE_SQL}",
                (ItemStatus.DELETED.value, ItemStatus.REFRESHED.value, ItemStatus.UPSERTED.value, *span.params),
            )
            confirm(db, _merchant(db, run_id), span, now)
            _move(db, batch_id, state, BatchEvent.REPORTED, now)
            db.execute("UPDATE batches SET report = ? WHERE batch_id = ?", (report.to_json(), batch_id))
            return rec

    def iterate(self, run_id: int, *, rejected_only: bool = False) -> Iterator[ProductOutcome]:
        """Every recorded input of the run, by position; inputs still in flight are ``pending``.
        ``rejected_only``: only the rejected ones, picked by SQLite (a push's rejections, out of millions
        of rows, without a Python object per row)."""
        last = -(2**63)
        only = f" AND status IN {_REJECTED_SQL}" if rejected_only else ""
        while True:
            with self._db.read() as db:
                page = db.execute(
                    "SELECT position, product_id, status, stage, errors, warnings FROM items"  # noqa: S608
                    f" WHERE run_id = ? AND position > ?{only} ORDER BY position LIMIT ?",
                    (run_id, last, _PAGE),
                ).fetchall()
            if not page:
                return
            for pos, pid, status, stage, errors, warnings in page:
                st: Stage | None = "api" if stage == "api" else "client" if stage == "client" else None
                yield ProductOutcome(pos, pid, PUBLIC_STATUS[status], st, _issues_from(errors), _issues_from(warnings))
            last = page[-1][0]

    def summary(self, run_id: int) -> Summary:
        """Counts of the run's outcomes, computed in SQL."""
        with self._db.read() as db:
            rows = db.execute(
                "SELECT status, stage, COUNT(*), SUM(warnings IS NOT NULL) FROM items WHERE run_id = ?"
                " GROUP BY status, stage",
                (run_id,),
            ).fetchall()
        counts: dict[str, int] = {}
        total = warned = client = api = 0
        for status, stage, n, w in rows:
            total += n
            warned += w or 0
            public = PUBLIC_STATUS[status]
            counts[public] = counts.get(public, 0) + n
            if status == ItemStatus.REJECTED:
                api, client = (api + n, client) if stage == "api" else (api, client + n)
        return Summary(
            total=total,
            upserted=counts.get("upserted", 0),
            refreshed=counts.get("refreshed", 0),
            deleted=counts.get("deleted", 0),
            rejected_client=client,
            rejected_api=api,
            warned=warned,
            superseded=counts.get("superseded", 0),
            unchanged=counts.get("unchanged", 0),
            pending=counts.get("pending", 0),
        )
