"""Many merchants in one run: their pushes side by side, sharing the application's call budget.

An agency pushes many merchants under one application: each merchant has its own budget of products
per second, but every call of every merchant spends the application's 250 calls per minute. The pushes
run concurrently through one client, so they share its :class:`~criteo_catalog_sdk.budget.AppBudget`
(every call waits its turn for it: no merchant can starve the others), and each keeps its own pacer,
state file and result. One merchant's failure (credentials refused for it, its feed unreadable) ends its
push only: the others go on, and the failure is in its entry of the :class:`ManyResult`.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import anyio

from criteo_catalog_sdk.errors import CriteoError
from criteo_catalog_sdk.ids import check_merchant_id
from criteo_catalog_sdk.push import pipeline
from criteo_catalog_sdk.push.api import PushApi
from criteo_catalog_sdk.push.options import DEFAULT_PARALLEL, PushOptions
from criteo_catalog_sdk.push.pipeline.reader import Products
from criteo_catalog_sdk.push.pipeline.run import MerchantPush, StateArg
from criteo_catalog_sdk.push.progress import ProgressCallback, ProgressEvent
from criteo_catalog_sdk.push.result import PushResult

__all__ = ["ManyResult", "MerchantPush", "merchant_pushes", "pipeline_push", "run_many"]


@dataclass(slots=True)
class ManyResult:
    """Each merchant's :class:`PushResult`, or the error that stopped its push."""

    results: dict[int, PushResult] = field(default_factory=dict)
    failures: dict[int, BaseException] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Every merchant's push ended and accounted every product as accepted."""
        return not self.failures and all(r.ok for r in self.results.values())

    @property
    def merchants(self) -> list[int]:
        """Every merchant of the run, in order."""
        return sorted({*self.results, *self.failures})

    def close(self) -> None:
        """Release every result's journal."""
        for result in self.results.values():
            result.close()

    def __enter__(self) -> ManyResult:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ManyResult(results={len(self.results)}, failures={sorted(self.failures)})"


def merchant_pushes(
    pushes: Mapping[int | str, Products | MerchantPush], states: Mapping[int | str, StateArg] | None = None
) -> list[MerchantPush]:
    """The pushes of a run: a mapping of merchant id to its products (or a :class:`MerchantPush`), with
    the state file of each in ``states``. Merchant ids are checked (one rule) before anything is sent;
    the same merchant twice, or two merchants on one state file, is an error."""
    out: list[MerchantPush] = []
    seen_states: dict[str, int] = {}
    for key, value in pushes.items():
        merchant = check_merchant_id(key)
        push = value if isinstance(value, MerchantPush) else MerchantPush(merchant, value)
        if push.merchant_id != merchant:
            push = replace(push, merchant_id=merchant)
        if states is not None and key in states:
            push = replace(push, state=states[key])
        if any(p.merchant_id == merchant for p in out):
            raise ValueError(f"merchant {merchant} appears twice")
        if isinstance(push.state, str | os.PathLike):
            path = os.path.abspath(os.fspath(push.state))
            if path in seen_states:
                raise ValueError(f"merchants {seen_states[path]} and {merchant} share the state file {push.state}")
            seen_states[path] = merchant
        out.append(push)
    return out


PushOne = Callable[[MerchantPush, ProgressCallback | None], Awaitable[PushResult]]


def pipeline_push(api: PushApi | None, run_options: PushOptions | None = None) -> PushOne:
    """The :data:`PushOne` that pushes a merchant through ``api`` with the pipeline, under its own
    options, else ``run_options``."""

    async def push_one(push: MerchantPush, on_progress: ProgressCallback | None) -> PushResult:
        if push.options is None:
            push = replace(push, options=run_options)
        return await pipeline.push(api, push, on_progress)

    return push_one


async def run_many(
    pushes: list[MerchantPush],
    push_one: PushOne,
    *,
    on_progress: Callable[[int, ProgressEvent], Any] | None = None,
    parallel: int = DEFAULT_PARALLEL,
) -> ManyResult:
    """Run the pushes concurrently (at most ``parallel`` at once) with ``push_one`` and collect them.

    ``on_progress`` receives ``(merchant_id, event)``. A merchant's :class:`CriteoError` (or an
    ``OSError`` of its feed) is recorded as its failure; anything else (a bug, Ctrl-C) stops the run.
    """
    result = ManyResult()
    slots = anyio.Semaphore(max(1, parallel))

    async def one(push: MerchantPush) -> None:
        merchant = push.merchant_id
        progress = None if on_progress is None else (lambda event: on_progress(merchant, event))
        async with slots:
            try:
                result.results[merchant] = await push_one(push, progress)
            except (CriteoError, OSError) as exc:
                result.failures[merchant] = exc

    async with anyio.create_task_group() as tasks:
        for push in pushes:
            tasks.start_soon(one, push)
    return result
