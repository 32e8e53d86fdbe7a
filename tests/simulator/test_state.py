from collections.abc import Iterator
from pathlib import Path

import pytest

from criteo_catalog_sdk.simulator.operations import Operation, Timing, build_operation
from criteo_catalog_sdk.simulator.products import ProductLimits
from criteo_catalog_sdk.simulator.state import AccessToken, MemoryStore, SqliteStore, Store

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
    store.replace_catalog(7, [{"id": "X", "title": "t"}, {"id": "y", "itemGroupId": "g"}])
    assert set(store.catalog(7)) == {"x", "y"}
    assert store.counters(7).variant == 1
    store.replace_catalog(7, [])
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
