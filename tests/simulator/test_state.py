import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from criteo_catalog_sdk.simulator import memory_store
from criteo_catalog_sdk.simulator.expiry import DAY
from criteo_catalog_sdk.simulator.memory_store import MemoryStore
from criteo_catalog_sdk.simulator.operations import Operation, Timing, build_operation
from criteo_catalog_sdk.simulator.products import ProductLimits
from criteo_catalog_sdk.simulator.sqlite_store import SqliteStore
from criteo_catalog_sdk.simulator.state import AccessToken, Store

from .conftest import delete, insert

NOW = 1_700_000_000.0


def op(operation_id: str, entries: list[dict[str, object]], now: float = NOW) -> Operation:
    return build_operation(
        entries,
        operation_id=operation_id,
        token=f"token-{operation_id}",
        client_id="c",
        now=now,
        timing=Timing(1.0, 2.0),
        limits=ProductLimits(),
    )


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made: Store = MemoryStore() if request.param == "memory" else SqliteStore(str(tmp_path / "state.db"))
    yield made
    made.close()


def test_changes_apply_when_processing_ends(store: Store) -> None:
    store.add_operation(op("1", [insert("A", description="d", price={"value": "1"}), insert("b")]))
    assert store.apply_due(NOW + 2.9) == 0
    assert store.catalog(123) == {}
    assert store.apply_due(NOW + 3) == 1
    assert set(store.catalog(123)) == {"a", "b"}
    assert store.catalog(123)["a"]["id"] == "A"
    counters = store.counters(123)
    assert (counters.total, counters.missing_description, counters.missing_price) == (2, 1, 1)
    window = store.window(123, NOW, NOW + 10)
    assert (window.added, window.updated, window.deleted) == (2, 0, 0)
    assert store.apply_due(NOW + 100) == 0
    assert store.merchants() == [123]


def test_upserts_replace_and_deletes_remove(store: Store) -> None:
    store.add_operation(op("1", [insert("a"), insert("b")]))
    store.add_operation(op("2", [insert("A", title="new"), delete("B"), delete("never-there")], now=NOW + 10))
    store.apply_due(NOW + 20)
    catalog = store.catalog(123)
    assert list(catalog) == ["a"] and catalog["a"]["title"] == "new"
    window = store.window(123, NOW + 5, NOW + 20)
    assert (window.added, window.updated, window.deleted) == (0, 1, 1)
    assert store.counters(123).total == 1
    # Outside the window: only the first operation.
    assert store.window(123, NOW, NOW + 4).added == 2


def test_products_with_errors_never_land(store: Store) -> None:
    store.add_operation(op("1", [insert("ok"), insert("bad", title="")]))
    store.apply_due(NOW + 10)
    assert list(store.catalog(123)) == ["ok"]


def test_lost_operations_are_not_applied(store: Store) -> None:
    store.add_operation(op("1", [insert("a")]))
    assert store.mark_lost("1")
    assert not store.mark_lost("unknown")
    store.apply_due(NOW + 10)
    assert store.catalog(123) == {}
    found = store.get_operation("1")
    assert found is not None and found.lost


def test_operations_round_trip(store: Store) -> None:
    first = op("1", [insert("a", badge="x"), insert("b", title="")])
    store.add_operation(first)
    store.add_operation(op("2", [delete("a")], now=NOW + 1))
    assert store.get_operation("1") == first
    assert store.get_operation("nope") is None
    assert [o.operation_id for o in store.list_operations()] == ["1", "2"]


def test_replace_catalog(store: Store) -> None:
    store.replace_catalog(7, [{"id": "X", "title": "t"}, {"id": "y", "itemGroupId": "g"}], NOW)
    assert set(store.catalog(7)) == {"x", "y"}
    assert store.counters(7).variant == 1
    store.replace_catalog(7, [], NOW)
    assert store.catalog(7) == {} and store.counters(7).total == 0


def test_tokens(store: Store) -> None:
    store.put_token(AccessToken("t1", "c", NOW + 900))
    store.put_token(AccessToken("t2", "c", NOW + 900))
    store.put_token(AccessToken("r1", "c", float("inf"), kind="refresh"))
    found = store.get_token("t1")
    assert found is not None and found.client_id == "c" and not found.revoked
    assert store.revoke_tokens("t1") == 1
    assert store.revoke_tokens("nope") == 0
    token = store.get_token("t1")
    assert token is not None and token.revoked
    assert store.revoke_tokens() == 3
    refresh = store.get_token("r1")
    assert refresh is not None and refresh.kind == "refresh" and refresh.expires_at > NOW + 10**9


def test_reset(store: Store) -> None:
    store.add_operation(op("1", [insert("a")]))
    store.put_token(AccessToken("t1", "c", NOW + 900))
    store.apply_due(NOW + 10)
    store.reset()
    assert store.get_operation("1") is None and store.get_token("t1") is None and store.catalog(123) == {}


def test_sqlite_survives_a_restart(tmp_path: Path) -> None:
    path = str(tmp_path / "state.db")
    first = SqliteStore(path)
    first.add_operation(op("1", [insert("a")]))
    first.add_operation(op("2", [insert("b")], now=NOW + 100))
    first.apply_due(NOW + 10)
    first.put_token(AccessToken("t1", "c", NOW + 900))
    first.close()
    second = SqliteStore(path)
    assert list(second.catalog(123)) == ["a"]
    assert second.get_token("t1") is not None
    # The pending operation is applied after the restart, when its time comes.
    assert second.apply_due(NOW + 200) == 1
    assert set(second.catalog(123)) == {"a", "b"}
    second.close()


# --- expiry (both stores) ---------------------------------------------------------------------------------------

DONE = NOW + 3  # when the operations built by op() are applied: the products' update time


def test_a_product_leaves_30_days_after_its_last_update(store: Store) -> None:
    store.add_operation(op("1", [insert("a", price={"value": "1"}), insert("b")]))
    store.apply_due(DONE + 29 * DAY)
    assert set(store.catalog(123)) == {"a", "b"}
    store.apply_due(DONE + 30 * DAY - 0.001)
    assert store.counters(123).total == 2
    store.apply_due(DONE + 30 * DAY)
    assert store.catalog(123) == {}
    counters = store.counters(123)
    assert (counters.total, counters.missing_price, counters.non_displayable) == (0, 0, 0)
    # The stats window counts the expiries as deletions, when they happened.
    assert store.window(123, DONE + 30 * DAY, DONE + 31 * DAY).deleted == 2
    assert store.window(123, DONE, DONE + 29 * DAY).deleted == 0


def test_an_upsert_restarts_the_clock_even_unchanged_and_applied_in_time_order(store: Store) -> None:
    store.add_operation(op("1", [insert("a"), insert("b")]))
    store.add_operation(op("2", [insert("a")], now=NOW + 20 * DAY))  # the same product again on day 20
    # One apply_due long after: the re-send (day 20) is applied before b's and a's first expiry (day 30).
    store.apply_due(DONE + 49 * DAY)
    assert list(store.catalog(123)) == ["a"]
    window = store.window(123, NOW, DONE + 49 * DAY)
    assert (window.added, window.updated, window.deleted) == (2, 1, 1)
    store.apply_due(DONE + 50 * DAY)
    assert store.catalog(123) == {} and store.counters(123).total == 0


def test_a_product_sent_again_after_it_expired_is_added_again(store: Store) -> None:
    store.add_operation(op("1", [insert("a")]))
    store.add_operation(op("2", [insert("a")], now=NOW + 40 * DAY))
    store.apply_due(DONE + 41 * DAY)  # one call: the expiry (day 30) comes before the re-send (day 40)
    assert list(store.catalog(123)) == ["a"]
    window = store.window(123, NOW, DONE + 41 * DAY)
    assert (window.added, window.updated, window.deleted) == (2, 0, 1)
    assert store.window(123, DONE + 30 * DAY, DONE + 30 * DAY).deleted == 1


def test_an_upsert_at_the_moment_of_expiry_keeps_the_product(store: Store) -> None:
    store.add_operation(op("1", [insert("a")]))
    store.add_operation(op("2", [insert("a", title="again")], now=NOW + 30 * DAY))
    store.apply_due(DONE + 30 * DAY)
    assert store.catalog(123)["a"]["title"] == "again"
    assert store.window(123, NOW, DONE + 30 * DAY).deleted == 0


def test_expiration_dates_earlier_later_and_past(store: Store) -> None:
    updated = datetime.fromtimestamp(DONE, UTC)
    entries = [
        insert("soon", expirationDate=(updated + timedelta(days=10)).isoformat()),
        insert("late", expirationDate=(updated + timedelta(days=60)).isoformat()),
        insert("past", expirationDate="2000-01-01"),
        insert("garbled", expirationDate="someday"),
    ]
    store.add_operation(op("1", entries))
    store.apply_due(DONE)
    assert set(store.catalog(123)) == {"soon", "late", "garbled"}
    store.apply_due(DONE + 10 * DAY)
    assert set(store.catalog(123)) == {"late", "garbled"}
    store.apply_due(DONE + 30 * DAY)
    assert set(store.catalog(123)) == {"late"}
    store.apply_due(DONE + 60 * DAY)
    assert store.catalog(123) == {} and store.counters(123).total == 0


def test_a_deleted_product_does_not_expire_twice(store: Store) -> None:
    store.add_operation(op("1", [insert("a")]))
    store.add_operation(op("2", [delete("a")], now=NOW + 5 * DAY))
    store.apply_due(DONE + 40 * DAY)
    window = store.window(123, NOW, DONE + 40 * DAY)
    assert (window.added, window.deleted) == (1, 1)


def test_a_replaced_catalog_expires_30_days_after_it_was_set(store: Store) -> None:
    store.replace_catalog(7, [{"id": "x"}], NOW)
    store.apply_due(NOW + 30 * DAY - 1)
    assert list(store.catalog(7)) == ["x"]
    store.apply_due(NOW + 30 * DAY)
    assert store.catalog(7) == {}


def test_sqlite_keeps_expiry_times_across_a_restart(tmp_path: Path) -> None:
    path = str(tmp_path / "state.db")
    first = SqliteStore(path)
    first.add_operation(op("1", [insert("a")]))
    first.apply_due(DONE)
    first.close()
    second = SqliteStore(path)
    second.apply_due(DONE + 29 * DAY)
    assert list(second.catalog(123)) == ["a"]
    second.apply_due(DONE + 30 * DAY)
    assert second.catalog(123) == {}
    second.close()


def test_sqlite_state_files_from_before_expiry_are_migrated(tmp_path: Path) -> None:
    path = str(tmp_path / "old.db")
    with sqlite3.connect(path) as old:
        old.execute(
            "CREATE TABLE products (merchant INTEGER NOT NULL, key TEXT NOT NULL, product TEXT NOT NULL,"
            " flags INTEGER NOT NULL, PRIMARY KEY (merchant, key))"
        )
        old.execute("INSERT INTO products VALUES (123, 'a', '{\"id\": \"a\"}', 0)")
    old.close()
    store = SqliteStore(path)
    store.apply_due(time.time() + 29 * DAY)
    assert list(store.catalog(123)) == ["a"]
    store.apply_due(time.time() + 31 * DAY)
    assert store.catalog(123) == {}
    store.close()


def test_memory_stays_flat_when_the_same_catalog_is_sent_again_and_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory_store, "_EXPIRY_SLACK", 5)
    store = MemoryStore()
    for day in range(40):
        store.add_operation(op(str(day), [insert("a"), insert("b"), insert("c")], now=NOW + day * 3600))
        store.apply_due(DONE + day * 3600)
        assert store._expiry_ids <= 2 * 3 + 5 + 3  # stale ids dropped once they outnumber the live ones
    last = DONE + 39 * 3600
    store.apply_due(last + 30 * DAY - 1)
    assert set(store.catalog(123)) == {"a", "b", "c"}
    store.apply_due(last + 30 * DAY)
    assert store.catalog(123) == {} and store._expiry_ids == 0
