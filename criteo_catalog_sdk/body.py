"""A batch body kept compressed, and sent decompressed piece by piece: the push's request bodies.

A push keeps each batch's body zstd-compressed in its state file until the batch settles
(:mod:`criteo_catalog_sdk.push.journal.bodies`). Sending it as :class:`CompressedBody` streams it to
the socket in :data:`CHUNK_BYTES` pieces, decompressed as they go, with its exact ``Content-Length``
(from the frame's header), so that a batch in flight costs its compressed size (about a tenth) and a
few pieces, not the megabytes of its body: measured with B5's 8 MB batches, two in flight held 16 MB
of bodies. The same bytes reach the server either way. The body is iterable again (a retry, or the
request replayed after a 401, sends it again from its start).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Final

import zstandard

__all__ = ["CHUNK_BYTES", "CompressedBody", "EncodedBody"]

#: Bytes of body decompressed and written at a time.
CHUNK_BYTES: Final = 1 << 17
#: What zstd's decompressor reads of the frame at a time.
_READ_BYTES: Final = 1 << 16


class CompressedBody:
    """A request body as one zstd frame that records its content size; sent decompressed.

    ``len()`` is the size of the body on the wire; ``bytes()`` decompresses it whole (for tests and
    small bodies); iterating yields it in :data:`CHUNK_BYTES` pieces; :meth:`async_chunks` is the same
    for an ``httpx.AsyncClient``. Raises ``ValueError`` for a frame that is not zstd or does not say its
    content size.
    """

    __slots__ = ("_frame", "_size")

    def __init__(self, frame: bytes) -> None:
        try:
            size = zstandard.frame_content_size(frame)
        except zstandard.ZstdError as exc:
            raise ValueError(f"not a zstd frame: {exc}") from None
        if size < 0:
            raise ValueError("a zstd frame without its content size cannot be sent with a Content-Length")
        self._frame = frame
        self._size = size

    def __len__(self) -> int:
        return self._size

    def __bytes__(self) -> bytes:
        return zstandard.ZstdDecompressor().decompress(self._frame, max_output_size=self._size)

    def __iter__(self) -> Iterator[bytes]:
        reader = zstandard.ZstdDecompressor().read_to_iter(self._frame, read_size=_READ_BYTES, write_size=CHUNK_BYTES)
        yield from reader

    def async_chunks(self) -> _AsyncChunks:
        """The body's pieces as an async iterable (what ``httpx.AsyncClient`` streams), iterable again."""
        return _AsyncChunks(self)

    def __repr__(self) -> str:
        return f"CompressedBody({self._size:,} bytes in {len(self._frame):,})"


class _AsyncChunks:
    """A :class:`CompressedBody`'s pieces for ``httpx.AsyncClient`` (async only: httpx sends a
    synchronously iterable body only from a sync client)."""

    __slots__ = ("_body",)

    def __init__(self, body: CompressedBody) -> None:
        self._body = body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._body:  # a piece is decompressed in well under a millisecond
            yield chunk


#: A batch body the clients send as it is: bytes, or compressed (:class:`CompressedBody`).
EncodedBody = bytes | CompressedBody
