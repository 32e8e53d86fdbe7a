"""How long the server asked us to wait, read from an answer's headers and problem titles (pure).

Criteo documents no ``Retry-After``; its 429 problem title says "Retry in N seconds", and its APIs
send ``x-ratelimit-limit``, ``x-ratelimit-remaining`` and ``x-ratelimit-reset`` (epoch seconds).
:func:`server_wait_hint` reads, first usable wins, ``Retry-After`` (seconds or HTTP date),
``x-ratelimit-reset`` (429 only) and a "Retry in N seconds" title (429 only). Used to build
:class:`~criteo_catalog_sdk.errors.ApiError` (its ``retry_after``) and by the application call budget.
"""

from __future__ import annotations

import email.utils
import math
import re
from collections.abc import Iterable, Mapping

__all__ = [
    "parse_ratelimit_reset",
    "parse_retry_after",
    "parse_retry_in_title",
    "server_wait_hint",
]

# Values of x-ratelimit-reset below this are read as "seconds from now", above it as epoch seconds
# (1e9 s is 2001-09-09), above 1e12 as epoch milliseconds: APIs disagree and a wrong guess costs hours.
_EPOCH_SECONDS_FLOOR = 1e9
_EPOCH_MILLIS_FLOOR = 1e12

_RETRY_IN = re.compile(
    r"retry\s+in\s+(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s\b|secs?\b|seconds?|m\b|mins?\b|minutes?)?",
    re.IGNORECASE,
)


def parse_retry_after(value: str, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay seconds or HTTP date); ``None`` if unreadable.

    ``now`` is the current wall-clock time (epoch seconds); a date in the past gives 0.
    """
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is GMT by definition
        return None
    return max(when.timestamp() - now, 0.0)


def parse_ratelimit_reset(value: str, now: float) -> float | None:
    """Seconds to wait from ``x-ratelimit-reset``; ``None`` if unreadable or already past.

    Documented as epoch seconds; epoch milliseconds and small "seconds from now" values are accepted.
    """
    try:
        reset = float(value.strip())
    except ValueError:
        return None
    if not math.isfinite(reset) or reset < 0:
        return None
    if reset >= _EPOCH_MILLIS_FLOOR:
        wait = reset / 1000 - now
    elif reset >= _EPOCH_SECONDS_FLOOR:
        wait = reset - now
    else:
        wait = reset
    # A reset in the past (or clock skew) says nothing useful: let the next source decide.
    return wait if wait > 0 else None


def parse_retry_in_title(title: str) -> float | None:
    """Seconds from a problem title such as ``Too many requests. Retry in 5 seconds``; ``None`` if absent."""
    match = _RETRY_IN.search(title)
    if match is None:
        return None
    amount = float(match.group(1))
    unit = (match.group(2) or "s").lower()
    if unit.startswith("ms") or unit.startswith("milli"):
        return amount / 1000
    if unit.startswith("m"):
        return amount * 60
    return amount


def server_wait_hint(status: int, headers: Mapping[str, str], titles: Iterable[str], now: float) -> float | None:
    """The wait the server asked for, in seconds, or ``None``.

    In order, the first usable of: ``Retry-After`` (any status), ``x-ratelimit-reset`` (429 only: the
    header is sent on every answer and only means "wait" when the limit was hit), a "Retry in N seconds"
    title (429 only). ``headers`` must look names up case-insensitively or hold lower-case names
    (``httpx.Headers`` does); ``now`` is the wall-clock time in epoch seconds.
    """
    retry_after = headers.get("retry-after")
    if retry_after is not None:
        wait = parse_retry_after(retry_after, now)
        if wait is not None:
            return wait
    if status != 429:
        return None
    reset = headers.get("x-ratelimit-reset")
    if reset is not None:
        wait = parse_ratelimit_reset(reset, now)
        if wait is not None:
            return wait
    for title in titles:
        wait = parse_retry_in_title(title)
        if wait is not None:
            return wait
    return None
