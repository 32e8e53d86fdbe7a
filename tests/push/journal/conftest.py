from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

from criteo_catalog_sdk.push.journal import Journal
from criteo_catalog_sdk.push.reconcile import Reconciliation, reconcile
from criteo_catalog_sdk.push.wire import EntryBuilder, PreparedEntry
from criteo_catalog_sdk.report import Report

from ..conftest import product

M = 4242
B = EntryBuilder(M)
#: The state file's schema version 3, verbatim: a frozen copy of what the previous release wrote, from
#: which older files are built (version 1 and 2 files are version 3's layout less what 2 and 3 added).
V3_SCHEMA = (Path(__file__).parent / "fixtures" / "schema_v3.sql").read_text()


def ins(pos: int, pid: str, **over: Any) -> PreparedEntry:
    e = B.insert(pos, product(id=pid, **over))
    assert isinstance(e, PreparedEntry)
    return e


def dele(pos: int, pid: str) -> PreparedEntry:
    e = B.delete(pos, pid)
    assert isinstance(e, PreparedEntry)
    return e


def ok_report(n: int = 0, **kw: Any) -> dict[str, Any]:
    return {
        "status": "VALIDATED",
        "numberOfProductsUpserted": str(n),
        "numberOfProductsDeleted": "0",
        "errorDetails": [],
        **kw,
    }


def apply(journal: Journal, batch_id: int, raw: dict[str, Any]) -> Reconciliation:
    """Store a final report as the watcher does: the reconciliation decided by the pure function."""
    report = Report(raw)
    return journal.outcomes.apply(batch_id, report, functools.partial(reconcile, report))


def sent(journal: Journal, batch_id: int, token: str = "t") -> None:
    """The batch went out and got its 202."""
    assert journal.batches.prepare(batch_id) is not None
    journal.batches.accepted(batch_id, token)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "state.sqlite3"
