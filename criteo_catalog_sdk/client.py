"""``CatalogClient`` and ``AsyncCatalogClient``: thin drivers over the sans-IO core.

Both clients build the same :class:`~criteo_catalog_sdk._core.Call` objects, send them through one
pooled ``httpx`` client with :class:`~criteo_catalog_sdk.auth.ClientCredentialsAuth`, read answers with
:func:`~criteo_catalog_sdk._core.interpret`, retry with :mod:`criteo_catalog_sdk.retry` and poll with
:mod:`criteo_catalog_sdk.polling`. The only differences between them are ``send`` vs ``await send``
and how they sleep.

The first attempt of a call runs outside tenacity (it is the common, fast path); only after a retryable
failure does tenacity take over, replaying that failure to the shared decision first.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from importlib import metadata
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import anyio
import httpx

from criteo_catalog_sdk import _core
from criteo_catalog_sdk._logging import configure_from_env, logger
from criteo_catalog_sdk.auth import ClientCredentialsAuth
from criteo_catalog_sdk.config import DEFAULT_BASE_URL, TOKEN_PATH, check_url, settings_from_env
from criteo_catalog_sdk.entries import (
    EntryInput,
    ProductInput,
    delete_entry,
    encode_batch,
    insert_entry,
    normalize_entries,
)
from criteo_catalog_sdk.errors import ConfigurationError, CriteoError, InvalidRequestError
from criteo_catalog_sdk.models import Product
from criteo_catalog_sdk.polling import PollPolicy, ReportWaiter
from criteo_catalog_sdk.report import Report, Stats
from criteo_catalog_sdk.retry import OnRetry, RetryController, RetryDecision, RetryPolicy, is_retryable

if TYPE_CHECKING:
    from criteo_catalog_sdk.push.pipeline import Products, StateArg
    from criteo_catalog_sdk.push.progress import ProgressCallback
    from criteo_catalog_sdk.push.result import PushResult
    from criteo_catalog_sdk.push.validation import UnknownFields

# Defaults of ``push`` (the pipeline's, spelled here so that signatures show them without importing it).
_PUSH_BATCH_SIZE = 1000
_PUSH_MAX_BATCH_BYTES = 4 * 1024 * 1024
_PUSH_RATE_LIMIT = 3000.0
_PUSH_CONCURRENCY = 4
_PUSH_REPORT_TIMEOUT = 3600.0

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "AsyncCatalogClient", "CatalogClient"]

T = TypeVar("T")

# Criteo's own SDK has no timeout by default; a hung connection must not hang a catalog push forever.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)


def _user_agent() -> str:
    try:
        version = metadata.version("criteo-catalog-sdk")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        version = "0"
    return f"criteo-catalog-sdk/{version} python-httpx/{httpx.__version__}"


USER_AGENT = _user_agent()


class _ClientBase:
    """Configuration and request building shared by both clients (no I/O)."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        base_url: str,
        token_url: str | None,
        timeout: float | httpx.Timeout | None,
        retry: RetryPolicy,
        polling: PollPolicy,
    ) -> None:
        configure_from_env()
        if not isinstance(client_id, str) or not client_id.strip():
            raise ConfigurationError("client_id is required")
        if not isinstance(client_secret, str) or not client_secret.strip():
            raise ConfigurationError("client_secret is required")
        self._base_url = check_url(base_url, "base_url")
        self._token_url = check_url(token_url or self._base_url + TOKEN_PATH, "token_url")
        self._auth = ClientCredentialsAuth(client_id, client_secret, self._token_url, user_agent=USER_AGENT)
        self._timeout = httpx.Timeout(timeout) if timeout is not None else None
        self.retry_policy = retry
        self.poll_policy = polling

    @property
    def base_url(self) -> str:
        """The API root requests go to."""
        return self._base_url

    @property
    def client_id(self) -> str:
        """The OAuth2 client id (not a secret)."""
        return self._auth.client_id

    def __repr__(self) -> str:
        return f"{type(self).__name__}(client_id={self._auth.client_id!r}, base_url={self._base_url!r})"

    # -- calls ---------------------------------------------------------------------------------------

    @staticmethod
    def _batch_call(entries: Iterable[EntryInput]) -> _core.Call[str]:
        return _core.batch_call(encode_batch(normalize_entries(entries)))

    @staticmethod
    def _encoded_call(body: bytes) -> _core.Call[str]:
        if not isinstance(body, bytes | bytearray | memoryview) or not body:
            raise InvalidRequestError("an encoded batch must be non-empty bytes")
        return _core.batch_call(body if type(body) is bytes else bytes(body))

    @staticmethod
    def _upsert_call(merchant_id: int | str, products: Iterable[ProductInput]) -> _core.Call[str]:
        if isinstance(products, Mapping | Product | str | bytes):
            raise InvalidRequestError("products must be an iterable of products: wrap a single product in a list")
        return _ClientBase._batch_call([insert_entry(merchant_id, product) for product in products])

    @staticmethod
    def _delete_call(merchant_id: int | str, product_ids: Iterable[str]) -> _core.Call[str]:
        if isinstance(product_ids, str | bytes | Mapping):
            raise InvalidRequestError("product_ids must be an iterable of ids: wrap a single id in a list")
        return _ClientBase._batch_call([delete_entry(merchant_id, product_id) for product_id in product_ids])

    def _request(self, http: httpx.Client | httpx.AsyncClient, call: _core.Call[Any]) -> httpx.Request:
        return http.build_request(
            call.method,
            self._base_url + call.path,
            content=call.content,
            params=call.params,
            headers=call.headers,
            timeout=self._timeout if self._timeout is not None else httpx.USE_CLIENT_DEFAULT,
        )

    # -- logging -------------------------------------------------------------------------------------

    @staticmethod
    def _log_answer(call: _core.Call[Any], status: int, attempt: int, started: float) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %d (attempt %d, %.1f ms)",
                call.method,
                call.path,
                status,
                attempt,
                (time.perf_counter() - started) * 1000,
            )

    @staticmethod
    def _log_failure(call: _core.Call[Any], error: CriteoError, attempt: int, started: float) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s (attempt %d, %.1f ms)",
                call.method,
                call.path,
                type(error).__name__,
                attempt,
                (time.perf_counter() - started) * 1000,
            )

    def _retry_logger(self, call: _core.Call[Any]) -> OnRetry:
        attempts = self.retry_policy.attempts

        def on_retry(attempt: int, decision: RetryDecision, error: BaseException) -> None:
            logger.info(
                "%s %s: attempt %d/%d failed (%s); retrying in %.2f s",
                call.method,
                call.path,
                attempt,
                attempts,
                decision.reason,
                decision.wait,
            )

        return on_retry


class CatalogClient(_ClientBase):
    """Synchronous client of Criteo's Catalog Product Importer API (thread-safe).

    ``timeout``: seconds or an ``httpx.Timeout`` per request (default 60 s, 10 s to connect; with
    ``http_client`` and no ``timeout``, that client's own timeout). ``retry``: how transient failures
    (429, 5xx, network) are retried. ``polling``: the schedule of :meth:`wait_for_report`.
    ``http_client``: an ``httpx.Client`` to send with (not closed by :meth:`close`). ``sleep``: the
    function used to wait between retries and polls (tests inject a fake).
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        token_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen, so sharing the default is safe
        polling: PollPolicy = PollPolicy(),  # noqa: B008 - frozen, so sharing the default is safe
        http_client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(
            client_id,
            client_secret,
            base_url=base_url,
            token_url=token_url,
            timeout=timeout,
            retry=retry,
            polling=polling,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(
            timeout=self._timeout or DEFAULT_TIMEOUT, headers={"User-Agent": USER_AGENT}
        )
        self._sleep = sleep

    @classmethod
    def from_env(cls, *, environ: Mapping[str, str] | None = None, **kwargs: Any) -> Self:
        """A client configured from ``CRITEO_CLIENT_ID``, ``CRITEO_CLIENT_SECRET`` and ``CRITEO_API_URL``.

        Other keyword arguments are passed to the constructor.
        """
        settings = settings_from_env(environ)
        kwargs.setdefault("base_url", settings.base_url)
        return cls(settings.client_id, settings.client_secret, **kwargs)

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

        ``entries`` are ``ProductsCustomBatchRequestEntry`` models or camelCase dicts. An empty batch or
        a product id repeated in it (ignoring case) raises :class:`InvalidBatchError` before sending.
        Transient failures are retried: safe, since ``insert`` is an upsert and ``delete`` is idempotent.
        """
        return self._execute(self._batch_call(entries))

    def submit_encoded_batch(self, body: bytes) -> str:
        """Send a batch body the caller already built and encoded (``{"entries": [...]}`` as UTF-8 JSON).

        For pipelines that validate, de-duplicate and serialize entries themselves: the body is sent
        byte for byte, with no client-side checks. Retried like :meth:`submit_batch`.
        """
        return self._execute(self._encoded_call(body))

    def upsert_products(self, merchant_id: int | str, products: Iterable[ProductInput]) -> str:
        """Insert or replace ``products`` (models or camelCase dicts) of a merchant; return the operation token.

        Retried on transient failures: an insert is an upsert, so sending it twice changes nothing.
        """
        return self._execute(self._upsert_call(merchant_id, products))

    def delete_products(self, merchant_id: int | str, product_ids: Iterable[str]) -> str:
        """Delete products of a merchant by id; return the operation token.

        Retried on transient failures: deleting twice is the same as deleting once.
        """
        return self._execute(self._delete_call(merchant_id, product_ids))

    def get_report(self, token: str) -> Report:
        """Fetch the current report of a batch operation (one poll, with retries)."""
        return self._execute(_core.report_call(token))

    def wait_for_report(
        self, token: str, *, timeout: float = 3600.0, on_poll: Callable[[Report], object] | None = None
    ) -> Report:
        """Poll the report until its status is final and return it.

        Polls first after ``polling.initial_delay`` (3 s), then backs off (x1.5 up to 30 s). Each poll is
        retried on its own; a transient failure that outlasts those retries does not end the wait. Raises
        :class:`ReportTimeoutError` (carrying the token) after ``timeout`` seconds,
        :class:`OperationNotFoundError` on 404 (Criteo advises resubmitting the batch),
        :class:`ReportExpiredError` or :class:`MalformedOperationTokenError` on those 400s.
        ``on_poll`` is called with every report fetched.
        """
        waiter = ReportWaiter(token, self.poll_policy, timeout, on_poll)
        call = _core.report_call(token)
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
        return self._execute(_core.stats_call(merchant_id, last_num_hours))

    def push(
        self,
        products: Products,
        *,
        merchant_id: int | str,
        deletes: Iterable[str] = (),
        batch_size: int = _PUSH_BATCH_SIZE,
        max_batch_bytes: int = _PUSH_MAX_BATCH_BYTES,
        rate_limit: float = _PUSH_RATE_LIMIT,
        concurrency: int = _PUSH_CONCURRENCY,
        state: StateArg = None,
        delta: bool = False,
        delete_missing: bool = False,
        wait: bool = True,
        on_progress: ProgressCallback | None = None,
        dry_run: bool = False,
        unknown_fields: UnknownFields = "reject",
        report_timeout: float = _PUSH_REPORT_TIMEOUT,
        max_delete_fraction: float | None = None,
    ) -> PushResult:
        """Push a whole catalog; see :meth:`AsyncCatalogClient.push` (same arguments and result).

        Runs the same async pipeline on a private event loop, with an :class:`AsyncCatalogClient` made
        from this client's settings (credentials, URLs, timeout, retry and poll policies). ``products``
        and ``on_progress`` are used on that loop's thread: this one, unless an event loop already runs
        here (a notebook), in which case a helper thread.
        """
        from criteo_catalog_sdk.push import pipeline

        async def run() -> PushResult:
            async with self._async_twin() as client:
                return await pipeline.push(
                    pipeline.ClientPushApi(client),
                    products,
                    merchant_id=merchant_id,
                    deletes=deletes,
                    batch_size=batch_size,
                    max_batch_bytes=max_batch_bytes,
                    rate_limit=rate_limit,
                    concurrency=concurrency,
                    state=state,
                    delta=delta,
                    delete_missing=delete_missing,
                    wait=wait,
                    on_progress=on_progress,
                    dry_run=dry_run,
                    unknown_fields=unknown_fields,
                    report_timeout=report_timeout,
                    max_delete_fraction=max_delete_fraction,
                )

        return pipeline.run_sync(run)

    def _async_twin(self) -> AsyncCatalogClient:
        # Same settings, its own connection pool and token cache (bound to the push's event loop).
        return AsyncCatalogClient(
            self._auth.client_id,
            self._auth._secret.reveal(),
            base_url=self._base_url,
            token_url=self._token_url,
            timeout=self._timeout,
            retry=self.retry_policy,
            polling=self.poll_policy,
        )

    # -- driver --------------------------------------------------------------------------------------

    def _execute(self, call: _core.Call[T]) -> T:
        request = self._request(self._http, call)
        started = time.monotonic()
        try:
            return self._attempt(call, request, 1)
        except CriteoError as exc:
            if not is_retryable(exc) or self.retry_policy.attempts < 2:
                raise
            pending = [exc]
        counter = itertools.count(2)

        def attempt() -> T:
            if pending:  # tenacity sees the first failure too, so one decision covers every attempt
                raise pending.pop()
            return self._attempt(call, request, next(counter))

        controller = RetryController(self.retry_policy, started=started, on_retry=self._retry_logger(call))
        return controller.sync_retrying(self._sleep)(attempt)

    def _attempt(self, call: _core.Call[T], request: httpx.Request, attempt: int) -> T:
        started = time.perf_counter()
        try:
            response = self._http.send(request, auth=self._auth, follow_redirects=False)
        except httpx.HTTPError as exc:
            error = _core.transport_error(call, exc)
            self._log_failure(call, error, attempt, started)
            raise error from exc
        self._log_answer(call, response.status_code, attempt, started)
        return _core.interpret(call, response)


class AsyncCatalogClient(_ClientBase):
    """Asynchronous client of Criteo's Catalog Product Importer API: :class:`CatalogClient`'s methods,
    awaitable (asyncio or trio, through anyio). Concurrent tasks share one connection pool and one
    token refresh."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        token_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen, so sharing the default is safe
        polling: PollPolicy = PollPolicy(),  # noqa: B008 - frozen, so sharing the default is safe
        http_client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        super().__init__(
            client_id,
            client_secret,
            base_url=base_url,
            token_url=token_url,
            timeout=timeout,
            retry=retry,
            polling=polling,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(
            timeout=self._timeout or DEFAULT_TIMEOUT, headers={"User-Agent": USER_AGENT}
        )
        self._sleep = sleep

    @classmethod
    def from_env(cls, *, environ: Mapping[str, str] | None = None, **kwargs: Any) -> Self:
        """A client configured from ``CRITEO_CLIENT_ID``, ``CRITEO_CLIENT_SECRET`` and ``CRITEO_API_URL``."""
        settings = settings_from_env(environ)
        kwargs.setdefault("base_url", settings.base_url)
        return cls(settings.client_id, settings.client_secret, **kwargs)

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
        """Send one batch of insert/delete entries; return its operation token (see ``CatalogClient``).

        Transient failures are retried: safe, since ``insert`` is an upsert and ``delete`` is idempotent.
        """
        return await self._execute(self._batch_call(entries))

    async def submit_encoded_batch(self, body: bytes) -> str:
        """Send a batch body the caller already built and encoded, byte for byte (see ``CatalogClient``)."""
        return await self._execute(self._encoded_call(body))

    async def upsert_products(self, merchant_id: int | str, products: Iterable[ProductInput]) -> str:
        """Insert or replace products of a merchant; return the operation token (retried: an upsert)."""
        return await self._execute(self._upsert_call(merchant_id, products))

    async def delete_products(self, merchant_id: int | str, product_ids: Iterable[str]) -> str:
        """Delete products of a merchant by id; return the operation token (retried: idempotent)."""
        return await self._execute(self._delete_call(merchant_id, product_ids))

    async def get_report(self, token: str) -> Report:
        """Fetch the current report of a batch operation (one poll, with retries)."""
        return await self._execute(_core.report_call(token))

    async def wait_for_report(
        self, token: str, *, timeout: float = 3600.0, on_poll: Callable[[Report], object] | None = None
    ) -> Report:
        """Poll the report until its status is final and return it (see ``CatalogClient.wait_for_report``)."""
        waiter = ReportWaiter(token, self.poll_policy, timeout, on_poll)
        call = _core.report_call(token)
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
        return await self._execute(_core.stats_call(merchant_id, last_num_hours))

    async def push(
        self,
        products: Products,
        *,
        merchant_id: int | str,
        deletes: Iterable[str] = (),
        batch_size: int = _PUSH_BATCH_SIZE,
        max_batch_bytes: int = _PUSH_MAX_BATCH_BYTES,
        rate_limit: float = _PUSH_RATE_LIMIT,
        concurrency: int = _PUSH_CONCURRENCY,
        state: StateArg = None,
        delta: bool = False,
        delete_missing: bool = False,
        wait: bool = True,
        on_progress: ProgressCallback | None = None,
        dry_run: bool = False,
        unknown_fields: UnknownFields = "reject",
        report_timeout: float = _PUSH_REPORT_TIMEOUT,
        max_delete_fraction: float | None = None,
    ) -> PushResult:
        """Push a whole catalog of one merchant and account for every product.

        ``products``: any iterable or async iterable of products (camelCase dicts, ``Product`` models,
        or the ``FeedRecord``/``FeedError`` items of :func:`~criteo_catalog_sdk.push.feeds.read_feed`),
        consumed lazily: memory stays flat whatever the catalog size. ``deletes``: product ids to delete
        (numbered after the products). Each product is checked client-side (a rejected one is reported
        with field, length and limit, and never sent), batched by ``batch_size`` entries and
        ``max_batch_bytes``, paced at ``rate_limit`` products/s with ``concurrency`` batches in flight
        (429s slow the pace down; a 413 splits the batch in halves, recursively), then its report is
        polled (unless ``wait=False``) and mapped back to each product.

        ``state``: an SQLite file journaling every batch before it is sent; pushing again with the same
        file after a crash or Ctrl-C resumes (accepted batches are not resent). ``delta=True`` sends only
        products new or changed since the last push with that state; ``delete_missing=True`` deletes the
        products of the state absent from ``products`` (refused if some inputs were unreadable, or if more
        than ``max_delete_fraction`` of them would go). ``on_progress`` receives
        :class:`~criteo_catalog_sdk.push.progress.ProgressEvent` snapshots. ``dry_run``: check and batch,
        send nothing (the state is not modified). ``unknown_fields``: ``reject`` (default), ``drop`` or
        ``keep`` fields the Product schema does not know. ``report_timeout``: seconds to poll each report.

        Returns a :class:`~criteo_catalog_sdk.push.result.PushResult` (summary, per-product outcomes,
        JSON/CSV export, operation tokens) read from the journal: close it (or use ``with``) to release
        the journal early. Raises :class:`~criteo_catalog_sdk.push.pipeline.PushAborted` when the push
        cannot go on (credentials, permissions, persistent API failure): push again with the same state.
        """
        from criteo_catalog_sdk.push import pipeline

        return await pipeline.push(
            pipeline.ClientPushApi(self),
            products,
            merchant_id=merchant_id,
            deletes=deletes,
            batch_size=batch_size,
            max_batch_bytes=max_batch_bytes,
            rate_limit=rate_limit,
            concurrency=concurrency,
            state=state,
            delta=delta,
            delete_missing=delete_missing,
            wait=wait,
            on_progress=on_progress,
            dry_run=dry_run,
            unknown_fields=unknown_fields,
            report_timeout=report_timeout,
            max_delete_fraction=max_delete_fraction,
        )

    async def _submit_encoded_once(self, body: bytes) -> str:
        # One attempt, no retry loop: the push pipeline paces and retries batches itself, so that it
        # sees every 429 (for its pacer) and every 413 (to split the batch).
        call = self._encoded_call(body)
        return await self._attempt(call, self._request(self._http, call), 1)

    # -- driver --------------------------------------------------------------------------------------

    async def _execute(self, call: _core.Call[T]) -> T:
        request = self._request(self._http, call)
        started = time.monotonic()
        try:
            return await self._attempt(call, request, 1)
        except CriteoError as exc:
            if not is_retryable(exc) or self.retry_policy.attempts < 2:
                raise
            pending = [exc]
        counter = itertools.count(2)

        async def attempt() -> T:
            if pending:  # tenacity sees the first failure too, so one decision covers every attempt
                raise pending.pop()
            return await self._attempt(call, request, next(counter))

        controller = RetryController(self.retry_policy, started=started, on_retry=self._retry_logger(call))
        return await controller.async_retrying(self._sleep)(attempt)

    async def _attempt(self, call: _core.Call[T], request: httpx.Request, attempt: int) -> T:
        started = time.perf_counter()
        try:
            response = await self._http.send(request, auth=self._auth, follow_redirects=False)
        except httpx.HTTPError as exc:
            error = _core.transport_error(call, exc)
            self._log_failure(call, error, attempt, started)
            raise error from exc
        self._log_answer(call, response.status_code, attempt, started)
        return _core.interpret(call, response)
