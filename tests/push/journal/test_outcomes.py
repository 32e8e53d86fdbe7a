from __future__ import annotations

import json
from pathlib import Path

from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.push.journal import Journal, Settled
from criteo_catalog_sdk.push.result import PushResult
from criteo_catalog_sdk.push.wire import Rejected

from .conftest import M, apply, ins, ok_report, sent


def test_refreshes_are_counted_apart_from_upserts(path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        bid = j.batches.record(run, batch=[ins(1, "A"), ins(2, "B"), ins(3, "C")], refreshes={2, 3}).batch_id
        assert bid is not None
        sent(j, bid)
        warning = {"type": "InvalidBadgeUrl", "message": "w", "isServerRelated": False}
        apply(j, bid, ok_report(3, warningDetails=[{"productId": "c", "warnings": [warning]}]))
        assert [o.status for o in j.outcomes.iterate(run)] == ["upserted", "refreshed", "refreshed"]
        s = j.outcomes.summary(run)
        assert (s.upserted, s.refreshed, s.warned, s.total) == (1, 2, 1, 3)
        assert set(j.synced.lookup(M, ["a", "b", "c"])) == {"a", "b", "c"}  # a refresh is a confirmed upsert


def test_result_export_streams_from_the_journal(path: Path, tmp_path: Path) -> None:
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        bid = j.batches.record(run, batch=[ins(i, f"P{i}") for i in range(1, 2501)]).batch_id
        assert bid is not None
        sent(j, bid)
        apply(j, bid, ok_report(2500))
        r = PushResult(j.outcomes.summary(run), lambda: j.outcomes.iterate(run), merchant_id=M, run_id=run)
        assert r.summary.upserted == 2500 and r.ok
        r.to_json(tmp_path / "r.json")
        r.to_csv(tmp_path / "r.csv")
        d = json.loads((tmp_path / "r.json").read_text())
        assert [o["position"] for o in d["outcomes"]] == list(range(1, 2501))
        assert (tmp_path / "r.csv").read_text().count("\n") == 2501


def test_rejected_outcomes_are_picked_in_sql_across_pages(path: Path) -> None:
    error = {"type": "InvalidLink", "message": "e", "isServerRelated": False}
    with Journal(path) as j:
        run = j.runs.start(M).run_id
        refused = [Rejected(p, f"R{p}", (Issue("WrongType", "x", "title"),)) for p in (5, 2600, 4999)]
        batch = [ins(p, f"P{p}") for p in range(1, 5001) if p not in (5, 2600, 4999)]
        bid = j.batches.record(run, batch=batch, settled=Settled(rejected=refused)).batch_id
        assert bid is not None
        sent(j, bid)
        api_errors = [{"productId": f"p{p}", "errors": [error]} for p in (7, 2100, 4500)]
        apply(j, bid, ok_report(len(batch) - 3, errorDetails=api_errors))
        every = [o for o in j.outcomes.iterate(run) if o.status == "rejected"]
        assert [o.position for o in every] == [5, 7, 2100, 2600, 4500, 4999]  # beyond one page (2,000 rows)
        assert list(j.outcomes.iterate(run, rejected_only=True)) == every
        r = PushResult(
            j.outcomes.summary(run),
            lambda: j.outcomes.iterate(run),
            rejected_outcomes=lambda: j.outcomes.iterate(run, rejected_only=True),
        )
        assert list(r.rejected()) == every and r.summary.rejected == 6
