from __future__ import annotations

from pathlib import Path

from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.push.journal import DeletionCounts, Journal, Settled
from criteo_catalog_sdk.push.wire import Rejected

from .conftest import M, apply, dele, ins, ok_report, sent


def test_lookup_holds_when_each_product_was_confirmed_and_its_expiry(path: Path) -> None:
    clock = [1_000.0]
    with Journal(path, clock=lambda: clock[0]) as j:
        run = j.runs.start(M).run_id
        bid = j.batches.record(run, batch=[ins(1, "A"), ins(2, "B", expirationDate="1970-01-02")]).batch_id
        assert bid is not None
        sent(j, bid)
        clock[0] = 2_000.0
        apply(j, bid, ok_report(2))
        rows = j.synced.lookup(M, ["a", "b", "c"])
        assert set(rows) == {"a", "b"}
        assert (rows["a"].synced_at, rows["a"].expires_at) == (2_000.0, None)
        assert rows["b"].expires_at == 86_400.0 and rows["b"].product_id == "B"


def test_deletion_counts_and_missing_products(path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        bid = j.batches.record(run, batch=[ins(1, "A"), ins(2, "B"), ins(3, "C"), ins(4, "D")]).batch_id
        assert bid is not None
        sent(j, bid)
        apply(j, bid, ok_report(4))
        j.runs.finish(run)
        assert j.synced.count(M) == 4

        run2 = j.runs.start(M).run_id
        # A unchanged, B rejected by the SDK (still present), C and D absent, one unreadable line
        settled = Settled(
            rejected=[Rejected(2, "B", (Issue("TooLong", "x"),)), Rejected(9, None, (Issue("ParseError", "x"),))],
            unchanged=[ins(1, "A")],
        )
        j.batches.record(run2, settled=settled)
        assert j.synced.deletion_counts(run2) == DeletionCounts(4, 2, 1, 1, False)
        j.runs.input_complete(run2)
        assert j.synced.deletion_counts(run2).input_complete
        assert list(j.synced.missing(run2)) == [("c", "C"), ("d", "D")]
        # recording the deletes makes the query idempotent (resume)
        bid2 = j.batches.record(run2, batch=[dele(10, "C"), dele(11, "D")]).batch_id
        assert bid2 is not None and list(j.synced.missing(run2)) == []
        sent(j, bid2)
        apply(j, bid2, {"status": "VALIDATED", "numberOfProductsDeleted": "2", "errorDetails": []})
        assert j.synced.count(M) == 2
        j.synced.forget(M, ["a"])
        assert set(j.synced.lookup(M, ["a", "b"])) == {"b"}
        j.synced.forget(M)
        assert j.synced.count(M) == 0


def test_missing_pages_through_a_large_state(path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        bid = j.batches.record(run, batch=[ins(i, f"P{i:05d}") for i in range(2_500)]).batch_id
        assert bid is not None
        sent(j, bid)
        apply(j, bid, ok_report(2_500))
        j.runs.finish(run)
        run2 = j.runs.start(M).run_id
        assert len(list(j.synced.missing(run2))) == 2_500


def test_keys_with_json_metacharacters_are_found_and_marked_unknown(path: Path) -> None:
    """Keys travel to SQLite as one JSON array: quotes, backslashes and escapes must come back as written."""
    odd = ['Q"1', "B\\2", "U\\u00413", "[5]", "{6}"]
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        first = j.batches.record(run, batch=[ins(i, pid) for i, pid in enumerate(odd, start=1)]).batch_id
        assert first is not None
        sent(j, first)
        apply(j, first, ok_report(len(odd)))
        j.runs.finish(run)
        keys = [pid.lower() for pid in odd]
        assert set(j.synced.lookup(M, [*keys, "absent"])) == set(keys)
        run2 = j.runs.start(M).run_id
        again = j.batches.record(run2, batch=[ins(1, odd[0]), ins(2, odd[1]), ins(3, odd[1])]).batch_id
        assert again is not None  # the same key twice in a record: the earlier line superseded
        assert set(j.synced.lookup(M, keys)) == set(keys[2:])  # on their way: their versions are unknown
        outcomes = list(j.outcomes.iterate(run2))
        assert [o.status for o in outcomes] == ["pending", "superseded", "pending"]
        assert "(position 3)" in outcomes[1].errors[0].message  # names the line that won
        assert [e.position for e in j.batches.entries(again)] == [1, 3]  # and it is not sent
