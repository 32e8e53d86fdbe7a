"""What the sync and async clients share: settings, request building, logging, per-call options.

:class:`BaseClient` holds the configuration (credentials through :class:`ClientCredentialsAuth`, URLs,
API generation, timeout, retry and poll policies) and builds the :class:`~criteo_catalog_sdk._core.Call`
of each operation; the drivers (:mod:`criteo_catalog_sdk.client`, :mod:`criteo_catalog_sdk.async_client`)
only send, sleep and retry. :meth:`BaseClient.with_options` gives a copy with other per-call options
(retry, polling, timeout) over the same connection pool, token cache and lifecycle watch, as
openai-python's ``with_options`` does.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from importlib import metadata
from typing import Any, Final, Generic, Self, TypeVar

import httpx

from criteo_catalog_sdk import _core, entries
from criteo_catalog_sdk._logging import configure_from_env, logger
from criteo_catalog_sdk.api_versions import ApiVersion, get_api_version
from criteo_catalog_sdk.auth import ClientCredentialsAuth
from criteo_catalog_sdk.body import CompressedBody, EncodedBody
from criteo_catalog_sdk.budget import AppBudget, shared_budget
from criteo_catalog_sdk.config import DEFAULT_BASE_URL, TOKEN_PATH, check_url, settings_from_env, uses_tls
from criteo_catalog_sdk.errors import ConfigurationError, CriteoError, InvalidRequestError, TransportError
from criteo_catalog_sdk.lifecycle import Deprecation, LifecycleWatch
from criteo_catalog_sdk.polling import PollPolicy
from criteo_catalog_sdk.report import Report
from criteo_catalog_sdk.retry import OnRetry, RetryController, RetryDecision, RetryPolicy, is_retryable
from criteo_catalog_sdk.stats import Stats

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "USER_AGENT", "BaseClient"]

# Criteo's own SDK has no timeout by default; a hung connection must not hang a catalog push forever.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
_NOT_GIVEN: Any = object()
_HttpT = TypeVar("_HttpT", httpx.Client, httpx.AsyncClient)
_SleepT = TypeVar("_SleepT", bound=Callable[[float], object])
T = TypeVar("T")
#: What an answered response's stream becomes once its body is read (see ``_answered``).
_READ: Final = httpx.ByteStream(b"")


def _user_agent() -> str:
    try:
        version = metadata.version("criteo-catalog-sdk")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        version = "0"
    return f"criteo-catalog-sdk/{version} python-httpx/{httpx.__version__}"


USER_AGENT = _user_agent()


class BaseClient(Generic[_HttpT, _SleepT]):
    """Configuration and request building shared by both clients (no I/O), over their ``httpx`` client
    class and sleep function (the arguments are documented on :class:`~criteo_catalog_sdk.CatalogClient`)."""

    _http_class: type[_HttpT]

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        token_url: str | None = None,
        api_version: str | ApiVersion | None = None,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen, so sharing the default is safe
        polling: PollPolicy = PollPolicy(),  # noqa: B008 - frozen, so sharing the default is safe
        http_client: _HttpT | None = None,
        sleep: _SleepT | None = None,
        app_budget: AppBudget | str | None = None,
    ) -> None:
        configure_from_env()
        if not isinstance(client_id, str) or not client_id.strip():
            raise ConfigurationError("client_id is required")
        if not isinstance(client_secret, str) or not client_secret.strip():
            raise ConfigurationError("client_secret is required")
        self._base_url = check_url(base_url, "base_url")
        self._token_url = check_url(token_url or self._base_url + TOKEN_PATH, "token_url")
        self._auth = ClientCredentialsAuth(client_id, client_secret, self._token_url, user_agent=USER_AGENT)
        self._version = get_api_version(api_version)
        self._timeout = httpx.Timeout(timeout) if timeout is not None else None
        self._lifecycle = LifecycleWatch()
        application = f"{self._base_url} {client_id}"
        self._budget = app_budget if isinstance(app_budget, AppBudget) else shared_budget(application, app_budget)
        self._owns_http = http_client is None
        self._http: _HttpT = http_client or self._http_class(
            timeout=self._timeout or DEFAULT_TIMEOUT,
            headers={"User-Agent": USER_AGENT},
            verify=uses_tls(self._base_url, self._token_url),
        )
        self._sleep: _SleepT = sleep or self._default_sleep()
        self._on_retry: OnRetry | None = None
        self.retry_policy = retry
        self.poll_policy = polling

    def _default_sleep(self) -> _SleepT:
        """How this client waits between retries and polls unless told otherwise."""
        raise NotImplementedError

    # -- settings --------------------------------------------------------------------------------------

    @classmethod
    def from_env(cls, *, environ: Mapping[str, str] | None = None, **kwargs: Any) -> Self:
        """A client configured from ``CRITEO_CLIENT_ID``, ``CRITEO_CLIENT_SECRET``, ``CRITEO_API_URL`` and
        ``CRITEO_API_VERSION``. Other keyword arguments are passed to the constructor."""
        settings = settings_from_env(environ)
        kwargs.setdefault("base_url", settings.base_url)
        kwargs.setdefault("api_version", settings.api_version)
        return cls(settings.client_id, settings.client_secret, **kwargs)

    @property
    def base_url(self) -> str:
        """The API root requests go to."""
        return self._base_url

    @property
    def client_id(self) -> str:
        """The OAuth2 client id (not a secret)."""
        return self._auth.client_id

    @property
    def api_version(self) -> ApiVersion:
        """The Criteo API generation this client talks to."""
        return self._version

    @property
    def app_budget(self) -> AppBudget | None:
        """The application call budget every API call of this client waits for (``None``: off)."""
        return self._budget

    @property
    def deprecations(self) -> tuple[Deprecation, ...]:
        """The deprecations Criteo announced in this client's answers (``Deprecation``/``Sunset``)."""
        return self._lifecycle.deprecations

    def with_options(
        self,
        *,
        retry: RetryPolicy | None = None,
        polling: PollPolicy | None = None,
        timeout: float | httpx.Timeout | None = _NOT_GIVEN,
        on_retry: OnRetry | None = _NOT_GIVEN,
    ) -> Self:
        """A copy of this client with other per-call options (retry and poll policies, timeout, a
        callback told of each retry), sharing its connection pool, token cache and lifecycle watch.
        Closing the copy leaves the pool open (its owner closes it)."""
        clone = copy.copy(self)
        clone._owns_http = False
        if retry is not None:
            clone.retry_policy = retry
        if polling is not None:
            clone.poll_policy = polling
        if timeout is not _NOT_GIVEN:
            clone._timeout = httpx.Timeout(timeout) if timeout is not None else None
        if on_retry is not _NOT_GIVEN:
            clone._on_retry = on_retry
        return clone

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(client_id={self._auth.client_id!r}, base_url={self._base_url!r}, "
            f"api_version={self._version.name!r})"
        )

    # -- calls -----------------------------------------------------------------------------------------

    def _batch_call(self, body: EncodedBody) -> _core.Call[str]:
        return _core.batch_call(self._version, body)

    def _entries_call(self, batch_entries: Iterable[entries.EntryInput]) -> _core.Call[str]:
        return self._batch_call(entries.entries_body(self._version, batch_entries))

    def _encoded_call(self, body: EncodedBody) -> _core.Call[str]:
        if type(body) is CompressedBody and len(body):
            return self._batch_call(body)
        if not isinstance(body, bytes | bytearray | memoryview) or not body:
            raise InvalidRequestError("an encoded batch must be non-empty bytes or a CompressedBody")
        return self._batch_call(body if type(body) is bytes else bytes(body))

    def _upsert_call(self, merchant_id: int | str, products: Iterable[entries.ProductInput]) -> _core.Call[str]:
        return self._batch_call(entries.upsert_body(self._version, merchant_id, products))

    def _delete_call(self, merchant_id: int | str, product_ids: Iterable[str]) -> _core.Call[str]:
        return self._batch_call(entries.delete_body(self._version, merchant_id, product_ids))

    def _report_call(self, token: str) -> _core.Call[Report]:
        return _core.report_call(self._version, token)

    def _stats_call(self, merchant_id: int | str, last_num_hours: int) -> _core.Call[Stats]:
        return _core.stats_call(self._version, merchant_id, last_num_hours)

    def _request(self, call: _core.Call[Any]) -> httpx.Request:
        content, headers = self._content(call)
        return self._http.build_request(
            call.method,
            self._base_url + call.path,
            content=content,
            params=call.params,
            headers=headers,
            timeout=self._timeout if self._timeout is not None else httpx.USE_CLIENT_DEFAULT,
        )

    def _content(self, call: _core.Call[Any]) -> tuple[Any, Mapping[str, str]]:
        """What httpx sends of a call's body, and the headers: a compressed body streamed, in the form
        this client's httpx takes, stating its length (else httpx would send it chunked); whole when the
        httpx client has request hooks (a hook may read ``request.content``, which a streamed request
        does not have)."""
        body = call.content
        if type(body) is not CompressedBody:
            return body, call.headers
        if self._http.event_hooks["request"]:
            return bytes(body), call.headers
        stream = body.async_chunks() if isinstance(self._http, httpx.AsyncClient) else body
        return stream, {**call.headers, "Content-Length": str(len(body))}

    def _answered(self, call: _core.Call[T], response: httpx.Response, attempt: int, started: float) -> T:
        """What an answer means, after the bookkeeping of every answer: the lifecycle and rate-limit
        headers, one DEBUG line."""
        # httpx links a response and its stream both ways (BoundSyncStream/BoundAsyncStream): a cycle
        # that only the garbage collector frees, holding the request and its body (a batch: up to 8 MB)
        # until a collection runs. The answer is read and the stream closed by now: cut the cycle.
        for answer in (*response.history, response):  # a 401 answered before the retried request, too
            answer.stream = _READ
        self._lifecycle.observe(call.api_version, response.headers)
        if self._budget is not None:
            self._budget.observe(response.headers, status=response.status_code)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %d (attempt %d, %.1f ms)",
                call.method,
                call.path,
                response.status_code,
                attempt,
                (time.perf_counter() - started) * 1000,
            )
        return _core.interpret(call, response)

    def _unanswered(
        self, call: _core.Call[Any], request: httpx.Request, exc: httpx.HTTPError, attempt: int, started: float
    ) -> CriteoError:
        """The SDK's error for a request that got no answer, logged."""
        error = _core.transport_error(call, exc, request.url)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s (attempt %d, %.1f ms)",
                call.method,
                call.path,
                type(error).__name__,
                attempt,
                (time.perf_counter() - started) * 1000,
            )
        return error

    def _retry_logger(self, call: _core.Call[Any]) -> OnRetry:
        attempts = self.retry_policy.attempts
        forward = self._on_retry

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
            if forward is not None:
                forward(attempt, decision, error)

        return on_retry

    def _retries(self, call: _core.Call[Any], first_failure: CriteoError, started: float) -> _Retries:
        """The attempts that follow a failed first one; re-raises its failure when it is not retried."""
        if not is_retryable(first_failure) or self.retry_policy.attempts < 2:
            raise first_failure
        controller = RetryController(self.retry_policy, started=started, on_retry=self._retry_logger(call))
        return _Retries(controller, first_failure, started)


class _Retries:
    """The attempts of a call after its first one failed (that one runs outside tenacity: the common,
    fast path). Tenacity is shown that first failure too, so one decision covers every attempt."""

    def __init__(self, controller: RetryController, first_failure: CriteoError, started: float) -> None:
        self.controller = controller
        self._pending = [first_failure]
        self._tried = 1
        self._started = started

    def next_attempt(self) -> int:
        """The number of the attempt to make now (the first call replays the first failure instead)."""
        if self._pending:
            raise self._pending.pop()
        self._tried += 1
        return self._tried

    def gave_up(self, error: BaseException) -> None:
        """Say in a transport error what was tried before giving up."""
        if isinstance(error, TransportError):
            error.attempts = self._tried
            error.elapsed = time.monotonic() - self._started
