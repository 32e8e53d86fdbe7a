"""The batch state machine is a table: every (state, event) pair is either in it or refused."""

from __future__ import annotations

import itertools

import pytest

from criteo_catalog_sdk.push.states import (
    BATCH_TRANSITIONS,
    PUBLIC_STATUS,
    BatchEvent,
    BatchState,
    ItemStatus,
    JournalError,
    batch_after,
)


@pytest.mark.parametrize(("state", "event"), list(itertools.product(BatchState, BatchEvent)))
def test_every_pair_is_allowed_by_the_table_or_refused(state: BatchState, event: BatchEvent) -> None:
    expected = BATCH_TRANSITIONS.get((state, event))
    if expected is None:
        with pytest.raises(JournalError, match=f"is {state.value}"):
            batch_after(state.value, event, 7)
    else:
        assert batch_after(state.value, event, 7) is expected


def test_the_life_of_a_batch() -> None:
    assert batch_after("pending", BatchEvent.ACCEPTED, 1) is BatchState.ACCEPTED
    assert batch_after("accepted", BatchEvent.LOST, 1) is BatchState.PENDING  # resubmitted
    assert batch_after("accepted", BatchEvent.REPORTED, 1) is BatchState.DONE
    assert batch_after("pending", BatchEvent.SPLIT, 1) is BatchState.SPLIT
    terminal = {BatchState.DONE, BatchState.SPLIT, BatchState.FAILED}
    assert not any(state in terminal for state, _ in BATCH_TRANSITIONS)  # nothing leaves a final state


def test_every_item_status_has_a_public_name() -> None:
    assert set(PUBLIC_STATUS) == {s.value for s in ItemStatus}
    with pytest.raises(JournalError):
        batch_after("bogus", BatchEvent.ACCEPTED, 1)
