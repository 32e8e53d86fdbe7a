"""The push journal and delta state, in one SQLite file (the ``state`` of a push), split by concern.

- :mod:`.db`: the connection, the schema and its version, transactions (checked on open);
- :mod:`.runs`: one run per push of a merchant, resumed after an interruption;
- :mod:`.batches`: batches recorded before they are sent, then accepted, split, failed or done;
- :mod:`.synced`: what Criteo is known to hold (delta sync, refreshes, ``delete_missing``);
- :mod:`.outcomes`: each input's outcome from the reports; the run's results and counts.

Crash safety comes from the order of commits, each one a single transaction: a batch is recorded
(with the inputs settled since the previous one and the resume point) before its request leaves; its
operation token as soon as the 202 arrives; its report's outcomes when final. A crash between the first
two leaves it pending: it is sent again (an upsert twice is harmless); between the last two it is
accepted: its report is polled. WAL mode keeps readers off the writer's back; ``synchronous=NORMAL``
survives a process crash (``durable=True``: ``FULL``, which also survives power loss). Per-input
outcomes live in the file, not in memory: a push of millions of products runs in flat memory.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from criteo_catalog_sdk.push.journal.batches import Batches, BatchInfo
from criteo_catalog_sdk.push.journal.db import SCHEMA_VERSION, Database, check_readable
from criteo_catalog_sdk.push.journal.items import Settled
from criteo_catalog_sdk.push.journal.outcomes import Outcomes
from criteo_catalog_sdk.push.journal.runs import RunInfo, Runs
from criteo_catalog_sdk.push.journal.synced import UNKNOWN_DIGEST, DeletionCounts, Synced, SyncedRow
from criteo_catalog_sdk.push.states import JournalError

__all__ = [
    "SCHEMA_VERSION",
    "UNKNOWN_DIGEST",
    "BatchInfo",
    "DeletionCounts",
    "Journal",
    "JournalError",
    "RunInfo",
    "Settled",
    "SyncedRow",
    "check_readable",
]


class Journal:
    """A push's state file: its runs, batches, delta state and outcomes. Thread-safe.

    ``path=None`` makes a temporary journal, deleted by :meth:`close` (the outcomes of a push without a
    state file still live on disk, not in memory). A path that is not a usable state file (a directory,
    not writable, not SQLite, a newer schema) is a :class:`StateFileError` naming it and why. ``clock`` is
    the wall clock its times are stamped with (tests move it to push "weeks later").
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        durable: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._db = Database(path, durable=durable, clock=clock)
        self.path = self._db.path
        self.runs = Runs(self._db)
        self.batches = Batches(self._db)
        self.synced = Synced(self._db)
        self.outcomes = Outcomes(self._db)

    @property
    def clock(self) -> Callable[[], float]:
        """The wall clock of the journal."""
        return self._db.clock

    def close(self) -> None:
        """Close the file (and delete it if temporary)."""
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Journal({self.path!r})"
