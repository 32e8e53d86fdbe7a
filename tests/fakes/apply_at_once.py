"""A fake Criteo at the push's seam (the PushApi protocol) whose catalog applies every accepted batch at
once, in order, so that "what the catalog holds" is exactly "the last version of a product the SDK sent".

It imitates Criteo for tests/reliability/test_no_stale_overwrite.py. The simulator cannot serve those
tests: it applies a batch when its operation is processed (on its clock), so which version wins would
depend on timing, not only on the order the SDK sent them; and it cannot doom a chosen report to expire
or be lost while still applying its batch (``fate``), the case where the push never learns the outcome.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import orjson

from criteo_catalog_sdk.api_versions import get_api_version
from criteo_catalog_sdk.body import EncodedBody
from criteo_catalog_sdk.errors import CriteoError
from criteo_catalog_sdk.polling import PollPolicy
from criteo_catalog_sdk.report import Report
from criteo_catalog_sdk.retry import RetryPolicy

# Decides, for an accepted batch's entries, the error its report will raise instead of answering (None: none).
ReportFate = Callable[[list[dict[str, Any]]], CriteoError | None]


class ApplyAtOnce:
    """A PushApi whose catalog applies every accepted batch immediately; a report is final
    ``report_after`` seconds after its batch was accepted (IN_PROGRESS before), unless ``fate`` dooms it
    to raise (Criteo applied the batch, the push never learns it)."""

    retry_policy = RetryPolicy(attempts=3, initial_wait=0.0, max_wait=0.0, jitter=0.0)
    poll_policy = PollPolicy(initial_delay=0.0, multiplier=1.0, max_delay=0.05)
    api_version = get_api_version()
    deprecations = ()

    def __init__(self, report_after: float = 0.0, fate: ReportFate | None = None) -> None:
        self.catalog: dict[str, dict[str, Any]] = {}
        self.sent: list[tuple[str, str]] = []  # (key, title), in the order they were sent
        self.reports: dict[str, tuple[int, float]] = {}
        self.report_after = report_after
        self.fate = fate
        self.doomed: dict[str, CriteoError] = {}

    async def submit(self, body: EncodedBody) -> str:
        entries = orjson.loads(bytes(body))["entries"]
        for entry in entries:
            product = entry["product"]
            self.catalog[product["id"].lower()] = product
            self.sent.append((product["id"].lower(), product["title"]))
        token = f"op-{len(self.reports)}"
        self.reports[token] = (len(entries), time.monotonic() + self.report_after)
        error = self.fate(entries) if self.fate is not None else None
        if error is not None:
            self.doomed[token] = error
        await asyncio.sleep(0)
        return token

    async def report(self, token: str) -> Report:
        if token in self.doomed:
            raise self.doomed[token]
        count, final_at = self.reports[token]
        n = str(count)
        return Report(
            {
                "status": "VALIDATED" if time.monotonic() >= final_at else "IN_PROGRESS",
                "errorDetails": [],
                "warningDetails": [],
                "importRequestTimestamp": "0",
                "numberOfProductsInTheBatch": n,
                "numberOfProductsUpserted": n,
                "numberOfProductsDeleted": "0",
                "numberOfProductsWithErrors": "0",
                "numberOfProductsWithWarnings": "0",
            }
        )

    def versions_sent(self, key: str) -> list[str]:
        """The titles sent for ``key``, in order."""
        return [title for sent_key, title in self.sent if sent_key == key]
