"""The whole-catalog push: small stages over one shared state, on anyio (asyncio or trio).

- :mod:`.state`: :class:`~.state.PushState`, what the stages share (the counters change only there);
- :mod:`.reader`: inputs -> entries -> delta sync -> batches, journaled; ``delete_missing``;
- :mod:`.sender`: pace and send each batch, one attempt at a time, actions by table;
- :mod:`.watcher`: poll each accepted batch's report, apply it, actions by table;
- :mod:`.run`: one push from the journal's opening to its result.

:func:`push` is what both clients call; :func:`run_sync` runs it for the sync client.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import anyio

from criteo_catalog_sdk.errors import InvalidRequestError
from criteo_catalog_sdk.ids import check_merchant_id
from criteo_catalog_sdk.push.api import DryRunApi, PushApi
from criteo_catalog_sdk.push.options import PushOptions
from criteo_catalog_sdk.push.pipeline.reader import READ_CHUNK, Products
from criteo_catalog_sdk.push.pipeline.run import MerchantPush, StateArg, execute
from criteo_catalog_sdk.push.pipeline.state import BURST_FRACTION, MAX_OUTSTANDING, PushAborted, effective_batch_size
from criteo_catalog_sdk.push.progress import ProgressCallback
from criteo_catalog_sdk.push.result import PushResult

__all__ = [
    "BURST_FRACTION",
    "MAX_OUTSTANDING",
    "READ_CHUNK",
    "MerchantPush",
    "Products",
    "PushAborted",
    "StateArg",
    "effective_batch_size",
    "options_of",
    "push",
    "run_sync",
]

T = TypeVar("T")


def options_of(options: PushOptions | None, settings: Mapping[str, Any]) -> PushOptions:
    """``options`` with keyword ``settings`` laid over them (see :class:`PushOptions`)."""
    return PushOptions.of(options, **settings)


async def push(api: PushApi | None, job: MerchantPush, on_progress: ProgressCallback | None = None) -> PushResult:
    """Run ``job``, a merchant's push, through ``api`` (``None``: a dry run of the default generation); see
    ``AsyncCatalogClient.push``.

    Raises :class:`PushAborted` when the push cannot go on (credentials, permissions, a decommissioned
    API generation, persistent API failure); :class:`~criteo_catalog_sdk.errors.InvalidRequestError` for
    invalid arguments and :class:`~criteo_catalog_sdk.errors.StateFileError` for a state file that cannot
    be used, both before anything is sent.
    """
    opts = job.options if job.options is not None else PushOptions()
    if isinstance(job.products, Mapping | str | bytes):
        raise InvalidRequestError("products must be an iterable of products: wrap a single product in a list")
    if isinstance(job.deletes, str | bytes):
        raise InvalidRequestError("deletes must be an iterable of product ids: wrap a single id in a list")
    if api is None:
        if not opts.dry_run:
            raise InvalidRequestError("an API client is required unless dry_run is set")
        api = DryRunApi()
    merchant = check_merchant_id(job.merchant_id)
    return await execute(api, dataclasses.replace(job, merchant_id=merchant), opts, on_progress)


def run_sync(factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine on a private event loop and return its result.

    On a thread without a running loop (the usual case) the loop runs right here, so Ctrl-C cancels the
    push cleanly; under a running loop (a notebook) it runs on a helper thread.
    """
    if not _loop_running():
        return anyio.run(_as_coroutine, factory)
    box: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            box.append(anyio.run(_as_coroutine, factory))
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=target, name="criteo-push")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return box[0]


def _loop_running() -> bool:
    try:
        anyio.get_current_task()
    except RuntimeError:  # anyio's NoEventLoopError: no event loop runs on this thread
        return False
    return True


async def _as_coroutine(factory: Callable[[], Awaitable[T]]) -> T:
    return await factory()
