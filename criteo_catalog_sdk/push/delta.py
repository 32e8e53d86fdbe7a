"""Delta sync decisions, pure: which prepared entries differ from the last synced state.

The state (see :class:`criteo_catalog_sdk.push.journal.Journal`, table ``synced``) maps
``(merchant, product key)`` to the content hash of the product as Criteo last confirmed it
(:func:`criteo_catalog_sdk.push.wire.content_hash` of its canonical JSON). A product is sent when it
is new or its hash differs. Hashes are written only from a terminal report that confirms the upsert,
so a product that was sent but failed, or whose report was never seen, is sent again next time.

Lookups are batched (``Journal.synced_hashes(merchant, keys)`` for a few hundred keys at a time) so
that memory stays flat: the whole state is never loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from criteo_catalog_sdk.push.wire import PreparedEntry


def is_changed(entry: PreparedEntry, synced_digest: bytes | None) -> bool:
    """Whether an entry must be sent: deletes always; inserts when new or different."""
    return entry.method != "insert" or synced_digest is None or entry.digest != synced_digest


def partition_changed(
    entries: Iterable[PreparedEntry], synced: Mapping[str, bytes]
) -> tuple[list[PreparedEntry], list[PreparedEntry]]:
    """Split entries into ``(to_send, unchanged)`` against the synced hashes of their keys."""
    send: list[PreparedEntry] = []
    same: list[PreparedEntry] = []
    for e in entries:
        (send if is_changed(e, synced.get(e.key)) else same).append(e)
    return send, same


__all__ = ["is_changed", "partition_changed"]
