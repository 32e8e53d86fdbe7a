"""The default store: everything in dicts and heaps, lost when the process ends."""

from __future__ import annotations

import dataclasses
import heapq
import itertools
from typing import Any

from criteo_catalog_sdk.simulator.catalog import CatalogCounters, WindowCounters, count_flags, product_flags
from criteo_catalog_sdk.simulator.expiry import expires_at
from criteo_catalog_sdk.simulator.operations import Operation
from criteo_catalog_sdk.simulator.state import AccessToken

# A catalogued product: (product as sent, its stats flags, when it expires).
_Entry = tuple[dict[str, Any], int, float]
# Expiry times, one heap entry per group of products of one merchant that expire at the same moment (an
# operation's products without expirationDate form one group): (expires at, sequence, merchant, ids).
_Group = tuple[float, int, int, list[str]]
# Stale ids in the groups (products re-sent or deleted since) are dropped once they outnumber the live
# products by this much, so that re-sending the same catalog all day keeps memory flat.
_EXPIRY_SLACK = 10_000


class MemoryStore:
    """Everything in dicts; lost when the process ends."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget everything."""
        self._operations: dict[str, Operation] = {}
        self._pending: list[tuple[float, int, str]] = []
        self._sequence = itertools.count()
        # merchant -> lowercased id -> entry
        self._catalogs: dict[int, dict[str, _Entry]] = {}
        self._counters: dict[int, CatalogCounters] = {}
        # A min-heap of groups, checked against the catalog when due (stale ids are skipped).
        self._expiry: list[_Group] = []
        self._expiry_ids = 0  # ids held by the groups, stale ones included
        self._events: dict[int, list[tuple[float, int, int, int]]] = {}
        self._tokens: dict[str, AccessToken] = {}

    def close(self) -> None:
        """Nothing to release."""

    def add_operation(self, operation: Operation) -> None:
        """Record an accepted operation."""
        self._operations[operation.operation_id] = operation
        if operation.changes:
            heapq.heappush(self._pending, (operation.done_at, next(self._sequence), operation.operation_id))

    def get_operation(self, operation_id: str) -> Operation | None:
        """The operation with this id, if known."""
        return self._operations.get(operation_id)

    def list_operations(self) -> list[Operation]:
        """Every known operation, oldest first."""
        return sorted(self._operations.values(), key=lambda op: op.created_at)

    def mark_lost(self, operation_id: str) -> bool:
        """Lose an operation."""
        operation = self._operations.get(operation_id)
        if operation is None:
            return False
        operation.lost = True
        operation.changes = None
        return True

    def apply_due(self, now: float) -> int:
        """Apply the changes of operations processed by ``now`` and remove expired products, in time order."""
        applied = 0
        pending = self._pending
        while pending and pending[0][0] <= now:
            done_at, _, operation_id = heapq.heappop(pending)
            operation = self._operations[operation_id]
            if operation.changes is None:
                continue
            # Products that expired before this operation ends leave first: an upsert at the very moment
            # of expiry keeps its product.
            self._expire(done_at, inclusive=False)
            self._apply(operation)
            applied += 1
        self._expire(now, inclusive=True)
        return applied

    def _apply(self, operation: Operation) -> None:
        events: dict[int, list[int]] = {}
        when = operation.done_at
        groups: dict[tuple[int, float], list[str]] = {}
        for merchant, key, product, flags in operation.changes or ():
            catalog = self._catalogs.get(merchant)
            if catalog is None:
                catalog = self._catalogs[merchant] = {}
                self._counters[merchant] = CatalogCounters()
            counters = self._counters[merchant]
            tally = events.setdefault(merchant, [0, 0, 0])
            old = catalog.get(key)
            if old is not None:
                count_flags(counters, old[1], -1)
            if product is None:
                if old is not None:
                    del catalog[key]
                    tally[2] += 1
                continue
            leaves = expires_at(product, when)
            catalog[key] = (product, flags, leaves)
            group = groups.get((merchant, leaves))
            if group is None:
                groups[merchant, leaves] = [key]
            else:
                group.append(key)
            count_flags(counters, flags, 1)
            tally[1 if old is not None else 0] += 1
        for merchant, (added, updated, deleted) in events.items():
            self._events.setdefault(merchant, []).append((when, added, updated, deleted))
        operation.changes = None
        self._schedule(groups)

    def _schedule(self, groups: dict[tuple[int, float], list[str]]) -> None:
        for (merchant, leaves), keys in groups.items():
            heapq.heappush(self._expiry, (leaves, next(self._sequence), merchant, keys))
            self._expiry_ids += len(keys)
        live = sum(len(catalog) for catalog in self._catalogs.values())
        if self._expiry_ids > 2 * live + _EXPIRY_SLACK:
            self._expiry, self._expiry_ids = [], 0
            current: dict[tuple[int, float], list[str]] = {}
            for merchant, catalog in self._catalogs.items():
                for key, entry in catalog.items():
                    current.setdefault((merchant, entry[2]), []).append(key)
            self._schedule(current)

    def _expire(self, limit: float, *, inclusive: bool) -> None:
        """Remove the products whose expiry is before ``limit`` (or at it, when ``inclusive``)."""
        expiry = self._expiry
        while expiry and (expiry[0][0] < limit or (inclusive and expiry[0][0] == limit)):
            when, _, merchant, keys = heapq.heappop(expiry)
            self._expiry_ids -= len(keys)
            catalog = self._catalogs.get(merchant)
            if catalog is None:
                continue
            count = 0
            for key in keys:
                entry = catalog.get(key)
                if entry is None or entry[2] != when:
                    continue  # deleted, or re-sent (another expiry) since
                del catalog[key]
                count_flags(self._counters[merchant], entry[1], -1)
                count += 1
            if count:
                self._events.setdefault(merchant, []).append((when, 0, 0, count))

    def catalog(self, merchant: int) -> dict[str, dict[str, Any]]:
        """A merchant's catalog."""
        return {key: product for key, (product, _, _) in self._catalogs.get(merchant, {}).items()}

    def replace_catalog(self, merchant: int, products: list[dict[str, Any]], now: float) -> None:
        """Set a merchant's catalog, as if upserted at ``now``."""
        catalog: dict[str, _Entry] = {}
        counters = CatalogCounters()
        groups: dict[tuple[int, float], list[str]] = {}
        for product in products:
            key = str(product["id"]).lower()
            if key in catalog:
                count_flags(counters, catalog[key][1], -1)
            flags = product_flags(product)
            leaves = expires_at(product, now)
            catalog[key] = (product, flags, leaves)
            groups.setdefault((merchant, leaves), []).append(key)
            count_flags(counters, flags, 1)
        self._catalogs[merchant] = catalog
        self._counters[merchant] = counters
        self._schedule(groups)

    def counters(self, merchant: int) -> CatalogCounters:
        """Counters over the merchant's whole catalog."""
        return dataclasses.replace(self._counters.get(merchant, CatalogCounters()))

    def window(self, merchant: int, since: float, until: float) -> WindowCounters:
        """Changes applied in the window (expiries count as deletions)."""
        out = WindowCounters()
        for when, added, updated, deleted in self._events.get(merchant, ()):
            if since <= when <= until:
                out.added += added
                out.updated += updated
                out.deleted += deleted
        return out

    def merchants(self) -> list[int]:
        """Merchants that have a catalog."""
        return sorted(self._catalogs)

    def put_token(self, token: AccessToken) -> None:
        """Record an issued token."""
        self._tokens[token.token] = token

    def get_token(self, token: str) -> AccessToken | None:
        """An issued token, if known."""
        return self._tokens.get(token)

    def revoke_tokens(self, token: str | None = None) -> int:
        """Revoke one token or all."""
        if token is None:
            targets = list(self._tokens.values())
        else:
            found = self._tokens.get(token)
            targets = [found] if found is not None else []
        for item in targets:
            item.revoked = True
        return len(targets)
