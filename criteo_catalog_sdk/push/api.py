"""What the push needs from Criteo's API, and the adapters that give it from either client.

The pipeline sends each batch with **one** HTTP attempt (so that it sees every 429 for its pacer and
every 413 to split, and paces each retry like a first send): the adapters get that through the
clients' public per-call options, ``client.with_options(retry=RetryPolicy.disabled())``. Reports are
polled with the client's own retries. Every request goes through the client's ``httpx`` client: the
sync client's push runs its blocking calls on worker threads, so the caller's ``httpx.Client`` (its
proxies, certificates, event hooks) carries the push too.
"""

from __future__ import annotations

from typing import Protocol, Self

import anyio

from criteo_catalog_sdk.api_versions import ApiVersion, get_api_version
from criteo_catalog_sdk.body import EncodedBody
from criteo_catalog_sdk.lifecycle import Deprecation
from criteo_catalog_sdk.polling import PollPolicy
from criteo_catalog_sdk.report import Report
from criteo_catalog_sdk.retry import RetryPolicy

__all__ = ["AsyncClientApi", "DryRunApi", "PushApi", "ThreadedClientApi"]

#: Report polls in flight at once (on top of the batches in flight).
MAX_CONCURRENT_POLLS = 8


class PushApi(Protocol):
    """One send attempt, one report poll, and the policies and generation they follow."""

    @property
    def api_version(self) -> ApiVersion:
        """The API generation the batches are written for."""
        ...

    @property
    def retry_policy(self) -> RetryPolicy:
        """How transient send failures are retried."""
        ...

    @property
    def poll_policy(self) -> PollPolicy:
        """When reports are polled."""
        ...

    @property
    def deprecations(self) -> tuple[Deprecation, ...]:
        """What Criteo said of the generation's lifecycle so far."""
        ...

    async def submit(self, body: EncodedBody) -> str:
        """Send an encoded batch once (no retry); return its operation token or raise the typed error."""
        ...

    async def report(self, token: str) -> Report:
        """Fetch a report (the client may retry transient failures)."""
        ...


class _ClientPolicies(Protocol):
    """What the adapters read of a client (either one): its generation, policies and lifecycle notices.

    Structural, so that this module needs neither client module (they import it)."""

    @property
    def api_version(self) -> ApiVersion: ...

    @property
    def retry_policy(self) -> RetryPolicy: ...

    @property
    def poll_policy(self) -> PollPolicy: ...

    @property
    def deprecations(self) -> tuple[Deprecation, ...]: ...


class AsyncCalls(_ClientPolicies, Protocol):
    """The calls of :class:`~criteo_catalog_sdk.async_client.AsyncCatalogClient` the push makes."""

    def with_options(self, *, retry: RetryPolicy) -> Self: ...

    async def submit_encoded_batch(self, body: EncodedBody) -> str: ...

    async def get_report(self, operation_token: str) -> Report: ...


class SyncCalls(_ClientPolicies, Protocol):
    """The calls of :class:`~criteo_catalog_sdk.client.CatalogClient` the push makes."""

    def with_options(self, *, retry: RetryPolicy) -> Self: ...

    def submit_encoded_batch(self, body: EncodedBody) -> str: ...

    def get_report(self, operation_token: str) -> Report: ...


class _FromClient:
    """The policies and generation of an adapter: its client's."""

    client: _ClientPolicies

    @property
    def api_version(self) -> ApiVersion:
        """The client's generation."""
        return self.client.api_version

    @property
    def retry_policy(self) -> RetryPolicy:
        """The client's retry policy."""
        return self.client.retry_policy

    @property
    def poll_policy(self) -> PollPolicy:
        """The client's poll policy."""
        return self.client.poll_policy

    @property
    def deprecations(self) -> tuple[Deprecation, ...]:
        """The client's lifecycle notices."""
        return self.client.deprecations


class AsyncClientApi(_FromClient):
    """:class:`PushApi` over an :class:`~criteo_catalog_sdk.async_client.AsyncCatalogClient`."""

    def __init__(self, client: AsyncCalls) -> None:
        self.client: AsyncCalls = client
        self._once = client.with_options(retry=RetryPolicy.disabled())

    async def submit(self, body: EncodedBody) -> str:
        """One attempt at ``submit_encoded_batch``."""
        return await self._once.submit_encoded_batch(body)

    async def report(self, token: str) -> Report:
        """``get_report(token)``, with the client's retries."""
        return await self.client.get_report(token)


class ThreadedClientApi(_FromClient):
    """:class:`PushApi` over a :class:`~criteo_catalog_sdk.client.CatalogClient`: its blocking calls run
    on worker threads (as many as batches and polls may be in flight)."""

    def __init__(self, client: SyncCalls, *, concurrency: int) -> None:
        self.client: SyncCalls = client
        self._once = client.with_options(retry=RetryPolicy.disabled())
        self._threads = anyio.CapacityLimiter(concurrency + MAX_CONCURRENT_POLLS)

    async def submit(self, body: EncodedBody) -> str:
        """One attempt at ``submit_encoded_batch``, on a worker thread."""
        return await anyio.to_thread.run_sync(self._once.submit_encoded_batch, body, limiter=self._threads)

    async def report(self, token: str) -> Report:
        """``get_report(token)`` with the client's retries, on a worker thread."""
        return await anyio.to_thread.run_sync(self.client.get_report, token, limiter=self._threads)


class DryRunApi:
    """The API of a dry run: knows its generation (what products are checked against), sends nothing."""

    retry_policy = RetryPolicy()
    poll_policy = PollPolicy()
    deprecations: tuple[Deprecation, ...] = ()

    def __init__(self, api_version: str | ApiVersion | None = None) -> None:
        self.api_version = get_api_version(api_version)

    async def submit(self, body: EncodedBody) -> str:  # pragma: no cover - a dry run sends nothing
        """Never called."""
        raise RuntimeError("a dry run sends nothing")

    async def report(self, token: str) -> Report:  # pragma: no cover - a dry run polls nothing
        """Never called."""
        raise RuntimeError("a dry run polls nothing")
