"""The exceptions the SDK raises.

Every failure is a :class:`CriteoError`. Errors the API answered with are :class:`ApiError`
subclasses chosen by status (and, for a few documented cases, by the problem ``code``), carrying the
problems parsed from Criteo's envelope ``{"errors": [{traceId, type, code, instance, title, detail}]}``.
Network failures are :class:`TransportError`. Requests refused before anything is sent are
:class:`InvalidRequestError` (also a :class:`ValueError`).

No exception text ever contains the client secret or an access token: messages are built only from
the status, the problem codes/titles/details, the HTTP method and the request path.

:func:`parse_problems` reads Criteo's envelope and :func:`api_error` builds the :class:`ApiError` of an
answer: the one place where statuses and codes become exception classes.
"""

from __future__ import annotations

import builtins
import json
import time
from collections.abc import Mapping
from dataclasses import KW_ONLY, InitVar, dataclass
from typing import Any

from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.wait_hints import server_wait_hint

__all__ = [
    "ApiError",
    "ApiVersionGoneError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "CriteoError",
    "InsecureTransportError",
    "InvalidBatchError",
    "InvalidRequestError",
    "MalformedOperationTokenError",
    "NotFoundError",
    "OperationNotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "Problem",
    "RateLimitError",
    "ReportExpiredError",
    "ResponseValidationError",
    "ServerError",
    "StateFileError",
    "TimeoutError",
    "TransportError",
    "UnsupportedOperationError",
    "api_error",
    "parse_problems",
]

# Keep a body excerpt in messages short: error pages from proxies can be large HTML documents.
_BODY_EXCERPT = 200


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem of Criteo's error envelope (missing fields are read as empty strings)."""

    code: str
    title: str
    detail: str
    type: str
    instance: str
    trace_id: str

    def __str__(self) -> str:
        text = f"{self.code}: {self.title}" if self.code else self.title
        return f"{text} ({self.detail})" if self.detail else text


class CriteoError(Exception):
    """Base class of every error raised by the SDK."""

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only constructor arguments would break the default pickling (multiprocessing, logging).
        return (_restore, (type(self), self.args, dict(self.__dict__)))


def _restore(cls: type[CriteoError], args: tuple[object, ...], state: dict[str, object]) -> CriteoError:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class ConfigurationError(CriteoError, ValueError):
    """The client was configured in a way that cannot work (missing credentials, bad URL)."""


class InsecureTransportError(ConfigurationError):
    """Credentials would travel over plain http to a host that is not loopback."""


class InvalidRequestError(CriteoError, ValueError):
    """A request was refused before sending: it would certainly be rejected, or is unsafe to send."""


class UnsupportedOperationError(InvalidRequestError):
    """The chosen API generation has no such operation (e.g. merchant statistics); nothing was sent."""


class InvalidBatchError(InvalidRequestError):
    """A batch was refused before sending (empty, duplicated product ids, invalid entries or products).

    ``index`` and ``product_id`` locate the (first) offending entry when there is one; ``product_ids``
    lists the duplicated ids for a duplicate refusal; ``rejections`` holds, for every entry that cannot
    be sent, ``(index, product_id, issues)`` (each issue names its field, length and limit).
    """

    def __init__(
        self,
        message: str,
        *,
        index: int | None = None,
        product_id: str | None = None,
        product_ids: tuple[str, ...] = (),
        rejections: tuple[tuple[int, str | None, tuple[Issue, ...]], ...] = (),
    ) -> None:
        super().__init__(message)
        self.index = index
        self.product_id = product_id
        self.product_ids = product_ids
        self.rejections = rejections


class TransportError(CriteoError):
    """The request did not get an HTTP answer (connection refused or reset, protocol error, timeout).

    The message names the method, the server (``scheme://host:port``), the path and what failed; once
    the retries are spent, also how many attempts were made over how long. ``retryable`` tells whether
    the retry policy treats it as transient; ``attempts`` and ``elapsed`` (seconds) what was tried.
    """

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.attempts = 1
        self.elapsed = 0.0

    def __str__(self) -> str:
        text = super().__str__()
        if self.attempts > 1:
            text += f" (gave up after {self.attempts} attempts over {self.elapsed:.1f} s)"
        return text


# Also a builtin TimeoutError, so generic ``except TimeoutError`` code keeps working.
class TimeoutError(TransportError, builtins.TimeoutError):
    """The request timed out (connect, read, write or connection-pool timeout)."""


@dataclass(eq=False, repr=False)  # an exception: compared by identity, shown by its message
class ApiError(CriteoError):
    """The API answered with an error status.

    Attributes: ``status`` (HTTP status), ``problems`` (parsed from ``errors`` of the envelope),
    ``warnings`` (from ``warnings``), ``trace_ids`` (Criteo's correlation ids, for support),
    ``body`` (the raw response text), ``method`` and ``path`` of the request, ``operation`` (``batch``,
    ``report``, ``stats``, or ``token`` for the OAuth2 token endpoint), and ``retry_after`` (seconds
    to wait as the server asked, when it said so). ``reason``, when given, is the message's text.
    """

    status: int
    problems: tuple[Problem, ...] = ()
    trace_ids: tuple[str, ...] = ()
    body: str = ""
    _: KW_ONLY
    warnings: tuple[Problem, ...] = ()
    method: str = ""
    path: str = ""
    retry_after: float | None = None
    reason: InitVar[str | None] = None
    operation: str = ""

    def __post_init__(self, reason: str | None) -> None:
        super().__init__(self._message(reason))

    @property
    def code(self) -> str | None:
        """The code of the first problem (e.g. ``too-many-requests``), if the body had one."""
        return self.problems[0].code if self.problems else None

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of all problems."""
        return tuple(p.code for p in self.problems)

    def _message(self, reason: str | None) -> str:
        where = f" on {self.method} {self.path}" if self.method else ""
        if reason is not None:
            text = reason
        elif self.problems:
            text = "; ".join(str(p) for p in self.problems)
        elif self.body.strip():
            excerpt = self.body.strip()
            text = excerpt if len(excerpt) <= _BODY_EXCERPT else excerpt[:_BODY_EXCERPT] + "..."
        else:
            text = "no body"
        msg = f"HTTP {self.status}{where}: {text}"
        if self.trace_ids:
            msg += f" [trace id {', '.join(self.trace_ids)}]"
        return msg


class BadRequestError(ApiError):
    """400: the request is invalid; fix it, do not resend it as is."""


class ReportExpiredError(BadRequestError):
    """400 ``catalog-operation-report-is-expired``: reports are kept 4 days; stop polling."""


class MalformedOperationTokenError(BadRequestError):
    """400 ``catalog-operation-token-is-malformed``: the token is not one the API issued."""


class AuthenticationError(ApiError):
    """401, or a failure of the token endpoint (then ``status`` is the token endpoint's status).

    The SDK already refreshed the token once and replayed the request before raising this.
    """


class PermissionDeniedError(ApiError):
    """403: these credentials may not manage that merchant or operation. Never retried."""


class NotFoundError(ApiError):
    """404."""


class OperationNotFoundError(NotFoundError):
    """404 on a report: the operation is unknown. Criteo advises resubmitting the whole batch."""


class PayloadTooLargeError(ApiError):
    """413 (no body): the request is 16 MB or more; split the batch or shorten long fields."""


class RateLimitError(ApiError):
    """429: over the rate limit. ``retry_after`` is the wait the server asked for, in seconds.

    The wait is read from ``Retry-After``, else ``x-ratelimit-reset``, else the "Retry in N seconds"
    problem title.
    """


class ApiVersionGoneError(ApiError):
    """410: Criteo decommissioned the API generation the client uses (``api_version``). Choose another
    one (``api_version=``, ``CRITEO_API_VERSION`` or ``--api-version``); the message lists them."""


class ServerError(ApiError):
    """5xx: a server-side failure; 500, 502, 503 and 504 are retried with backoff."""


class StateFileError(ConfigurationError):
    """The push's state file cannot be used (a directory, not writable, not SQLite, a newer schema);
    refused before anything is sent. The message names the path and the reason."""


class ResponseValidationError(CriteoError):
    """A success response whose body could not be parsed; ``body`` holds the raw text."""

    def __init__(self, message: str, *, body: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.body = body
        self.status = status


def parse_problems(items: object) -> tuple[Problem, ...]:
    """Problems from the ``errors`` or ``warnings`` list of an envelope; leniently (missing fields: "")."""
    if not isinstance(items, list):
        return ()
    out = []
    for item in items:
        if isinstance(item, dict):
            get = item.get
            out.append(
                Problem(
                    code=str(get("code") or ""),
                    title=str(get("title") or ""),
                    detail=str(get("detail") or ""),
                    type=str(get("type") or ""),
                    instance=str(get("instance") or ""),
                    trace_id=str(get("traceId") or ""),
                )
            )
    return tuple(out)


CODE_REPORT_EXPIRED = "catalog-operation-report-is-expired"
CODE_TOKEN_MALFORMED = "catalog-operation-token-is-malformed"  # noqa: S105 - an error code
CODE_OPERATION_NOT_FOUND = "catalog-operation-not-found"

_STATUS_ERRORS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    410: ApiVersionGoneError,
    413: PayloadTooLargeError,
    429: RateLimitError,
}
_BAD_REQUEST_CODES: dict[str, type[ApiError]] = {
    CODE_REPORT_EXPIRED: ReportExpiredError,
    CODE_TOKEN_MALFORMED: MalformedOperationTokenError,
}


def _error_class(status: int, codes: set[str], operation: str) -> type[ApiError]:
    if status >= 500:
        return ServerError
    if status == 400:
        return next((c for code, c in _BAD_REQUEST_CODES.items() if code in codes), BadRequestError)
    if status == 404 and (operation == "report" or CODE_OPERATION_NOT_FOUND in codes):
        return OperationNotFoundError
    return _STATUS_ERRORS.get(status, ApiError)


def api_error(
    status: int,
    body: str,
    headers: Mapping[str, str],
    *,
    method: str,
    path: str,
    operation: str,
    cls: type[ApiError] | None = None,
    reason: str | None = None,
    now: float | None = None,
) -> ApiError:
    """The :class:`ApiError` for an error answer: its class (from the status, the problem codes and the
    operation, unless ``cls`` forces one), the problems of Criteo's envelope, the trace ids, and the wait
    the server asked for (429 and 5xx). ``headers`` must look names up case-insensitively (``httpx.Headers``)
    or hold lower-case names."""
    payload: Any = None
    if body.strip():
        try:
            payload = json.loads(body)
        except ValueError:
            payload = None
    envelope = payload if isinstance(payload, dict) else {}
    problems = parse_problems(envelope.get("errors"))
    warnings = parse_problems(envelope.get("warnings"))
    if cls is None:
        cls = _error_class(status, {p.code for p in problems}, operation)
    retry_after = None
    if status == 429 or status >= 500:
        wall = time.time() if now is None else now
        retry_after = server_wait_hint(status, headers, (p.title for p in problems), wall)
    return cls(
        status,
        problems,
        tuple(dict.fromkeys(p.trace_id for p in problems if p.trace_id)),
        body,
        warnings=warnings,
        method=method,
        path=path,
        retry_after=retry_after,
        reason=reason,
        operation=operation,
    )
