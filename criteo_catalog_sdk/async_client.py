"""``AsyncCatalogClient``: :class:`~criteo_catalog_sdk.client.CatalogClient`'s methods, awaitable.

Written on anyio, so it runs under asyncio and trio alike; concurrent tasks share one connection pool
and one token refresh. The only differences from the sync driver are ``await send`` and how it sleeps.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import anyio
import httpx

from criteo_catalog_sdk import _core
from criteo_catalog_sdk._base_client import BaseClient
from criteo_catalog_sdk.body import EncodedBody
from criteo_catalog_sdk.entries import EntryInput, ProductInput
from criteo_catalog_sdk.errors import CriteoError
from criteo_catalog_sdk.ids import check_merchant_id
from criteo_catalog_sdk.polling import ReportWaiter
from criteo_catalog_sdk.push.options import DEFAULT_PARALLEL
from criteo_catalog_sdk.report import Report
from criteo_catalog_sdk.stats import Stats

if TYPE_CHECKING:
    from criteo_catalog_sdk.push.many import ManyResult
    from criteo_catalog_sdk.push.options import PushOptions
    from criteo_catalog_sdk.push.pipeline import Products, StateArg
    from criteo_catalog_sdk.push.progress import ProgressCallback, ProgressEvent
    from criteo_catalog_sdk.push.result import PushResult

__all__ = ["AsyncCatalogClient"]

T = TypeVar("T")


class AsyncCatalogClient(BaseClient[httpx.AsyncClient, Callable[[float], Awaitable[None]]]):
    """Asynchronous client of Criteo's Catalog Product Importer API (asyncio or trio, through anyio).

    Same arguments as :class:`~criteo_catalog_sdk.client.CatalogClient`; ``http_client`` is an
    ``httpx.AsyncClient`` and ``sleep`` an awaitable.
    """

    _http_class = httpx.AsyncClient

    def _default_sleep(self) -> Callable[[float], Awaitable[None]]:
        return anyio.sleep

    async def close(self) -> None:
        """Close the connection pool (unless the ``httpx.AsyncClient`` was passed in)."""
        if self._owns_http:
            await self._http.aclose()

    aclose = close

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    # -- operations ----------------------------------------------------------------------------------

    async def submit_batch(self, entries: Iterable[EntryInput]) -> str:
        """Send one batch of insert/delete entries, every entry checked first; return its operation token."""
        return await self._execute(self._entries_call(entries))

    async def submit_encoded_batch(self, body: EncodedBody) -> str:
        """Send a batch body the caller already built, checked and encoded, byte for byte (a
        :class:`~criteo_catalog_sdk.body.CompressedBody` decompressed as it streams)."""
        return await self._execute(self._encoded_call(body))

    async def upsert_products(self, merchant_id: int | str, products: Iterable[ProductInput]) -> str:
        """Insert or replace products of a merchant, every product checked first; return the operation token."""
        return await self._execute(self._upsert_call(merchant_id, products))

    async def delete_products(self, merchant_id: int | str, product_ids: Iterable[str]) -> str:
        """Delete products of a merchant by id; return the operation token (retried: idempotent)."""
        return await self._execute(self._delete_call(merchant_id, product_ids))

    async def get_report(self, token: str) -> Report:
        """Fetch the current report of a batch operation (one poll, with retries)."""
        return await self._execute(self._report_call(token))

    async def wait_for_report(
        self, token: str, *, timeout: float = 3600.0, on_poll: Callable[[Report], object] | None = None
    ) -> Report:
        """Poll the report until its status is final and return it (see ``CatalogClient.wait_for_report``)."""
        waiter = ReportWaiter(token, self.poll_policy, timeout, on_poll)
        call = self._report_call(token)
        while True:
            await self._sleep(waiter.next_delay())
            try:
                report = await self._execute(call)
            except CriteoError as error:
                waiter.failed(error)
                continue
            if waiter.observe(report):
                return report

    async def get_merchant_stats(self, merchant_id: int | str, last_num_hours: int = 24) -> Stats:
        """Catalog statistics of a merchant over the last ``last_num_hours`` hours (1..1000)."""
        return await self._execute(self._stats_call(merchant_id, last_num_hours))

    async def push(
        self,
        products: Products,
        *,
        merchant_id: int | str,
        deletes: Iterable[str] = (),
        state: StateArg = None,
        on_progress: ProgressCallback | None = None,
        options: PushOptions | None = None,
        **settings: Any,
    ) -> PushResult:
        """Push a whole catalog of one merchant and account for every product.

        ``products``: any iterable or async iterable of products (camelCase dicts, ``Product`` models, or
        the ``FeedRecord``/``FeedError`` items of :func:`~criteo_catalog_sdk.push.feeds.read_feed`),
        consumed lazily: memory stays flat whatever the catalog size. ``deletes``: product ids to delete
        (numbered after the products). ``state``: an SQLite file journaling every batch before it is
        sent: pushing again with the same file after a crash or Ctrl-C resumes (accepted batches are not
        resent), and it holds what delta sync and ``delete_missing`` compare with. ``on_progress``
        receives :class:`~criteo_catalog_sdk.push.progress.ProgressEvent` snapshots.

        How the push runs is a :class:`~criteo_catalog_sdk.push.options.PushOptions`: pass ``options=``,
        or its fields as keywords (``delta=True``, ``delete_missing=True``, ``batch_size=500``...; they
        override ``options``). Each product is checked client-side (a rejected one is reported with
        field, length and limit, and never sent), batched, paced, sent, and its report polled and mapped
        back to each product.

        Returns a :class:`~criteo_catalog_sdk.push.result.PushResult` (summary, per-product outcomes,
        notes, JSON/CSV export, operation tokens) read from the journal: close it (or use ``with``) to
        release the journal early. Raises :class:`~criteo_catalog_sdk.push.pipeline.PushAborted` when
        the push cannot go on (credentials, permissions, a decommissioned API generation, persistent API
        failure): push again with the same state.
        """
        from criteo_catalog_sdk.push import pipeline
        from criteo_catalog_sdk.push.api import AsyncClientApi

        job = pipeline.MerchantPush(
            check_merchant_id(merchant_id), products, deletes, state, pipeline.options_of(options, settings)
        )
        return await pipeline.push(AsyncClientApi(self), job, on_progress)

    async def push_many(
        self,
        pushes: Mapping[int | str, Any],
        *,
        states: Mapping[int | str, StateArg] | None = None,
        on_progress: Callable[[int, ProgressEvent], object] | None = None,
        options: PushOptions | None = None,
        parallel: int = DEFAULT_PARALLEL,
        **settings: Any,
    ) -> ManyResult:
        """Push many merchants' catalogs at once through this client, sharing its application call budget.

        ``pushes`` maps each merchant id to its products (any iterable, as :meth:`push` takes) or to a
        :class:`~criteo_catalog_sdk.push.many.MerchantPush` (its own deletes, state and options);
        ``states`` gives each merchant's state file. ``options``/``settings`` are the run's
        :class:`~criteo_catalog_sdk.push.options.PushOptions` (a merchant's own options win).
        ``on_progress`` receives ``(merchant_id, event)``. Returns a
        :class:`~criteo_catalog_sdk.push.many.ManyResult`: each merchant's result, or the error that
        stopped its push (the others go on).
        """
        from criteo_catalog_sdk.push import many, pipeline
        from criteo_catalog_sdk.push.api import AsyncClientApi

        one = many.pipeline_push(AsyncClientApi(self), pipeline.options_of(options, settings))

        return await many.run_many(
            many.merchant_pushes(pushes, states), one, on_progress=on_progress, parallel=parallel
        )

    # -- driver --------------------------------------------------------------------------------------

    async def _execute(self, call: _core.Call[T]) -> T:
        request = self._request(call)
        started = time.monotonic()
        try:
            return await self._attempt(call, request, 1)
        except CriteoError as exc:
            retries = self._retries(call, exc, started)

        async def attempt() -> T:
            return await self._attempt(call, request, retries.next_attempt())

        try:
            return await retries.controller.async_retrying(self._sleep)(attempt)
        except CriteoError as exc:
            retries.gave_up(exc)
            raise

    async def _attempt(self, call: _core.Call[T], request: httpx.Request, attempt: int) -> T:
        if self._budget is not None:
            await self._budget.acquire_async()
        started = time.perf_counter()
        try:
            response = await self._http.send(request, auth=self._auth, follow_redirects=False)
        except httpx.HTTPError as exc:
            raise self._unanswered(call, request, exc, attempt, started) from exc
        return self._answered(call, response, attempt, started)
