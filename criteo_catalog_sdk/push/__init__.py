"""Building blocks of a whole-catalog push (issue 7), pure where possible and tested without a network.

Data flow, one module per step::

    feeds        read JSON Lines, CSV/TSV, Merchant Center XML (compressed or not) lazily -> FeedRecord | FeedError
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

from criteo_catalog_sdk.push.chunking import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_BATCH_BYTES,
    Batch,
    Chunker,
    RejectEntry,
    SplitBatch,
    chunk,
    halve,
    on_payload_too_large,
)
from criteo_catalog_sdk.push.delta import is_changed, partition_changed
from criteo_catalog_sdk.push.feeds import FeedError, FeedRecord, read_csv, read_feed, read_jsonl
from criteo_catalog_sdk.push.inflight import InFlightGuard
from criteo_catalog_sdk.push.journal import Journal, JournalError, RunInfo
from criteo_catalog_sdk.push.ratecontrol import AimdRateController, Pacer, TokenBucket
from criteo_catalog_sdk.push.reconcile import EntryRef, Reconciliation, is_terminal, reconcile
from criteo_catalog_sdk.push.result import Issue, ProductOutcome, PushResult, Summary
from criteo_catalog_sdk.push.validation import check_merchant_id, check_product_id, validate_product
from criteo_catalog_sdk.push.wire import EntryBuilder, PreparedEntry, Rejected, batch_body, content_hash

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
