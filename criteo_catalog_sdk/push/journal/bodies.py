"""How a batch's request body is kept in the state file until the batch settles: compressed.

A body is written once when its batch is recorded, read back to send it, and deleted when the batch
settles, so every product passes through the file once. Compressed with zstd at level 1 (JSON entries
shrink about ten times for about a microsecond of CPU per product), the file's writes, which cost more
CPU than the compression (B9 measured about 5 us per product for raw 2 MB bodies: one ``write`` per page
into the WAL, again at checkpoint), shrink as much. The body is never whole in memory: it is
compressed from its entries piece by piece (:func:`pack_entries`), and sent as it is read back,
decompressed as it streams (:class:`~criteo_catalog_sdk.body.CompressedBody`). Bodies of schema-2
files, stored raw, still read: a stored body tells its form by its first bytes (a JSON body starts
with ``{``, a zstd frame with its magic number).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import orjson
import zstandard

from criteo_catalog_sdk.body import CompressedBody, EncodedBody
from criteo_catalog_sdk.ids import product_key
from criteo_catalog_sdk.push.wire import batch_body_pieces, body_size

__all__ = ["entries_by_key", "pack_entries", "stored_body"]

#: zstd's level 1: the fastest of the standard levels, as small as level 3 on JSON entries.
_LEVEL: Final = 1
_ZSTD_MAGIC: Final = b"\x28\xb5\x2f\xfd"


def pack_entries(entries: Sequence[bytes]) -> tuple[bytes, int]:
    """The stored form of the body of these serialized entries (a zstd frame that records the body's
    size), and that size."""
    size = body_size(len(entries), sum(map(len, entries)))
    compressor = zstandard.ZstdCompressor(level=_LEVEL).compressobj(size=size)
    frame = [compressor.compress(piece) for piece in batch_body_pieces(entries)]
    frame.append(compressor.flush())
    return b"".join(frame), size


def stored_body(stored: bytes) -> EncodedBody:
    """The body to send from its stored form: compressed (sent as it decompresses), or raw as schema 2
    kept it."""
    return CompressedBody(stored) if stored[:4] == _ZSTD_MAGIC else stored


def entries_by_key(stored: bytes) -> dict[str, bytes]:
    """The entries of a stored body, each serialized as it was recorded, by product key."""
    entries = orjson.loads(bytes(stored_body(stored)))["entries"]
    return {_entry_key(e): orjson.dumps(e, option=orjson.OPT_SORT_KEYS) for e in entries}


def _entry_key(entry: dict[str, Any]) -> str:
    product = entry.get("product")
    product_id = product.get("id") if isinstance(product, dict) else entry.get("productId")
    return product_key(str(product_id))
