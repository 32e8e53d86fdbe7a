"""An operation built at a fixed time with fixed timings, for the operation and report tests."""

from __future__ import annotations

from criteo_catalog_sdk.simulator.operations import Operation, Timing, build_operation
from criteo_catalog_sdk.simulator.products import ProductLimits

NOW = 1_615_799_535.383
TIMING = Timing(accepted_seconds=1.0, processing_seconds=2.0)


def build(entries: list[dict[str, object]]) -> Operation:
    return build_operation(
        entries, operation_id="op", token="tok", client_id="c", now=NOW, timing=TIMING, limits=ProductLimits()
    )
