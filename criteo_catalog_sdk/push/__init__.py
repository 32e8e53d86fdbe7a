"""Building blocks of a whole-catalog push, pure where possible and tested without a network.

Data flow, one module per step::

    options      PushOptions: how a push runs (defined once for both clients, the pipeline, the CLI)
    api          what the push needs from Criteo, and the adapters over either client
    feeds        read JSON Lines, CSV/TSV, Merchant Center XML (compressed or not) lazily -> FeedRecord | FeedError
    schema       the Product tables of each API generation
    validation   check a product against them and the documented limits, normalize it
    validate     validate_feed: check a whole feed offline as a push would (nothing sent)
    wire         serialize its entry once (sorted keys) -> PreparedEntry (+ content hash)
    delta        send, refresh before expiry, or skip as unchanged
    deletion     the mass-deletion guard of delete_missing
    chunking     group entries by count and bytes; halve a batch after a 413
    inflight     never two in-flight batches with one product id; versions keep their order
    scheduling   which recorded batch to send next
    ratecontrol  AIMD products/s rate + token bucket pacer
    decisions    what to do after a failed send or poll (pure)
    states       the batch and item states as tables of allowed transitions
    journal      SQLite, by concern: runs, batches, synced state, outcomes; resume
    reconcile    final report -> per-entry outcome (lowercased ids mapped back)
    pipeline     the stages (reader, senders, watchers) on anyio
    progress     ProgressEvent snapshots
    result       ProductOutcome, Summary, Note, PushResult, JSON/CSV export
"""

from criteo_catalog_sdk._lazy import lazy_exports

# Loaded on first use: importing one building block (``push.validation`` from the client, say) must not
# load SQLite, the journal and the pipeline.
_LAZY: dict[str, str] = {
    "AimdRateController": "criteo_catalog_sdk.push.ratecontrol",
    "Batch": "criteo_catalog_sdk.push.chunking",
    "Chunker": "criteo_catalog_sdk.push.chunking",
    "DEFAULT_BATCH_SIZE": "criteo_catalog_sdk.push.chunking",
    "DEFAULT_MAX_BATCH_BYTES": "criteo_catalog_sdk.push.chunking",
    "EntryBuilder": "criteo_catalog_sdk.push.wire",
    "EntryRef": "criteo_catalog_sdk.push.reconcile",
    "FeedError": "criteo_catalog_sdk.push.feeds",
    "FeedRecord": "criteo_catalog_sdk.push.feeds",
    "FeedValidation": "criteo_catalog_sdk.push.validate",
    "InFlightGuard": "criteo_catalog_sdk.push.inflight",
    "Issue": "criteo_catalog_sdk.push.result",
    "Journal": "criteo_catalog_sdk.push.journal",
    "JournalError": "criteo_catalog_sdk.push.journal",
    "Note": "criteo_catalog_sdk.push.result",
    "Pacer": "criteo_catalog_sdk.push.ratecontrol",
    "PreparedEntry": "criteo_catalog_sdk.push.wire",
    "ProductOutcome": "criteo_catalog_sdk.push.result",
    "PushAborted": "criteo_catalog_sdk.push.pipeline",
    "PushOptions": "criteo_catalog_sdk.push.options",
    "PushResult": "criteo_catalog_sdk.push.result",
    "Reconciliation": "criteo_catalog_sdk.push.reconcile",
    "RejectEntry": "criteo_catalog_sdk.push.chunking",
    "Rejected": "criteo_catalog_sdk.push.wire",
    "RunInfo": "criteo_catalog_sdk.push.journal",
    "SplitBatch": "criteo_catalog_sdk.push.chunking",
    "Summary": "criteo_catalog_sdk.push.result",
    "TokenBucket": "criteo_catalog_sdk.push.ratecontrol",
    "batch_body": "criteo_catalog_sdk.push.wire",
    "chunk": "criteo_catalog_sdk.push.chunking",
    "content_hash": "criteo_catalog_sdk.push.wire",
    "halve": "criteo_catalog_sdk.push.chunking",
    "on_payload_too_large": "criteo_catalog_sdk.push.chunking",
    "read_csv": "criteo_catalog_sdk.push.feeds",
    "read_feed": "criteo_catalog_sdk.push.feeds",
    "read_jsonl": "criteo_catalog_sdk.push.feeds",
    "reconcile": "criteo_catalog_sdk.push.reconcile",
    "validate_feed": "criteo_catalog_sdk.push.validate",
    "validate_product": "criteo_catalog_sdk.push.validation",
}

__getattr__ = lazy_exports(__name__, _LAZY)
__all__ = list(_LAZY)
