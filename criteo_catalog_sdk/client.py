"""``CatalogClient``: the synchronous client, a thin driver over the sans-IO core.

It builds :class:`~criteo_catalog_sdk._core.Call` objects (:class:`~criteo_catalog_sdk._base_client.BaseClient`),
sends them through one pooled ``httpx.Client`` with OAuth2 client credentials, reads answers with
:func:`~criteo_catalog_sdk._core.interpret`, retries with :mod:`criteo_catalog_sdk.retry` and polls with
:mod:`criteo_catalog_sdk.polling`. The first attempt of a call runs outside tenacity (the common, fast
path); after a retryable failure tenacity takes over, replaying that failure to the shared decision.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx

from criteo_catalog_sdk import _core
from criteo_catalog_sdk._base_client import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, BaseClient
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

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "CatalogClient"]

T = TypeVar("T")


class CatalogClient(BaseClient[httpx.Client, Callable[[float], None]]):
    """Synchronous client of Criteo's Catalog Product Importer API (thread-safe).

    ``api_version``: the Criteo API generation (``preview``, ``experimental``, ``2027-01``...; default
    ``CRITEO_API_VERSION``, else ``preview``; see ``criteo_catalog_sdk.API_VERSIONS``). ``timeout``:
    seconds or an ``httpx.Timeout`` per request (default 60 s, 10 s to connect; with ``http_client``
    and no ``timeout``, that client's own). ``retry``: how transient failures (429, 5xx, network) are
    retried. ``polling``: the schedule of :meth:`wait_for_report`. ``http_client``: an ``httpx.Client``
    to send with (proxies, certificates, event hooks: every request of the client, pushes included,
    goes through it; not closed by :meth:`close`). ``sleep``: how to wait between retries and polls.
    ``app_budget``: the application's call budget every API call waits for (250 calls/min by default,
    shared by every client of the same application in the process; ``"sqlite:///PATH"`` or
    ``"redis://HOST:PORT/DB"`` to share it across processes or hosts, ``"off"``; an
    :class:`~criteo_catalog_sdk.budget.AppBudget`; default ``CRITEO_APP_BUDGET``, see
    :mod:`criteo_catalog_sdk.budget`).
    """

    _http_class = httpx.Client

    def _default_sleep(self) -> Callable[[float], None]:
        return time.sleep

    def close(self) -> None:
        """Close the connection pool (unless the ``httpx.Client`` was passed in)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- operations ----------------------------------------------------------------------------------

    def submit_batch(self, entries: Iterable[EntryInput]) -> str:
        """Send one batch of insert/delete entries; return its operation token.

        Every entry is checked before anything is sent (see :mod:`criteo_catalog_sdk.entries`): an empty
        batch, a repeated product id or an invalid product raises :class:`InvalidBatchError` naming
        them. Transient failures are retried: safe, since ``insert`` is an upsert and ``delete`` is
        idempotent.
        """
        return self._execute(self._entries_call(entries))

    def submit_encoded_batch(self, body: EncodedBody) -> str:
        """Send a batch body the caller already built, checked and encoded (``{"entries": [...]}`` as
        UTF-8 JSON), byte for byte, with no client-side checks (the push pipeline's path). A
        :class:`~criteo_catalog_sdk.body.CompressedBody` is sent decompressed as it streams."""
        return self._execute(self._encoded_call(body))

    def upsert_products(self, merchant_id: int | str, products: Iterable[ProductInput]) -> str:
        """Insert or replace ``products`` (models or camelCase dicts) of a merchant; return the operation
        token. Every product is checked first; any problem refuses the whole call (nothing is sent)."""
        return self._execute(self._upsert_call(merchant_id, products))

    def delete_products(self, merchant_id: int | str, product_ids: Iterable[str]) -> str:
        """Delete products of a merchant by id; return the operation token (retried: idempotent)."""
        return self._execute(self._delete_call(merchant_id, product_ids))

    def get_report(self, token: str) -> Report:
        """Fetch the current report of a batch operation (one poll, with retries)."""
        return self._execute(self._report_call(token))

    def wait_for_report(
        self, token: str, *, timeout: float = 3600.0, on_poll: Callable[[Report], object] | None = None
    ) -> Report:
        """Poll the report until its status is final and return it.

        Polls first after ``polling.initial_delay`` (3 s), then backs off (x1.5 up to 30 s). Each poll is
        retried on its own; a transient failure that outlasts those retries does not end the wait. Raises
        :class:`ReportTimeoutError` (carrying the token) after ``timeout`` seconds,
        :class:`OperationNotFoundError` on 404 (Criteo advises resubmitting the batch),
        :class:`ReportExpiredError` or :class:`MalformedOperationTokenError` on those 400s.
        ``on_poll`` is called with every report fetched. A final report is never polled again.
        """
        waiter = ReportWaiter(token, self.poll_policy, timeout, on_poll)
        call = self._report_call(token)
        while True:
            self._sleep(waiter.next_delay())
            try:
                report = self._execute(call)
            except CriteoError as error:
                waiter.failed(error)
                continue
            if waiter.observe(report):
                return report

    def get_merchant_stats(self, merchant_id: int | str, last_num_hours: int = 24) -> Stats:
        """Catalog statistics of a merchant over the last ``last_num_hours`` hours (1..1000)."""
        return self._execute(self._stats_call(merchant_id, last_num_hours))

    def push(
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
        """Push a whole catalog; see :meth:`AsyncCatalogClient.push` (same arguments and result).

        Runs the push's stages on a private event loop; every request goes through this client's
        ``httpx.Client`` (its proxies, certificates and event hooks), from worker threads.
        """
        from criteo_catalog_sdk.push import pipeline
        from criteo_catalog_sdk.push.api import ThreadedClientApi

        opts = pipeline.options_of(options, settings)
        job = pipeline.MerchantPush(check_merchant_id(merchant_id), products, deletes, state, opts)
        api = ThreadedClientApi(self, concurrency=opts.concurrency)
        return pipeline.run_sync(lambda: pipeline.push(api, job, on_progress))

    def push_many(
        self,
        pushes: Mapping[int | str, Any],
        *,
        states: Mapping[int | str, StateArg] | None = None,
        on_progress: Callable[[int, ProgressEvent], object] | None = None,
        options: PushOptions | None = None,
        parallel: int = DEFAULT_PARALLEL,
        **settings: Any,
    ) -> ManyResult:
        """Push many merchants' catalogs at once; see :meth:`AsyncCatalogClient.push_many` (same
        arguments and result). Every request goes through this client's ``httpx.Client``."""
        from criteo_catalog_sdk.push import many, pipeline
        from criteo_catalog_sdk.push.api import ThreadedClientApi

        run_options = pipeline.options_of(options, settings)
        work = many.merchant_pushes(pushes, states)
        api = ThreadedClientApi(self, concurrency=run_options.concurrency * max(1, min(parallel, len(work))))
        one = many.pipeline_push(api, run_options)

        return pipeline.run_sync(lambda: many.run_many(work, one, on_progress=on_progress, parallel=parallel))

    # -- driver --------------------------------------------------------------------------------------

    def _execute(self, call: _core.Call[T]) -> T:
        request = self._request(call)
        started = time.monotonic()
        try:
            return self._attempt(call, request, 1)
        except CriteoError as exc:
            retries = self._retries(call, exc, started)

        def attempt() -> T:
            return self._attempt(call, request, retries.next_attempt())

        try:
            return retries.controller.sync_retrying(self._sleep)(attempt)
        except CriteoError as exc:
            retries.gave_up(exc)
            raise

    def _attempt(self, call: _core.Call[T], request: httpx.Request, attempt: int) -> T:
        if self._budget is not None:
            self._budget.acquire()
        started = time.perf_counter()
        try:
            response = self._http.send(request, auth=self._auth, follow_redirects=False)
        except httpx.HTTPError as exc:
            raise self._unanswered(call, request, exc, attempt, started) from exc
        return self._answered(call, response, attempt, started)
