"""Criteo's API lifecycle, as the answers tell it: ``Deprecation`` and ``Sunset`` headers.

Criteo's versioning policy: in a stable version's last three months every answer carries
``Deprecation: true`` and a ``Sunset`` header with the decommission date; after it, ``410 Gone``
(:class:`~criteo_catalog_sdk.errors.ApiVersionGoneError`). :func:`deprecation_of` reads the headers
(pure); a :class:`LifecycleWatch` (one per client) remembers what it saw and logs ONE warning per
generation per process, naming the sunset date and how to switch.
"""

from __future__ import annotations

import datetime
import email.utils
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from criteo_catalog_sdk._logging import logger

__all__ = ["Deprecation", "LifecycleWatch", "deprecation_of"]

_warned: set[str] = set()
_warned_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Deprecation:
    """A generation Criteo announced it will retire: ``sunset`` is the decommission date when the
    answer gave one (``sunset_header`` is the header as sent)."""

    api_version: str
    sunset: datetime.date | None
    sunset_header: str | None

    @property
    def message(self) -> str:
        """One line for logs, results and the CLI."""
        when = (
            f" on {self.sunset.isoformat()}"
            if self.sunset
            else (f" ({self.sunset_header})" if self.sunset_header else "")
        )
        return (
            f"Criteo has deprecated the {self.api_version} API generation: it will be decommissioned{when};"
            " move to another with --api-version / api_version= (see the README, API versions)"
        )


def _sunset(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        try:  # some servers send an ISO date instead of an HTTP-date
            return datetime.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return when.date()


def deprecation_of(api_version: str, headers: Mapping[str, str]) -> Deprecation | None:
    """The deprecation an answer announces (``Deprecation`` other than ``false``, or a ``Sunset``), if any.

    ``headers`` must look names up case-insensitively (``httpx.Headers``) or hold lower-case names.
    """
    flag = headers.get("deprecation")
    sunset = headers.get("sunset")
    deprecated = flag is not None and flag.strip().lower() not in ("", "false")
    if not deprecated and not sunset:
        return None
    return Deprecation(api_version, _sunset(sunset), sunset)


class LifecycleWatch:
    """What one client learnt of its generations' lifecycle; warns once per generation per process."""

    def __init__(self) -> None:
        self._seen: dict[str, Deprecation] = {}

    @property
    def deprecations(self) -> tuple[Deprecation, ...]:
        """Every deprecation this client was told of."""
        return tuple(self._seen.values())

    def observe(self, api_version: str, headers: Mapping[str, str]) -> None:
        """Read an answer's lifecycle headers (cheap when there are none, the usual case)."""
        if api_version in self._seen or ("deprecation" not in headers and "sunset" not in headers):
            return
        found = deprecation_of(api_version, headers)
        if found is None:
            return
        self._seen[api_version] = found
        with _warned_lock:
            first = api_version not in _warned
            _warned.add(api_version)
        if first:
            logger.warning("%s", found.message)
