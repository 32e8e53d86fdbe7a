"""The states of a journaled batch and of each input item, as tables of allowed transitions (pure).

Modelled on h11's ``_state.py``: a batch moves only along :data:`BATCH_TRANSITIONS`; what each batch
event does to the items of the batch is :data:`ITEM_EFFECTS`. The journal asks :func:`batch_after` for
the new state of a batch (an event not allowed in the current state is a :class:`JournalError`) and
writes what these tables say; nothing else spells a state.

Batch life::

    pending --accepted--> accepted --reported--> done
       |                     |--lost--> pending            (404 on the report: resubmitted once)
       |                     `--given_up--> failed         (lost twice, report expired, token refused)
       |--split--> split                                   (413: its halves take its place)
       |--refused--> failed                                (400, or a lone product over the size limit)
       `--emptied--> done                                  (every entry superseded before sending)
"""

from __future__ import annotations

import enum
from typing import Final

from criteo_catalog_sdk.push.result import OutcomeStatus

__all__ = [
    "BATCH_TRANSITIONS",
    "ITEM_EFFECTS",
    "LIVE",
    "PUBLIC_STATUS",
    "SENT",
    "SENT_OR_KEPT",
    "UNFINISHED",
    "BatchEvent",
    "BatchState",
    "ItemStatus",
    "JournalError",
    "batch_after",
    "sql_values",
]


class JournalError(RuntimeError):
    """A journal operation that makes no sense in the current state (or a state file it cannot use)."""


class BatchState(enum.StrEnum):
    """Where a batch is (the values are what the journal stores)."""

    PENDING = "pending"  # recorded, to be sent (or sent without an answer yet)
    ACCEPTED = "accepted"  # Criteo answered 202: its report is awaited
    DONE = "done"  # its report was applied (or it had nothing left to send)
    SPLIT = "split"  # replaced by its halves after a 413
    FAILED = "failed"  # given up: its products are rejected


class BatchEvent(enum.Enum):
    """What can happen to a batch."""

    ACCEPTED = "accepted"
    REPORTED = "reported"
    LOST = "lost"
    GIVEN_UP = "given_up"
    SPLIT = "split"
    REFUSED = "refused"
    EMPTIED = "emptied"


class ItemStatus(enum.StrEnum):
    """Where one input item is (the values are what the journal stores)."""

    QUEUED = "queued"  # in a batch not settled yet (pending or accepted: the batch's state says which)
    UPSERTED = "upserted"
    REFRESHED = "refreshed"  # upserted unchanged, only to keep it from expiring
    DELETED = "deleted"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"  # a later input of the same product won
    UNCHANGED = "unchanged"  # skipped by delta sync


#: (state, event) -> the state after it. Anything else is a JournalError.
BATCH_TRANSITIONS: Final[dict[tuple[BatchState, BatchEvent], BatchState]] = {
    (BatchState.PENDING, BatchEvent.ACCEPTED): BatchState.ACCEPTED,
    (BatchState.PENDING, BatchEvent.SPLIT): BatchState.SPLIT,
    (BatchState.PENDING, BatchEvent.REFUSED): BatchState.FAILED,
    (BatchState.PENDING, BatchEvent.EMPTIED): BatchState.DONE,
    (BatchState.ACCEPTED, BatchEvent.REPORTED): BatchState.DONE,
    (BatchState.ACCEPTED, BatchEvent.LOST): BatchState.PENDING,
    (BatchState.ACCEPTED, BatchEvent.GIVEN_UP): BatchState.FAILED,
}
#: Batch states something can still happen in (pending, accepted); the others are terminal.
UNFINISHED: Final = tuple(dict.fromkeys(state for state, _ in BATCH_TRANSITIONS))

#: Items still waiting for an outcome (in a pending or accepted batch).
LIVE: Final = (ItemStatus.QUEUED,)
#: Items whose version was sent (or is to be), or is known to be what Criteo holds: a later input of
#: the same product supersedes any of them.
SENT_OR_KEPT: Final = (*LIVE, ItemStatus.UPSERTED, ItemStatus.REFRESHED, ItemStatus.DELETED, ItemStatus.UNCHANGED)
#: Items whose version Criteo confirmed (a queued item's version was sent if its batch was).
SENT: Final = (ItemStatus.UPSERTED, ItemStatus.REFRESHED, ItemStatus.DELETED)

#: batch event -> (item statuses it applies to, the status they take). An item stays queued while its
#: batch is pending or accepted (the batch's state says which: one row per batch changes, not one per
#: product); ``REPORTED`` gives each item its own outcome instead; ``SPLIT`` moves items to the parts.
ITEM_EFFECTS: Final[dict[BatchEvent, tuple[tuple[ItemStatus, ...], ItemStatus]]] = {
    BatchEvent.GIVEN_UP: (LIVE, ItemStatus.REJECTED),
    BatchEvent.REFUSED: (LIVE, ItemStatus.REJECTED),
}

#: The status a user sees for each stored one.
PUBLIC_STATUS: Final[dict[str, OutcomeStatus]] = {
    ItemStatus.QUEUED: "pending",
    ItemStatus.UPSERTED: "upserted",
    ItemStatus.REFRESHED: "refreshed",
    ItemStatus.DELETED: "deleted",
    ItemStatus.REJECTED: "rejected",
    ItemStatus.SUPERSEDED: "superseded",
    ItemStatus.UNCHANGED: "unchanged",
}


def batch_after(state: str, event: BatchEvent, batch_id: int) -> BatchState:
    """The state of a batch after ``event``; :class:`JournalError` if the event is not allowed in ``state``."""
    try:
        return BATCH_TRANSITIONS[(BatchState(state), event)]
    except (KeyError, ValueError):
        raise JournalError(f"batch {batch_id} is {state}: it cannot be {event.value}") from None


def sql_values(statuses: tuple[ItemStatus, ...] | tuple[BatchState, ...]) -> str:
    """``('a','b')`` for an SQL ``IN`` of states (the values are fixed strings of this module)."""
    return "(" + ",".join(f"'{s.value}'" for s in statuses) + ")"
