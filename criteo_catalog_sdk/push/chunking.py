"""Grouping entries into batches by count and serialized size, and halving a batch after a 413.

Pure: no I/O, no clock. The open batch is keyed by product key so that a second occurrence of a
product id (case-insensitive) replaces the first instead of making Criteo reject the whole batch
("duplicate product in one batch"); the replaced entry is handed back to be reported as superseded.
"""

from __future__ import annotations

from collections.abc import Iterable, KeysView, Sequence
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.push.options import MAX_REQUEST_BYTES, MIN_BATCH_BYTES, PushOptions
from criteo_catalog_sdk.push.wire import PreparedEntry, batch_body, body_size

_DEFAULTS: Final = PushOptions()
#: Default largest request body: half of Criteo's 16 MB limit, so that a proxy's own limit is not the
#: next thing to fail, while a second of a merchant's budget of typical products (~1-2 kB each) fits.
DEFAULT_MAX_BATCH_BYTES: Final = _DEFAULTS.max_batch_bytes
DEFAULT_BATCH_SIZE: Final = _DEFAULTS.batch_size


@dataclass(frozen=True, slots=True)
class Batch:
    """A group of entries sent as one request; ``nbytes`` is the exact size of :meth:`body`."""

    entries: tuple[PreparedEntry, ...]
    nbytes: int = field(default=-1)

    def __post_init__(self) -> None:
        if self.nbytes < 0:
            object.__setattr__(self, "nbytes", body_size(len(self.entries), sum(len(e.data) for e in self.entries)))

    def body(self) -> bytes:
        """The request body."""
        return batch_body(e.data for e in self.entries)

    def __len__(self) -> int:
        return len(self.entries)


class AddResult(NamedTuple):
    """What :meth:`Chunker.add` produced: batches now complete, and the entry the new one replaced."""

    sealed: tuple[Batch, ...]
    replaced: PreparedEntry | None


class Chunker:
    """Accumulates entries into batches of at most ``max_entries`` entries and ``max_bytes`` bytes.

    An entry larger than ``max_bytes`` on its own still gets a batch of its own (it may be accepted
    below Criteo's 16 MB); :class:`~criteo_catalog_sdk.push.wire.EntryBuilder` already refused entries
    that can never fit a request.
    """

    def __init__(self, max_entries: int = DEFAULT_BATCH_SIZE, max_bytes: int = DEFAULT_MAX_BATCH_BYTES) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        if not MIN_BATCH_BYTES <= max_bytes <= MAX_REQUEST_BYTES:
            raise ValueError(f"max_bytes must be between {MIN_BATCH_BYTES} and {MAX_REQUEST_BYTES}")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._open: dict[str, PreparedEntry] = {}
        self._bytes = 0  # sum of len(data) of the open entries

    def __len__(self) -> int:
        return len(self._open)

    @property
    def open_keys(self) -> KeysView[str]:
        """The product keys of the open batch (a live view)."""
        return self._open.keys()

    @property
    def oldest_position(self) -> int | None:
        """Smallest input position still in the open batch (not yet sealed), ``None`` if empty.

        The journal's resume point is just below it: inputs before it are all recorded.
        """
        # Insertion order is input order (a replaced key is re-inserted at the end): the first is oldest.
        for e in self._open.values():
            return e.position
        return None

    def add(self, entry: PreparedEntry) -> AddResult:
        """Add an entry; returns the batches it completed and the same-key entry it replaced, if any."""
        open_ = self._open
        replaced = open_.pop(entry.key, None) if entry.key in open_ else None
        if replaced is not None:
            self._bytes -= len(replaced.data)
        size = len(entry.data)
        n = len(open_)
        # body size of n entries = envelope + bytes + (n - 1) commas (see wire.body_size)
        first: Batch | None = None
        if n and _ENVELOPE + self._bytes + size + n > self.max_bytes:
            first = self._seal()
            n = 0
        open_ = self._open
        open_[entry.key] = entry
        self._bytes += size
        if n + 1 >= self.max_entries or _ENVELOPE + self._bytes + n >= self.max_bytes:
            last = self._seal()
            return AddResult((first, last) if first is not None else (last,), replaced)
        if first is None and replaced is None:
            return _NOTHING
        return AddResult((first,) if first is not None else (), replaced)

    def flush(self) -> Batch | None:
        """Seal and return the open batch (``None`` if empty): call at the end of the input."""
        return self._seal() if self._open else None

    def _seal(self) -> Batch:
        entries = tuple(self._open.values())
        batch = Batch(entries, body_size(len(entries), self._bytes))
        self._open = {}
        self._bytes = 0
        return batch


_NOTHING: Final = AddResult((), None)
_ENVELOPE: Final = body_size(0, 0)


def chunk(
    entries: Iterable[PreparedEntry], max_entries: int = DEFAULT_BATCH_SIZE, max_bytes: int = DEFAULT_MAX_BATCH_BYTES
) -> list[Batch]:
    """Chunk a finite sequence of entries at once (tests, small pushes); later duplicates win."""
    c = Chunker(max_entries, max_bytes)
    out: list[Batch] = []
    for e in entries:
        out.extend(c.add(e).sealed)
    last = c.flush()
    if last is not None:
        out.append(last)
    return out


def halve(entries: Sequence[PreparedEntry]) -> tuple[tuple[PreparedEntry, ...], tuple[PreparedEntry, ...]]:
    """Split entries into two halves of (nearly) equal size in bytes, keeping their order.

    Halving by bytes rather than by count makes a 413 caused by one huge product converge on it in
    ``log2(n)`` steps. Raises ``ValueError`` for fewer than two entries.
    """
    if len(entries) < 2:
        raise ValueError("cannot split fewer than two entries")
    total = sum(len(e.data) for e in entries)
    acc = 0
    cut = 1
    for i, e in enumerate(entries[:-1]):
        acc += len(e.data)
        cut = i + 1
        if acc * 2 >= total:
            break
    return tuple(entries[:cut]), tuple(entries[cut:])


class SplitBatch(NamedTuple):
    """413 answer for a batch of several entries: send these two halves instead (in this order)."""

    first: Batch
    second: Batch


class RejectEntry(NamedTuple):
    """413 answer for a batch of one entry: that product can never be sent; report it."""

    entry: PreparedEntry
    issue: Issue


def on_payload_too_large(batch: Batch) -> SplitBatch | RejectEntry:
    """What to do when Criteo answers 413 to ``batch``: split it in halves, or reject its only entry.

    The pipeline calls this again on a half that also gets 413, hence a recursive split.
    """
    if len(batch.entries) >= 2:
        a, b = halve(batch.entries)
        return SplitBatch(Batch(a), Batch(b))
    (entry,) = batch.entries
    issue = Issue(
        "PayloadTooLarge",
        f"Criteo refused the product alone with 413 Payload Too Large ({batch.nbytes} bytes); shorten its fields",
        None,
        batch.nbytes,
    )
    return RejectEntry(entry, issue)


__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_MAX_BATCH_BYTES",
    "AddResult",
    "Batch",
    "Chunker",
    "RejectEntry",
    "SplitBatch",
    "chunk",
    "halve",
    "on_payload_too_large",
]
