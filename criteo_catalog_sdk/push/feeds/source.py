"""Open a feed: a path, ``-`` (standard input) or a binary stream; decompressed on the fly.

Compression is recognized by its magic bytes first (so that a pipe works: ``cat feed.jsonl.gz |
criteo-catalog push - ...``) and the file name second: a name that says ``.gz`` on content that is not
gzip is an error, not 1,859 lines of garbage. gzip, bzip2 and xz come with Python, zstd with the
``zstandard`` dependency. Everything streams: nothing is decompressed to memory or disk ahead of reading.

A stream that cannot be decompressed (corrupt, truncated) raises :class:`SourceError` from ``read``,
which the readers turn into a feed error at their position.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import sys
import zlib
from typing import IO, Any, Final

import zstandard

from criteo_catalog_sdk.push.feeds.items import Source

#: Bytes peeked at the start of a feed to detect its format and CSV delimiter (past compression).
HEAD_BYTES: Final = 65_536
_BUFFER: Final = 1 << 16
_ZSTD_PIECE: Final = 1024

MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
)
#: File name suffix -> compression.
SUFFIXES: Final[dict[str, str]] = {
    ".gz": "gzip",
    ".gzip": "gzip",
    ".bz2": "bzip2",
    ".xz": "xz",
    ".zst": "zstd",
    ".zstd": "zstd",
}


class SourceError(Exception):
    """A feed's bytes cannot be had: a corrupt or truncated compressed stream, a missing decompressor."""


def compression_from_name(name: str) -> str | None:
    """The compression a file name announces (``feed.jsonl.gz`` -> ``gzip``), if any."""
    return SUFFIXES.get(os.path.splitext(name.lower())[1])


def strip_compression(name: str) -> str:
    """The file name without its compression suffix (``feed.xml.gz`` -> ``feed.xml``)."""
    base, ext = os.path.splitext(name)
    return base if ext.lower() in SUFFIXES else name


def compression_from_magic(head: bytes) -> str | None:
    """The compression the first bytes of a stream show, if any."""
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    return None


class _Reader(io.RawIOBase):
    """A raw, read-only view of a stream; ``close`` leaves the stream to its owner. Errors of a
    decompressor become :class:`SourceError`."""

    def __init__(self, inner: Any, kind: str | None = None) -> None:
        super().__init__()
        self._inner = inner
        self._kind = kind

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            if hasattr(self._inner, "readinto"):
                return int(self._inner.readinto(buffer))
            data = self._inner.read(len(buffer))
        except (OSError, EOFError, zlib.error, lzma.LZMAError, zstandard.ZstdError) as exc:
            if self._kind is None:
                raise
            raise SourceError(f"corrupt or truncated {self._kind} stream ({exc})") from None
        buffer[: len(data)] = data
        return len(data)


class Opened:
    """A feed opened for reading: ``stream`` (decompressed, buffered, with ``peek``), ``name`` (the file
    name without its compression suffix; ``None`` for stdin and streams), ``compression``."""

    def __init__(self, source: Source) -> None:
        self._owned: IO[bytes] | None = None
        self._decompressor: Any = None
        self.name: str | None = None
        if isinstance(source, str | os.PathLike):
            path = os.fspath(source)
            if path == "-":
                raw: Any = sys.stdin.buffer
            else:
                raw = self._owned = open(path, "rb")  # noqa: SIM115 - closed by close()
                self.name = path
        else:
            raw = source
            name = getattr(source, "name", None)
            self.name = name if isinstance(name, str) else None
        try:
            self.stream, self.compression = self._decompressed(raw)
        except BaseException:
            self.close()
            raise
        if self.name is not None:
            self.name = strip_compression(self.name)

    def _decompressed(self, raw: Any) -> tuple[Any, str | None]:
        buffered = raw if hasattr(raw, "peek") else io.BufferedReader(_Reader(raw), _BUFFER)
        head = buffered.peek(8)[:8]
        kind = compression_from_magic(head)
        announced = compression_from_name(self.name) if self.name else None
        if kind is None:
            if announced is not None and head:
                raise SourceError(f"the file name says {announced} but its content is not {announced}-compressed")
            return buffered, None
        if kind == "gzip":
            self._decompressor = gzip.GzipFile(fileobj=buffered, mode="rb")
        elif kind == "bzip2":
            self._decompressor = bz2.BZ2File(buffered, mode="rb")
        elif kind == "xz":
            self._decompressor = lzma.LZMAFile(buffered, mode="rb")  # noqa: SIM115 - closed by close()
        else:
            self._decompressor = _zstd_reader(buffered)
        return io.BufferedReader(_Reader(self._decompressor, kind), _BUFFER), kind

    def head(self) -> bytes:
        """Up to :data:`HEAD_BYTES` first bytes of the (decompressed) feed, without consuming them."""
        try:
            return bytes(self.stream.peek(HEAD_BYTES)[:HEAD_BYTES])
        except SourceError:
            return b""  # reported by the reader, at its position

    def close(self) -> None:
        """Close what this opened (never stdin nor a stream it was given)."""
        if self._decompressor is not None:
            self._decompressor.close()
        if self._owned is not None:
            self._owned.close()


def _zstd_reader(buffered: Any) -> Any:
    return _ZstdReader(buffered, zstandard.ZstdDecompressor())


class _ZstdReader(io.RawIOBase):
    """zstd frames decompressed one after another, with the end of the input checked against the end of
    a frame (``zstandard``'s own stream reader takes a truncated frame for the end of the data).

    The input is fed in :data:`_ZSTD_PIECE`-byte pieces: ``decompressobj`` has no output limit, and a
    piece of zstd can expand about 32,000 times at most, so the output of one call stays bounded.
    """

    def __init__(self, fp: Any, decompressor: Any) -> None:
        super().__init__()
        self._fp = fp
        self._decompressor = decompressor
        self._obj = decompressor.decompressobj()
        self._in_frame = False
        self._pending = b""
        self._out = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._out:
            if not self._pending:
                self._pending = self._fp.read(_BUFFER)
                if not self._pending:
                    if self._in_frame:
                        raise EOFError("compressed file ended before the end of a zstd frame")
                    return 0
            piece, self._pending = self._pending[:_ZSTD_PIECE], self._pending[_ZSTD_PIECE:]
            self._out = memoryview(self._feed(piece))
        n = min(len(buffer), len(self._out))
        buffer[:n] = self._out[:n]
        self._out = self._out[n:]
        return n

    def _feed(self, piece: bytes) -> bytes:
        out = []
        while piece:
            self._in_frame = True
            out.append(self._obj.decompress(piece))
            if not self._obj.eof:
                break
            piece = self._obj.unused_data  # the next frame starts in this piece
            self._obj = self._decompressor.decompressobj()
            self._in_frame = False
        return b"".join(out)


__all__ = [
    "HEAD_BYTES",
    "MAGIC",
    "SUFFIXES",
    "Opened",
    "SourceError",
    "compression_from_magic",
    "compression_from_name",
    "strip_compression",
]
