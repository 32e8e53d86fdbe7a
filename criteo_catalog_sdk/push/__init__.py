"""Building blocks of a whole-catalog push (issue 7), pure where possible and tested without a network.

Data flow, one module per step::

    feeds        read JSON Lines / CSV lazily -> FeedRecord | FeedError (line numbers)
    validation   check a product against facts sheet §3 and the Product schema, normalize it
    wire         serialize its entry once (sorted keys) -> PreparedEntry (+ content hash)
    delta        skip products whose hash equals the last confirmed one
    chunking     group entries by count and bytes; halve a batch after a 413
    inflight     never two in-flight batches with one product id; versions keep their order
    ratecontrol  AIMD products/s rate + token bucket pacer
    journal      SQLite: batches before sending, tokens, reports, outcomes, delta state; resume
    reconcile    terminal report -> per-entry outcome (lowercased ids mapped back)
    result       ProductOutcome, Summary, PushResult, JSON/CSV export
"""

import importlib
from typing import Any

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
    "InFlightGuard": "criteo_catalog_sdk.push.inflight",
    "Issue": "criteo_catalog_sdk.push.result",
    "Journal": "criteo_catalog_sdk.push.journal",
    "JournalError": "criteo_catalog_sdk.push.journal",
    "Pacer": "criteo_catalog_sdk.push.ratecontrol",
    "PreparedEntry": "criteo_catalog_sdk.push.wire",
    "ProductOutcome": "criteo_catalog_sdk.push.result",
    "PushResult": "criteo_catalog_sdk.push.result",
    "Reconciliation": "criteo_catalog_sdk.push.reconcile",
    "RejectEntry": "criteo_catalog_sdk.push.chunking",
    "Rejected": "criteo_catalog_sdk.push.wire",
    "RunInfo": "criteo_catalog_sdk.push.journal",
    "SplitBatch": "criteo_catalog_sdk.push.chunking",
    "Summary": "criteo_catalog_sdk.push.result",
    "TokenBucket": "criteo_catalog_sdk.push.ratecontrol",
    "batch_body": "criteo_catalog_sdk.push.wire",
    "check_merchant_id": "criteo_catalog_sdk.push.validation",
    "check_product_id": "criteo_catalog_sdk.push.validation",
    "chunk": "criteo_catalog_sdk.push.chunking",
    "content_hash": "criteo_catalog_sdk.push.wire",
    "halve": "criteo_catalog_sdk.push.chunking",
    "is_changed": "criteo_catalog_sdk.push.delta",
    "is_terminal": "criteo_catalog_sdk.push.reconcile",
    "on_payload_too_large": "criteo_catalog_sdk.push.chunking",
    "partition_changed": "criteo_catalog_sdk.push.delta",
    "read_csv": "criteo_catalog_sdk.push.feeds",
    "read_feed": "criteo_catalog_sdk.push.feeds",
    "read_jsonl": "criteo_catalog_sdk.push.feeds",
    "reconcile": "criteo_catalog_sdk.push.reconcile",
    "validate_product": "criteo_catalog_sdk.push.validation",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_MAX_BATCH_BYTES",
    "AimdRateController",
    "Batch",
    "Chunker",
    "EntryBuilder",
    "EntryRef",
    "FeedError",
    "FeedRecord",
    "InFlightGuard",
    "Issue",
    "Journal",
    "JournalError",
    "Pacer",
    "PreparedEntry",
    "ProductOutcome",
    "PushResult",
    "Reconciliation",
    "RejectEntry",
    "Rejected",
    "RunInfo",
    "SplitBatch",
    "Summary",
    "TokenBucket",
    "batch_body",
    "check_merchant_id",
    "check_product_id",
    "chunk",
    "content_hash",
    "halve",
    "is_changed",
    "is_terminal",
    "on_payload_too_large",
    "partition_changed",
    "read_csv",
    "read_feed",
    "read_jsonl",
    "reconcile",
    "validate_product",
]
