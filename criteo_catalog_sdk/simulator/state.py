"""Where the simulator keeps operations, catalogs, stats events and access tokens: the interface.

:class:`~criteo_catalog_sdk.simulator.memory_store.MemoryStore` (default) and
:class:`~criteo_catalog_sdk.simulator.sqlite_store.SqliteStore` (``--state FILE``: everything survives a
restart) implement it. Catalog changes of an operation are applied when it reaches its terminal state,
and products leave the catalog when they expire (``expiry.py``), both in :meth:`Store.apply_due`, in time
order; the service calls it before serving anything that reads the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from criteo_catalog_sdk.simulator.catalog import CatalogCounters, WindowCounters
from criteo_catalog_sdk.simulator.operations import Operation


@dataclass(slots=True)
class AccessToken:
    """An OAuth2 access or refresh token the simulator issued."""

    token: str
    client_id: str
    expires_at: float  # refresh tokens: float("inf") in memory, never checked
    kind: str = "access"  # or "refresh"
    revoked: bool = False


class Store(Protocol):
    """Persistence of the simulator's state."""

    def add_operation(self, operation: Operation) -> None:
        """Record an accepted operation."""
        ...

    def get_operation(self, operation_id: str) -> Operation | None:
        """The operation with this id, if known."""
        ...

    def list_operations(self) -> list[Operation]:
        """Every known operation, oldest first."""
        ...

    def mark_lost(self, operation_id: str) -> bool:
        """Lose an operation: its report answers 404 and its changes are never applied."""
        ...

    def apply_due(self, now: float) -> int:
        """Apply the catalog changes of operations processed by ``now`` and remove the products expired by
        then, in time order; return how many operations were applied."""
        ...

    def catalog(self, merchant: int) -> dict[str, dict[str, Any]]:
        """A merchant's catalog: lowercased id -> product as last sent."""
        ...

    def replace_catalog(self, merchant: int, products: list[dict[str, Any]], now: float) -> None:
        """Set a merchant's catalog (control endpoint), as if upserted at ``now``; records no stats event."""
        ...

    def counters(self, merchant: int) -> CatalogCounters:
        """Counters over the merchant's whole catalog."""
        ...

    def window(self, merchant: int, since: float, until: float) -> WindowCounters:
        """Changes applied between ``since`` and ``until`` (expiries count as deletions)."""
        ...

    def merchants(self) -> list[int]:
        """Merchants that have a catalog."""
        ...

    def put_token(self, token: AccessToken) -> None:
        """Record an issued token."""
        ...

    def get_token(self, token: str) -> AccessToken | None:
        """An issued token, if known."""
        ...

    def revoke_tokens(self, token: str | None = None) -> int:
        """Revoke one token, or every token when ``token`` is None; return how many."""
        ...

    def reset(self) -> None:
        """Forget everything."""
        ...

    def close(self) -> None:
        """Release resources."""
        ...
