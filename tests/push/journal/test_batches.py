"""Batches move only along the transition table; the journal stores the decisions it is given."""

from __future__ import annotations

from pathlib import Path

import pytest

from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.push.chunking import halve
from criteo_catalog_sdk.push.journal import Journal, JournalError, Settled
from criteo_catalog_sdk.push.states import BatchState
from criteo_catalog_sdk.push.wire import Rejected

from .conftest import M, apply, dele, ins, ok_report, sent


def test_a_recorded_batch_survives_reopening_byte_for_byte(path: Path) -> None:
    entries = [ins(1, "A"), ins(2, "B", expirationDate="2030-01-01"), dele(3, "C")]
    with Journal(path) as j:
        run = j.runs.start(M)
        bid = j.batches.record(run.run_id, batch=entries, input_pos=3).batch_id
        assert bid is not None
    with Journal(path) as j:
        run2 = j.runs.start(M)
        assert run2.resumed and run2.run_id == run.run_id and run2.input_pos == 3
        assert [b.batch_id for b in j.batches.in_states(run.run_id, BatchState.PENDING)] == [bid]
        assert j.batches.entries(bid) == entries
        prepared = j.batches.prepare(bid)
        assert prepared is not None
        body, count = prepared
        assert bytes(body) == b'{"entries":[' + b",".join(e.data for e in entries) + b"]}" and count == 3
        assert j.batches.get(bid).sends == 1 and j.batches.get(bid).n_bytes == len(body)


def test_lifecycle_accepted_then_reported(path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        bid = j.batches.record(run, batch=[ins(1, "Ok"), ins(2, "Bad"), dele(3, "Gone")]).batch_id
        assert bid is not None
        sent(j, bid, "tok-1")
    with Journal(path) as j:  # crash after the 202: the token is there, nothing to resend
        assert j.batches.in_states(run, BatchState.PENDING) == []
        assert [b.token for b in j.batches.in_states(run, BatchState.ACCEPTED)] == ["tok-1"]
        assert [o.status for o in j.outcomes.iterate(run)] == ["pending"] * 3
        issue = {"type": "MissingImages", "message": "m", "isServerRelated": False}
        warning = {"type": "InvalidBadgeUrl", "message": "w", "isServerRelated": False}
        rec = apply(j, bid, {
            "status": "VALIDATED_WITH_ERRORS", "numberOfProductsUpserted": "1", "numberOfProductsDeleted": "1",
            "errorDetails": [{"productId": "bad", "errors": [issue]}],
            "warningDetails": [{"productId": "ok", "warnings": [warning]}],
        })  # fmt: skip
        assert len(rec.outcomes) == 3
    with Journal(path) as j:
        assert j.batches.in_states(run, BatchState.ACCEPTED) == []
        outs = list(j.outcomes.iterate(run))
        assert [(o.product_id, o.status, o.stage) for o in outs] == [
            ("Ok", "upserted", None),
            ("Bad", "rejected", "api"),
            ("Gone", "deleted", None),
        ]
        assert outs[0].warnings[0].type == "InvalidBadgeUrl" and outs[1].errors[0].type == "MissingImages"
        assert set(j.synced.lookup(M, ["ok", "bad", "gone"])) == {"ok"}  # only the confirmed upsert
        assert j.synced.lookup(M, ["ok"])["ok"].digest == ins(1, "Ok").digest
        s = j.outcomes.summary(run)
        assert (s.total, s.upserted, s.deleted, s.rejected_api, s.warned) == (3, 1, 1, 1, 1)
        assert j.batches.get(bid).state == "done"
        assert j.batches.entries(bid) == []  # entries freed once done


def test_failed_transactions_roll_back(path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        with pytest.raises(JournalError):
            j.batches.record(run + 99, batch=[ins(1, "A")])
        assert j.batches.in_states(run, BatchState.PENDING) == [] and list(j.outcomes.iterate(run)) == []


def test_later_duplicate_supersedes_an_unsent_one(path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        b1 = j.batches.record(run, batch=[ins(1, "A"), ins(2, "B")]).batch_id
        b2 = j.batches.record(run, batch=[ins(3, "a", title="Newer")]).batch_id
        assert b1 is not None and b2 is not None
        assert [e.position for e in j.batches.entries(b1)] == [2]  # A is no longer sent by b1
        outs = {o.position: o for o in j.outcomes.iterate(run)}
        assert outs[1].status == "superseded" and outs[1].errors[0].type == "DuplicateId"
        j.batches.record(run, batch=[ins(4, "B")])
        assert j.batches.prepare(b1) is None  # nothing left: done, never sent empty
        assert j.batches.get(b1).state == "done"


def test_a_record_names_the_unfinished_batches_holding_its_products(path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        first = j.batches.record(run, batch=[ins(1, "A"), ins(2, "B")])
        b1 = first.batch_id
        assert b1 is not None and first.blockers == frozenset()
        b2 = j.batches.record(run, batch=[ins(3, "a", title="Newer"), ins(4, "C"), ins(5, "E")]).batch_id
        assert b2 is not None and j.batches.get(b2).state == "pending"
        # b1 now holds only a superseded line of A, but may be in flight with it: still named
        third = j.batches.record(run, batch=[ins(6, "A", title="Newest")])
        assert third.blockers == {b1, b2}
        assert j.batches.record(run, batch=[ins(7, "D")]).blockers == frozenset()
        unchanged = j.batches.record(run, settled=Settled(unchanged=[ins(8, "B")]))
        assert unchanged == (None, frozenset())  # a line not sent waits for nothing
        assert j.batches.blockers(b2) == {b1} and j.batches.blockers(b1) == frozenset()  # resuming: lower ids
        j.batches.failed(b1, Issue("BatchRejected", "refused"))  # finished: no longer named
        assert j.batches.record(run, batch=[ins(9, "A", title="Last")]).blockers == {b2, third.batch_id}
        assert third.batch_id is not None and j.batches.blockers(third.batch_id) == {b2}
        [p1, p2] = j.batches.replace(b2, [[ins(4, "C")], [ins(5, "E")]])
        assert j.batches.record(run, batch=[ins(10, "C", title="Later")]).blockers == {p1}  # the part, not b2
        assert j.batches.blockers(p2) == frozenset()


def test_recording_a_batch_makes_its_products_synced_version_unknown(path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        b1 = j.batches.record(run, batch=[ins(1, "A"), ins(2, "B")]).batch_id
        assert b1 is not None
        sent(j, b1)
        apply(j, b1, ok_report(2))
        j.runs.finish(run)
        assert set(j.synced.lookup(M, ["a", "b"])) == {"a", "b"}
        run2 = j.runs.start(M).run_id
        j.batches.record(run2, batch=[ins(1, "A", title="changed")])  # recorded, not even sent yet
        assert set(j.synced.lookup(M, ["a", "b"])) == {"b"}  # Criteo may hold either version of A from now on
        assert j.synced.count(M) == 2  # still known, so that delete_missing does not delete it


def test_later_duplicate_of_a_sent_product_makes_its_version_unknown(path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        b1 = j.batches.record(run, batch=[ins(1, "A")]).batch_id
        assert b1 is not None
        sent(j, b1)
        apply(j, b1, ok_report(1))
        assert "a" in j.synced.lookup(M, ["a"])
        j.batches.record(run, settled=Settled(unchanged=[ins(5, "A")]))  # later line equal to the synced state...
        assert "a" not in j.synced.lookup(M, ["a"])  # ...but Criteo may hold the earlier one: resend next time
        assert [o.status for o in j.outcomes.iterate(run)] == ["superseded", "unchanged"]


def test_settled_inputs_are_recorded(path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        rej = Rejected(2, "X", (Issue("TooLong", "title", "title", 501, 500),))
        settled = Settled(rejected=[rej], unchanged=[ins(4, "U")], superseded=[ins(1, "A")])
        j.batches.record(run, batch=[ins(3, "A")], settled=settled, input_pos=4)
        outs = list(j.outcomes.iterate(run))
        assert [(o.position, o.status, o.stage) for o in outs] == [
            (1, "superseded", "client"),
            (2, "rejected", "client"),
            (3, "pending", None),
            (4, "unchanged", None),
        ]
        assert outs[1].errors[0].limit == 500
        assert j.runs.get(run).input_pos == 4
        j.batches.record(run, settled=Settled(rejected=[rej]))  # recorded again after a resume: replaced
        assert j.outcomes.summary(run).total == 4


def test_split_into_the_parts_it_is_given(path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        entries = [ins(1, "A", description="x" * 3000), ins(2, "B"), ins(3, "C")]
        bid = j.batches.record(run, batch=entries).batch_id
        assert bid is not None
        j.batches.prepare(bid)
        first, second = j.batches.replace(bid, halve(j.batches.entries(bid)))
        assert [e.position for e in j.batches.entries(first)] == [1]
        assert [e.position for e in j.batches.entries(second)] == [2, 3]
        assert [b.batch_id for b in j.batches.in_states(run, BatchState.PENDING)] == [first, second]
        assert j.batches.get(bid).state == "split" and j.batches.get(first).parent_id == bid
        with pytest.raises(JournalError, match="split"):
            j.batches.replace(bid, [])  # a split batch cannot be split again


def test_lost_report_resubmission_and_giving_up(path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        bid = j.batches.record(run, batch=[ins(1, "A")]).batch_id
        assert bid is not None
        sent(j, bid, "t1")
        j.batches.resubmit(bid)
        info = j.batches.get(bid)
        assert (info.state, info.token, info.resubmitted) == ("pending", None, True)
        sent(j, bid, "t2")
        j.batches.failed(bid, Issue("ReportLost", "lost twice"))
        (o,) = j.outcomes.iterate(run)
        assert (o.status, o.stage, o.errors[0].type) == ("rejected", "api", "ReportLost")
        assert j.batches.get(bid).state == "failed"


@pytest.mark.parametrize(
    "illegal",
    [
        lambda j, b: j.batches.accepted(b, "t"),
        lambda j, b: j.batches.prepare(b),
        lambda j, b: j.batches.resubmit(b),
        lambda j, b: j.batches.replace(b, []),
        lambda j, b: apply(j, b, ok_report(1)),
        lambda j, b: j.batches.failed(b, Issue("X", "y")),
    ],
)
def test_a_failed_batch_accepts_no_event(path: Path, illegal: object) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        bid = j.batches.record(run, batch=[ins(1, "A"), ins(2, "B")]).batch_id
        assert bid is not None
        j.batches.failed(bid, Issue("BatchRejected", "400"))
        assert j.outcomes.summary(run).rejected_api == 2
        with pytest.raises(JournalError, match="failed"):
            illegal(j, bid)  # type: ignore[operator]


def test_a_pending_batch_cannot_be_reported_or_lost(path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        bid = j.batches.record(run, batch=[ins(1, "A")]).batch_id
        assert bid is not None
        with pytest.raises(JournalError):
            apply(j, bid, ok_report())
        with pytest.raises(JournalError):
            j.batches.resubmit(bid)
        j.batches.accepted(bid, "t")
        with pytest.raises(ValueError, match="terminal"):
            apply(j, bid, {"status": "IN_PROGRESS"})
        assert [b.token for b in j.batches.in_states(run, BatchState.ACCEPTED)] == ["t"]  # nothing changed
        with pytest.raises(JournalError):
            j.batches.get(999)
