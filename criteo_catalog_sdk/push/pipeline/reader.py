"""The reader stage: inputs -> checked, serialized entries -> delta sync -> batches, journaled.

It pulls :data:`READ_CHUNK` inputs at a time, builds each entry (validation, serialization, hash), asks
the delta state about the chunk's products in one lookup, and hands what must be sent to the chunker.
A sealed batch is journaled (with the inputs settled since the previous one and the resume point)
before the senders may take it, and the reader stays a few batches ahead of them (flat memory).
Then, with ``delete_missing``, it deletes what the state holds and the input no longer has, unless the
mass-deletion guard refuses.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Sequence
from typing import Any, Final

import anyio

from criteo_catalog_sdk._logging import logger
from criteo_catalog_sdk.push.chunking import Batch, Chunker
from criteo_catalog_sdk.push.deletion import deletion_refusal
from criteo_catalog_sdk.push.delta import Delta, decide
from criteo_catalog_sdk.push.feeds import FeedError, FeedRecord
from criteo_catalog_sdk.push.journal import Settled
from criteo_catalog_sdk.push.pipeline.state import PushState, effective_batch_size
from criteo_catalog_sdk.push.wire import EntryBuilder, PreparedEntry, Rejected

__all__ = ["READ_CHUNK", "Products", "Reader"]

#: Inputs pulled from the iterable at a time (and keys per delta lookup).
READ_CHUNK: Final = 256
#: Inputs settled without a batch (refused, unchanged) recorded at least this often: an all-invalid or
#: unchanged feed must not pile up in memory.
SETTLED_FLUSH: Final = 1000

Products = Iterable[Any] | AsyncIterable[Any]
#: Feed items carry their position (feed line or item); other inputs are numbered from 1.
_FEED_ITEMS: Final = (FeedRecord, FeedError)
Built = PreparedEntry | Rejected


async def _chunks(products: Products) -> AsyncIterator[list[Any]]:
    """The inputs, :data:`READ_CHUNK` at a time, yielding to the event loop between chunks."""
    if isinstance(products, AsyncIterable):
        chunk: list[Any] = []
        async for item in products:
            chunk.append(item)
            if len(chunk) >= READ_CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk
        return
    iterator = iter(products)
    while chunk := list(itertools.islice(iterator, READ_CHUNK)):
        yield chunk
        await anyio.sleep(0)


class Reader:
    """Reads the input of one push and records its batches."""

    def __init__(self, state: PushState, products: Products, deletes: Iterable[str]) -> None:
        self.state = state
        self.products = products
        self.deletes = deletes
        options = state.options
        self.builder = EntryBuilder(
            state.merchant_id, api_version=state.api.api_version, unknown_fields=options.unknown_fields
        )
        self.chunker = Chunker(effective_batch_size(options), options.max_batch_bytes)
        self.settled = Settled()
        self.refreshes: set[int] = set()  # positions of entries sent only to keep them from expiring
        self.last = 0  # highest input position seen

    def _built(self, position: int, item: Any) -> Built:
        """An input's entry or rejection, at its position (see :func:`_position`)."""
        kind = type(item)
        if kind is FeedRecord:
            return self.builder.insert(position, item.product)
        if kind is FeedError:
            return item.to_rejected()  # type: ignore[no-any-return]
        return self.builder.insert(position, item)

    async def run(self) -> None:
        """Read everything, then delete what is missing (if asked), then tell the senders it is done."""
        state = self.state
        run = state.run
        if not run.input_complete:
            await self._read_products(run.input_pos)
            await self._read_deletes(run.input_pos)
            await self._flush()
            await state.journal_call(state.journal.runs.input_complete, state.run_id)
        if state.options.delete_missing:
            await self._delete_missing()
        await state.done_reading()

    async def _read_products(self, resume_from: int) -> None:
        index = 0
        async for chunk in _chunks(self.products):
            built: list[Built] = []
            skipped = 0
            for item in chunk:
                index += 1
                position = item.line if type(item) in _FEED_ITEMS else index
                self.last = max(self.last, position)
                if position <= resume_from:  # recorded before the interruption: not built again
                    skipped += 1
                    continue
                built.append(self._built(position, item))
            self.state.count_read(len(chunk), skipped)
            await self._route(built)
        notes = getattr(self.products, "notes", ())
        for note in notes:  # what the feed reader noticed (e.g. attributes that map to no field)
            self.state.note("feed", str(note))

    async def _read_deletes(self, resume_from: int) -> None:
        base = self.last
        numbered = ((base + i, pid) for i, pid in enumerate(self.deletes, start=1))
        while part := list(itertools.islice(numbered, READ_CHUNK)):
            self.last = part[-1][0]
            built = [self.builder.delete(pos, pid) for pos, pid in part if pos > resume_from]
            self.state.count_read(len(part), len(part) - len(built))
            await self._route(built)

    async def _delete_missing(self) -> None:
        """Delete the synced products absent from this run's input, unless the guard refuses."""
        state = self.state
        journal = state.journal
        counts = await state.journal_call(journal.synced.deletion_counts, state.run_id)
        if not getattr(self.products, "complete", True):  # a feed cut short (malformed XML, a truncated archive)
            counts = counts._replace(input_complete=False)
        refusal = deletion_refusal(counts, state.options.max_delete_fraction)
        if refusal is not None:
            state.note("refusal", refusal)
            logger.warning("%s", refusal)
            return
        info = await state.journal_call(journal.runs.get, state.run_id)
        position = max(self.last, info.input_pos)
        missing = journal.synced.missing(state.run_id)
        while page := await state.journal_call(lambda: list(itertools.islice(missing, READ_CHUNK))):
            built: list[Built] = []
            for _, product_id in page:
                position += 1
                built.append(self.builder.delete(position, product_id))
            self.last = position
            state.count_read(len(page))
            await self._route(built)
        await self._flush()

    async def _route(self, built: Sequence[Built]) -> None:
        """Settle or chunk built entries in input order; record every batch they complete."""
        state = self.state
        options = state.options
        settled = self.settled
        chunker = self.chunker
        synced = {}
        if options.delta:
            keys = [e.key for e in built if type(e) is PreparedEntry and e.method == "insert"]
            if keys:
                synced = await state.journal_call(state.journal.synced.lookup, state.merchant_id, keys)
        now = state.journal.clock()
        # Keys the lookup cannot know about: in the open batch when it was made (not journaled yet), or
        # given to the chunker since. An earlier line of the product is on its way, so a later line must
        # be sent even if it equals the last synced version.
        routed: set[str] = set(chunker.open_keys) if synced else set()
        validated = rejected = unchanged = 0
        for entry in built:
            if isinstance(entry, Rejected):
                settled.rejected.append(entry)
                rejected += 1
                continue
            validated += 1
            key = entry.key
            if synced and key not in routed:
                verdict = decide(entry, synced.get(key), now, options.refresh_after)
                if verdict is Delta.UNCHANGED:
                    settled.unchanged.append(entry)
                    unchanged += 1
                    continue
                if verdict is Delta.REFRESH:
                    self.refreshes.add(entry.position)
            if synced:
                routed.add(key)
            added = chunker.add(entry)
            if added.replaced is not None:
                settled.superseded.append(added.replaced)
                self.refreshes.discard(added.replaced.position)
            if added.sealed:
                await self._record_sealed(list(added.sealed), entry.position)
            del added  # a sealed batch's entries (up to max_batch_bytes) are not kept while the next fills
        state.count_routed(validated=validated, rejected=rejected, unchanged=unchanged)
        if len(settled) >= SETTLED_FLUSH:
            oldest = chunker.oldest_position
            await self._record(None, self.last if oldest is None else min(self.last, oldest - 1))
        state.progress.emit()

    async def _record_sealed(self, sealed: list[Batch], position: int) -> None:
        """Journal the batches an entry at ``position`` completed, in order, each dropped once recorded."""
        chunker = self.chunker
        while sealed:
            batch = sealed.pop(0)
            # Resume point: below every entry not recorded yet (later sealed batches, the open one).
            pending = [min(e.position for e in b.entries) for b in sealed]
            oldest = chunker.oldest_position
            if oldest is not None:
                pending.append(oldest)
            await self._record(batch, min(pending) - 1 if pending else position)

    async def _flush(self) -> None:
        batch = self.chunker.flush()
        if batch is not None or self.settled:
            await self._record(batch, self.last)

    async def _record(self, batch: Batch | None, input_pos: int) -> None:
        """Journal a sealed batch (and what was settled meanwhile) before it may be sent."""
        state = self.state
        dry_run = state.options.dry_run
        if batch is not None and not dry_run:
            async with state.changed:  # backpressure: at most a few batches recorded ahead of the senders
                while not state.has_room():
                    await state.changed.wait()
        refreshes = self.refreshes
        if batch is not None and refreshes:
            refreshes = {e.position for e in batch.entries if e.position in self.refreshes}
            self.refreshes -= refreshes
        recorded = await state.journal_call(
            state.journal.batches.record,
            state.run_id,
            batch=batch.entries if batch is not None else (),
            settled=self.settled,
            refreshes=refreshes if batch is not None else frozenset(),
            input_pos=input_pos,
        )
        self.settled.clear()
        if recorded.batch_id is not None and batch is not None and not dry_run:
            await state.add_batch(recorded.batch_id, recorded.blockers, len(batch), batch.nbytes)
