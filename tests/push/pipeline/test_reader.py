"""The reader's guarantees, each with a test that fails when the guarantee is broken.

- the resume point never passes an input that is not recorded (a crash right after the inputs settled
  without a batch were flushed loses no product);
- a later line of a product is never judged unchanged while an earlier line of it waits in the open
  batch (the ``routed`` keys of a delta lookup).

That recording a batch makes its products' synced versions unknown (so that a later line equal to the
version synced before is sent after it, not skipped) is proved by ``tests/reliability/test_no_stale_overwrite``
(its in-flight, same-chunk and random-feed cases fail without it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from criteo_catalog_sdk.push.journal import Journal
from criteo_catalog_sdk.push.pipeline.reader import SETTLED_FLUSH
from tests.fakes.push_api import FakeApi, run
from tests.push.conftest import product


class Crash(Exception):
    """Stands for the process dying right after a journal write."""


def invalid(n: int, start: int) -> list[dict[str, Any]]:
    return [product(id=f"bad-{i}", title="") for i in range(start, start + n)]  # no title: refused by the SDK


def test_a_crash_right_after_flushing_settled_inputs_loses_no_product(tmp_path: Path) -> None:
    state = tmp_path / "s.db"
    feed = [product(id="KEEP", title="kept"), *invalid(SETTLED_FLUSH + 100, 2)]
    journal = Journal(state)
    record = journal.batches.record

    def crash_after_the_first_settled_flush(*args: Any, **kwargs: Any) -> Any:
        recorded = record(*args, **kwargs)
        if not kwargs.get("batch"):
            raise Crash
        return recorded

    journal.batches.record = crash_after_the_first_settled_flush  # type: ignore[method-assign]
    api = FakeApi()
    with pytest.raises(Crash):
        run(api, feed, state=journal, batch_size=1000)
    journal.close()
    with run(api, feed, state=state, batch_size=1000) as result:  # resumed
        assert result.resumed and result.summary.upserted == 1
    assert api.catalog["keep"]["title"] == "kept"


def test_a_later_line_is_not_judged_unchanged_while_an_earlier_one_is_in_the_open_batch(tmp_path: Path) -> None:
    state = tmp_path / "s.db"
    api = FakeApi()
    run(api, [product(id="X", title="v0")], state=state, delta=True).close()  # synced: v0
    # v1 waits in the open batch (the invalid lines never seal it) while v0 (equal to the synced version)
    # is looked up, and enough refused lines follow for it to be recorded before the batch.
    feed = [
        product(id="X", title="v1"),
        *invalid(SETTLED_FLUSH + 50, 2),
        product(id="X", title="v0"),
        *invalid(SETTLED_FLUSH + 50, SETTLED_FLUSH + 60),
    ]
    with run(api, feed, state=state, delta=True, batch_size=1000) as result:
        assert result.summary.superseded == 1
    assert api.catalog["x"]["title"] == "v0", "the later line must win"


def test_a_resumed_push_does_not_build_the_inputs_it_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from criteo_catalog_sdk.push.wire import EntryBuilder

    state = tmp_path / "s.db"
    feed = [product(id=f"P{i}", title=f"p{i}") for i in range(1, 301)]
    journal = Journal(state)
    record = journal.batches.record

    def crash_after_the_second_batch(*args: Any, **kwargs: Any) -> Any:
        recorded = record(*args, **kwargs)
        if kwargs.get("batch") and recorded.batch_id == 2:
            raise Crash
        return recorded

    journal.batches.record = crash_after_the_second_batch  # type: ignore[method-assign]
    api = FakeApi()
    with pytest.raises(Crash):
        run(api, feed, state=journal, batch_size=100, concurrency=1)
    journal.close()
    built: list[int] = []
    insert = EntryBuilder.insert

    def counted(self: EntryBuilder, position: int, item: object) -> Any:
        built.append(position)
        return insert(self, position, item)

    monkeypatch.setattr(EntryBuilder, "insert", counted)
    with run(api, feed, state=state, batch_size=100, concurrency=1) as result:  # resumed
        assert result.resumed and result.summary.upserted == 300
    assert built and min(built) > 200, "the 200 inputs recorded before the crash are skipped, not rebuilt"
