"""The application's call budget: Criteo allows 250 API calls per minute per client-credentials
application, whichever merchant they are for (batches, report polls, stats), across every process and
host that shares the credentials (facts section 8).

An :class:`AppBudget` stands in front of every API call of a client: a call waits until the budget
allows it. The engine is pyrate-limiter (a sliding window of ``calls_per_minute`` per 60 s):

- ``memory`` (default): one budget per application per process, shared by all its clients and pushes;
- ``sqlite:///PATH``: pyrate-limiter's SQLite bucket (with a file lock), shared by the processes of one
  host that name the same file;
- ``redis://HOST:PORT/DB``: pyrate-limiter's Redis bucket, shared across hosts;
- ``off``: no client-side budget (the server's 429s are still honoured).

Chosen with ``app_budget=`` on the clients, ``--app-budget`` on the CLI, or ``CRITEO_APP_BUDGET``. The
budget is fed by the ``x-ratelimit-*`` headers Criteo sends: an answer saying the application has no
call left (``x-ratelimit-remaining: 0``, or an application-level 429) spends what is left of the local
window too, so that the processes that do not share the bucket also slow down until it slides.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

import anyio

from criteo_catalog_sdk._logging import logger
from criteo_catalog_sdk.errors import ConfigurationError

if TYPE_CHECKING:  # pyrate-limiter imports sqlite3: loaded when a budget is made, not with the SDK
    from pyrate_limiter import AbstractBucket, Rate

__all__ = [
    "DEFAULT_CALLS_PER_MINUTE",
    "ENV_APP_BUDGET",
    "AppBudget",
    "CallWindow",
    "app_budget",
    "shared_budget",
]

ENV_APP_BUDGET: Final = "CRITEO_APP_BUDGET"
#: Criteo's documented application budget.
DEFAULT_CALLS_PER_MINUTE: Final = 250
_NAME: Final = "criteo-application"
_WAIT_STEP: Final = 0.05  # shortest wait between checks while the window is full (pyrate-limiter's buffer)
#: Longest wait between checks: another process may free nothing, but the server's headers may change.
_MAX_WAIT: Final = 5.0


def wait_seconds(delay_ms: object) -> float:
    """How long to sleep before trying again, from the bucket's estimate (``waiting()``, milliseconds;
    ``-1``, ``0`` or anything but a number when it cannot tell): at least one step, at most
    :data:`_MAX_WAIT`."""
    if type(delay_ms) is not int or delay_ms <= 0:
        return _WAIT_STEP
    return min(max(delay_ms / 1000, _WAIT_STEP), _MAX_WAIT)


class CallWindow:
    """API calls counted over the last minute (their times in a deque, pruned as calls come): the
    budget's calls/min and a push's progress read it. Thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, seconds: float = 60.0) -> None:
        self._clock = clock
        self._seconds = seconds
        self._times: deque[float] = deque()
        self._lock = threading.Lock()
        self.total = 0

    def record(self) -> None:
        """One call, now."""
        now = self._clock()
        with self._lock:
            self.total += 1
            self._times.append(now)
            self._prune(now)

    def count(self) -> int:
        """Calls over the last ``seconds``."""
        with self._lock:
            self._prune(self._clock())
            return len(self._times)

    def _prune(self, now: float) -> None:
        times = self._times
        while times and times[0] < now - self._seconds:
            times.popleft()


class AppBudget:
    """A call budget of ``calls_per_minute`` over a pyrate-limiter bucket (see the module doc).

    ``acquire()`` / ``await acquire_async()`` before a call; ``observe(headers)`` after its answer.
    ``calls_last_minute`` is what this process spent over the last 60 s (the progress display's calls/min).
    """

    def __init__(
        self, bucket: AbstractBucket, *, calls_per_minute: int = DEFAULT_CALLS_PER_MINUTE, where: str = "memory"
    ) -> None:
        self.calls_per_minute = calls_per_minute
        self.where = where
        from pyrate_limiter import Limiter

        self._limiter = Limiter(bucket)
        self._bucket = bucket
        self._window = CallWindow()
        self._warned_limit = False

    def __repr__(self) -> str:
        return f"AppBudget({self.calls_per_minute}/min, {self.where})"

    # -- spending ---------------------------------------------------------------------------------------

    def _try(self, weight: int = 1) -> bool:
        return bool(self._limiter.try_acquire(_NAME, weight, blocking=False))

    def _wait(self) -> float:
        """After a refused try: how long until the window frees a call, as the bucket tells. Sleeping that
        long rather than checking every step spares a shared bucket (SQLite, Redis) a query each time:
        four waiting senders of five processes checking every 50 ms cost each process 4 % of a core."""
        item = self._limiter.bucket_factory.wrap_item(_NAME, 1)  # the buckets made here are synchronous
        return wait_seconds(self._bucket.waiting(item))  # type: ignore[arg-type]

    def acquire(self) -> None:
        """Wait (blocking this thread) until a call is allowed, and spend it."""
        while not self._try():
            time.sleep(self._wait())
        self._window.record()

    async def acquire_async(self) -> None:
        """Wait (asyncio or trio) until a call is allowed, and spend it."""
        while not self._try():
            await anyio.sleep(self._wait())
        self._window.record()

    @property
    def calls(self) -> int:
        """Calls this process made through the budget."""
        return self._window.total

    @property
    def calls_last_minute(self) -> int:
        """Calls this process made through the budget over the last 60 s."""
        return self._window.count()

    # -- what the server says ------------------------------------------------------------------------------

    def observe(self, headers: Mapping[str, str], *, status: int = 200) -> None:
        """Read an answer's ``x-ratelimit-*`` headers: when the application has no call left, spend the
        rest of the local window as well (calls from elsewhere spent it)."""
        remaining = _int(headers.get("x-ratelimit-remaining"))
        limit = _int(headers.get("x-ratelimit-limit"))
        if limit is not None and limit < self.calls_per_minute and not self._warned_limit and status != 429:
            self._warned_limit = True
            logger.warning(
                "Criteo reports a limit of %d calls, below this budget's %d per minute", limit, self.calls_per_minute
            )
        if remaining == 0 and (status == 429 or remaining is not None):
            drained = 0
            while drained < self.calls_per_minute and self._try():
                drained += 1
            if drained:
                logger.info(
                    "the application's call budget is spent (the server says so): %d local calls withheld", drained
                )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _rates(calls_per_minute: int) -> list[Rate]:
    from pyrate_limiter import Duration, Rate

    return [Rate(calls_per_minute, Duration.MINUTE)]


def app_budget(spec: str | None, *, calls_per_minute: int = DEFAULT_CALLS_PER_MINUTE) -> AppBudget | None:
    """The budget a spec names: ``memory``, ``off``, ``sqlite:///PATH`` or ``redis://HOST:PORT/DB``
    (``None``: memory). A spec that cannot be used is a :class:`ConfigurationError` naming it."""
    text = (spec or "memory").strip()
    if text == "off":
        return None
    if calls_per_minute < 1:
        raise ConfigurationError(
            f"the application call budget must allow at least 1 call per minute, got {calls_per_minute}"
        )
    rates = _rates(calls_per_minute)
    if text == "memory":
        from pyrate_limiter import InMemoryBucket

        return AppBudget(InMemoryBucket(rates), calls_per_minute=calls_per_minute)
    scheme = urlsplit(text).scheme
    if scheme == "sqlite":
        return AppBudget(_sqlite_bucket(text, rates), calls_per_minute=calls_per_minute, where=text)
    if scheme == "redis":
        return AppBudget(_redis_bucket(text, rates), calls_per_minute=calls_per_minute, where=_no_password(text))
    raise ConfigurationError(
        f"unknown application budget {_no_password(text)!r}: use memory, off, sqlite:///PATH or redis://HOST:PORT/DB"
    )


def _sqlite_bucket(spec: str, rates: list[Rate]) -> AbstractBucket:
    from pyrate_limiter import SQLiteBucket

    path = spec.removeprefix("sqlite://")
    directory = os.path.dirname(os.path.abspath(path))
    if not path or os.path.isdir(path) or not os.path.isdir(directory):
        raise ConfigurationError(
            f"application budget {spec}: {path or '(no path)'} is not a file in an existing directory"
        )
    try:
        bucket: AbstractBucket = SQLiteBucket.init_from_file(rates, db_path=path, use_file_lock=True)
    except ImportError as exc:
        raise ConfigurationError(f"application budget {spec}: {exc}") from None
    except Exception as exc:
        raise ConfigurationError(f"application budget {spec}: cannot be used ({exc})") from None
    return bucket


def _redis_bucket(spec: str, rates: list[Rate]) -> AbstractBucket:
    try:
        import redis
    except ImportError:
        raise ConfigurationError(
            f"application budget {_no_password(spec)}: needs redis: pip install 'criteo-catalog-sdk[redis]'"
        ) from None
    from pyrate_limiter import RedisBucket

    try:
        client = redis.Redis.from_url(spec)
        bucket = RedisBucket.init(rates, client, "criteo-catalog-sdk:app-budget")
    except Exception as exc:
        raise ConfigurationError(f"application budget {_no_password(spec)}: cannot be used ({exc})") from None
    from pyrate_limiter import AbstractBucket

    assert isinstance(bucket, AbstractBucket)  # noqa: S101 - a sync client gives a sync bucket
    return bucket


def _no_password(spec: str) -> str:
    parts = urlsplit(spec)
    if parts.password is None:
        return spec
    return spec.replace(f":{parts.password}@", ":***@")


_shared: dict[tuple[str, str, int], AppBudget | None] = {}
_shared_lock = threading.Lock()


def shared_budget(
    application: str, spec: str | None = None, *, calls_per_minute: int = DEFAULT_CALLS_PER_MINUTE
) -> AppBudget | None:
    """The budget of an application (its API root and client id) in this process: every client of the
    same application shares it. ``spec``: as :func:`app_budget`; default ``CRITEO_APP_BUDGET``, else memory."""
    text = (spec if spec is not None else os.environ.get(ENV_APP_BUDGET, "")).strip() or "memory"
    key = (application, text, calls_per_minute)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = app_budget(text, calls_per_minute=calls_per_minute)
        return _shared[key]
