"""Sans-IO core shared by the sync and async clients: the calls of an API generation, reading answers.

A :class:`Call` describes one API operation (method, path, body, how to read a success) of one API
generation, whose paths come from its spec (:mod:`criteo_catalog_sdk.api_versions`). The drivers send
it; :func:`interpret` turns the ``httpx.Response`` into the parsed value or raises the typed
:class:`~criteo_catalog_sdk.errors.ApiError`. Nothing here performs I/O.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx

from criteo_catalog_sdk._lenient import loads
from criteo_catalog_sdk.api_versions import API_VERSIONS, ENV_API_VERSION, ApiVersion
from criteo_catalog_sdk.body import EncodedBody
from criteo_catalog_sdk.errors import (
    ApiError,
    ApiVersionGoneError,
    InvalidRequestError,
    ResponseValidationError,
    TimeoutError,
    TransportError,
    api_error,
)
from criteo_catalog_sdk.ids import check_merchant_id
from criteo_catalog_sdk.report import Report
from criteo_catalog_sdk.stats import Stats

T = TypeVar("T")

OP_BATCH = "batch"
OP_REPORT = "report"
OP_STATS = "stats"

JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}
ACCEPT_JSON = {"Accept": "application/json"}
MAX_LAST_NUM_HOURS = 1000
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """One API call of one generation: what to send and how to read a 2xx answer.

    ``parse`` reads the decoded body; ``decode``, where set, reads the raw bytes of a body in the
    expected shape faster and answers ``None`` for any other, which ``parse`` then reads.
    """

    operation: str
    method: str
    path: str
    parse: Callable[[Any], T]
    api_version: str
    content: EncodedBody | None = None
    params: Mapping[str, str | int] | None = None
    decode: Callable[[bytes], T | None] | None = None

    @property
    def headers(self) -> Mapping[str, str]:
        """The request headers specific to this call."""
        return JSON_HEADERS if self.content is not None else ACCEPT_JSON


def check_last_num_hours(last_num_hours: int) -> int:
    """``lastNumHours`` must be an integer in 1..1000 (the documented maximum)."""
    if type(last_num_hours) is not int or not 1 <= last_num_hours <= MAX_LAST_NUM_HOURS:
        raise InvalidRequestError(
            f"last_num_hours must be an integer from 1 to {MAX_LAST_NUM_HOURS}, got {last_num_hours!r}"
        )
    return last_num_hours


# -- the three operations -------------------------------------------------------------------------


def batch_call(version: ApiVersion, body: EncodedBody) -> Call[str]:
    """The batch operation with an encoded body; answers the operation token."""
    op = version.batch
    return Call(OP_BATCH, op.method, op.path(), parse_operation_token, version.name, content=body)


def report_call(version: ApiVersion, token: str) -> Call[Report]:
    """The report of an operation; the token is escaped into its own path segment."""
    if not isinstance(token, str) or not token.strip():
        raise InvalidRequestError(f"an operation token must be a non-empty string, got {token!r}")
    op = version.report
    return Call(OP_REPORT, op.method, op.path(token), Report, version.name, decode=Report.from_json)


def stats_call(version: ApiVersion, merchant_id: int | str, last_num_hours: int) -> Call[Stats]:
    """A merchant's statistics over the last ``last_num_hours`` hours (where the generation has them)."""
    op = version.stats_operation()
    merchant = str(check_merchant_id(merchant_id))
    params = {"lastNumHours": check_last_num_hours(last_num_hours)}
    return Call(OP_STATS, op.method, op.path(merchant), Stats, version.name, params=params)


# -- reading answers ------------------------------------------------------------------------------


def _body_text(response: httpx.Response) -> str:
    return response.content.decode("utf-8", errors="replace")


def _load_json(response: httpx.Response) -> Any:
    try:
        return loads(response.content)
    except ValueError:
        raise ResponseValidationError(
            f"{response.request.method} {response.request.url.path} answered {response.status_code} "
            "with a body that is not JSON",
            body=_body_text(response),
            status=response.status_code,
        ) from None


def parse_operation_token(payload: Any) -> str:
    """``operationToken`` of a 202 answer."""
    token = payload.get("operationToken") if isinstance(payload, dict) else None
    if not isinstance(token, str) or not token:
        raise ResponseValidationError("the batch answer has no operationToken", body=json.dumps(payload))
    return token


def interpret(call: Call[T], response: httpx.Response) -> T:
    """The parsed success value of ``response``, or the typed error it stands for."""
    if 200 <= response.status_code < 300:
        if call.decode is not None:
            decoded = call.decode(response.content)
            if decoded is not None:
                return decoded
        payload = _load_json(response)
        try:
            return call.parse(payload)
        except ResponseValidationError as exc:
            exc.status = response.status_code
            if not exc.body:
                exc.body = _body_text(response)
            raise
    raise error_from_response(call, response)


def gone_reason(api_version: str) -> str:
    """What a 410 means for the generation in use, and the way out."""
    others = [name for name in API_VERSIONS if name != api_version]
    return (
        f"Criteo has decommissioned the {api_version} API generation (410 Gone); choose another with"
        f" --api-version, {ENV_API_VERSION} or api_version= ({', '.join(others) or 'no other installed'})"
    )


def error_from_response(call: Call[Any], response: httpx.Response, now: float | None = None) -> ApiError:
    """The :class:`ApiError` subclass for an error answer (see :func:`~criteo_catalog_sdk.errors.api_error`)."""
    gone = response.status_code == 410
    return api_error(
        response.status_code,
        _body_text(response),
        response.headers,
        method=call.method,
        path=call.path,
        operation=call.operation,
        cls=ApiVersionGoneError if gone else None,
        reason=gone_reason(call.api_version) if gone else None,
        now=now,
    )


def origin(url: httpx.URL) -> str:
    """``scheme://host:port`` of a URL, the port always spelled out (what a network error is about)."""
    port = url.port or _DEFAULT_PORTS.get(url.scheme, 0)
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{url.scheme}://{host}:{port}"


def transport_error(call: Call[Any], exc: httpx.HTTPError, url: httpx.URL) -> TransportError:
    """Our :class:`TransportError` for an httpx exception raised while sending ``call`` to ``url``: the
    message names the method, the server (scheme, host, port), the path and what failed."""
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    text = f"{call.method} {origin(url)}{call.path}: {detail}"
    if isinstance(exc, httpx.TimeoutException):
        return TimeoutError(text, retryable=True)
    # Connection refused/reset, and a server that closed a kept-alive connection, are transient.
    retryable = isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError)
    return TransportError(text, retryable=retryable)
