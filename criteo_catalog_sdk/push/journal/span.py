"""Where a batch's item rows lie: its run, and the span of input positions its entries came from.

Item rows are stored in the order of their key, ``(run_id, position)`` (a ``WITHOUT ROWID`` table since
schema 4), and a batch's entries are inputs of one run, so the rows of a batch lie between its first and
last positions. The statements about one batch's items (count them, store their outcomes, confirm
their synced versions) read that one stretch of the table instead of an index of batch ids: every item
then costs one B-tree fewer to write, and no lookup from an index entry to its row to read.

A batch's span is set when it is recorded (and for each part of a split, from the part's entries); an
item only ever gets a batch id together with a position in that batch's span. A span is a bound, not
the test: the statements still say ``batch_id = ?``, so an input of a later batch inside the span
(a refused or unchanged one, settled without a batch) is skipped.
"""

from __future__ import annotations

import sqlite3
from typing import Final, NamedTuple

from criteo_catalog_sdk.push.states import JournalError

__all__ = ["IN_BATCH", "Span", "batch_span", "in_batch"]


def in_batch(alias: str = "") -> str:
    """The items of one batch, for ``WHERE`` (of table ``alias``, if given): takes :meth:`Span.params`."""
    t = f"{alias}." if alias else ""
    return f"{t}run_id = ? AND {t}position BETWEEN ? AND ? AND {t}batch_id = ?"


#: :func:`in_batch` of the items table itself.
IN_BATCH: Final = in_batch()


class Span(NamedTuple):
    """A batch's run and the first and last input positions of its entries."""

    batch_id: int
    run_id: int
    first: int | None  # None: a batch with no items (a split's parent in a file migrated from version 3)
    last: int | None

    @property
    def params(self) -> tuple[int, int | None, int | None, int]:
        """The values of :data:`IN_BATCH`."""
        return (self.run_id, self.first, self.last, self.batch_id)


def batch_span(db: sqlite3.Connection, batch_id: int) -> Span:
    """The span of a journaled batch; a :class:`JournalError` if there is no such batch."""
    row = db.execute(
        "SELECT run_id, first_position, last_position FROM batches WHERE batch_id = ?", (batch_id,)
    ).fetchone()
    if row is None:
        raise JournalError(f"no batch {batch_id}")
    return Span(batch_id, row[0], row[1], row[2])
