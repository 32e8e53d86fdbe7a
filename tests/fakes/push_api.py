"""A fake Criteo at the push's seam (the PushApi protocol): scheduled failures, lost reports, and the
in-flight invariant asserted on every submit. For pipeline tests that need exact control of each answer;
end-to-end tests use the simulator instead.

Why not the simulator: these tests raise any SDK error at the exact submit or poll they choose (a 413
past a byte limit they set, a report lost for good, an unreadable one), answer IN_PROGRESS a chosen
number of times, and assert on every submit that no product of the batch is in another unfinished batch,
which the simulator accepts as Criteo does; all of it in process, without HTTP in between.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import Counter, deque
from typing import Any

from criteo_catalog_sdk.api_versions import get_api_version
from criteo_catalog_sdk.body import EncodedBody
from criteo_catalog_sdk.errors import (
    CriteoError,
    OperationNotFoundError,
    PayloadTooLargeError,
)
from criteo_catalog_sdk.polling import PollPolicy
from criteo_catalog_sdk.push.options import PushOptions
from criteo_catalog_sdk.push.pipeline import MerchantPush, push
from criteo_catalog_sdk.push.result import PushResult
from criteo_catalog_sdk.report import Report
from criteo_catalog_sdk.retry import RetryPolicy
from tests.push.conftest import product

M = 4242
FAST_POLL = PollPolicy(initial_delay=0.0, multiplier=1.0, max_delay=0.005)
FAST_RETRY = RetryPolicy(attempts=5, initial_wait=0.001, max_wait=0.005, jitter=0.0, deadline=30.0)


class FakeApi:
    """A fake Criteo for the pipeline: scheduled failures, lost reports, the in-flight invariant."""

    api_version = get_api_version()
    deprecations = ()

    def __init__(self, *, retry: RetryPolicy = FAST_RETRY, poll: PollPolicy = FAST_POLL) -> None:
        self.retry_policy = retry
        self.poll_policy = poll
        self.catalog: dict[str, dict[str, Any]] = {}
        self.submit_faults: deque[CriteoError | None] = deque()
        self.report_faults: deque[CriteoError | None] = deque()
        self.max_bytes: int | None = None
        self.lose: set[int] = set()  # operation numbers whose report is lost (404) for good
        self.in_progress_polls = 1  # answers IN_PROGRESS this many times before the final report
        self.accepted: Counter[str] = Counter()  # key -> accepted sends
        self.attempts = 0
        self.unfinished: dict[str, set[str]] = {}  # token -> keys of batches whose report is not final
        self._ops: dict[str, dict[str, Any]] = {}
        self._count = itertools.count()
        self.on_submit: Any = None

    async def submit(self, body: EncodedBody) -> str:
        self.attempts += 1
        await asyncio.sleep(0)
        if self.on_submit is not None:
            self.on_submit(self)
        if self.submit_faults:
            fault = self.submit_faults.popleft()
            if fault is not None:
                raise fault
        if self.max_bytes is not None and len(body) > self.max_bytes:
            raise PayloadTooLargeError(413)
        entries = json.loads(bytes(body))["entries"]
        keys = [(e.get("product") or {}).get("id", e.get("productId")).lower() for e in entries]
        assert len(keys) == len(set(keys)), "duplicate product in one batch"
        busy = set(keys) & set().union(*self.unfinished.values()) if self.unfinished else set()
        assert not busy, f"products {busy} are in another unfinished batch"
        n = next(self._count)
        token = f"tok-{n}"
        errors = []
        changes = []
        upserted = deleted = 0
        for e, key in zip(entries, keys, strict=True):
            self.accepted[key] += 1
            if e["method"] == "delete":
                changes.append((key, None))
                deleted += 1
            elif "REJECT" in e["product"]["title"]:
                errors.append(
                    {"productId": key, "errors": [{"type": "MissingName", "message": "no", "isServerRelated": False}]}
                )
            else:
                changes.append((key, e["product"]))
                upserted += 1
        report = {
            "status": "VALIDATED_WITH_ERRORS" if errors else "VALIDATED",
            "numberOfProductsUpserted": str(upserted),
            "numberOfProductsDeleted": str(deleted),
            "errorDetails": errors,
            "warningDetails": [],
        }
        self._ops[token] = {"n": n, "report": report, "changes": changes, "polls": 0}
        self.unfinished[token] = set(keys)
        return token

    def forget_unjournaled(self, journaled: set[str]) -> None:
        """After an interruption: batches sent but not journaled as accepted will legitimately be sent
        again, so their operations no longer count as unfinished."""
        for token in set(self.unfinished) - journaled:
            del self.unfinished[token]

    def restart_polls(self) -> None:
        """Count the polls of every report from zero again (for ``in_progress_polls``)."""
        for op in self._ops.values():
            op["polls"] = 0

    async def report(self, token: str) -> Report:
        await asyncio.sleep(0)
        if self.report_faults:
            fault = self.report_faults.popleft()
            if fault is not None:
                raise fault
        op = self._ops[token]
        if op["n"] in self.lose:
            self.unfinished.pop(token, None)
            raise OperationNotFoundError(404)
        op["polls"] += 1
        if op["polls"] <= self.in_progress_polls:
            return Report({"status": "IN_PROGRESS", "errorDetails": []})
        if not op.get("applied"):
            op["applied"] = True
            for key, prod in op["changes"]:
                if prod is None:
                    self.catalog.pop(key, None)
                else:
                    self.catalog[key] = prod
        self.unfinished.pop(token, None)
        return Report(op["report"])


def catalog(n: int, start: int = 1, **over: Any) -> list[dict[str, Any]]:
    return [product(id=f"P{i}", title=f"Product {i}", **over) for i in range(start, start + n)]


_PUSH_ARGUMENTS = ("merchant_id", "deletes", "state")


def pushing(api: FakeApi | None, products: Any, **kwargs: Any) -> Any:
    """``push(...)`` with settings given as keywords, as the clients take them."""
    kwargs.setdefault("merchant_id", M)
    kwargs.setdefault("rate_limit", 1e6)
    arguments = {k: kwargs.pop(k) for k in _PUSH_ARGUMENTS if k in kwargs}
    on_progress = kwargs.pop("on_progress", None)
    return push(api, MerchantPush(products=products, **arguments, options=PushOptions.of(**kwargs)), on_progress)


def run(api: FakeApi | None, products: Any, **kwargs: Any) -> PushResult:
    result: PushResult = asyncio.run(pushing(api, products, **kwargs))
    return result
