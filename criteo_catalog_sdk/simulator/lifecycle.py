"""API generation lifecycle (pure): Criteo's versioning policy as answers.

A stable version spends its last three months *deprecated*: every answer carries ``Deprecation: true``
and ``Sunset: <HTTP-date>`` (RFC 8594, IMF-fixdate), the decommission date. Then it is *decommissioned*:
every call answers ``410 Gone`` (facts section 8). The simulator does not move a generation from one
phase to the next when its clock passes the sunset: tests choose the phase, so that none of them
starts failing the day the real date passes the sunset it names.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from email.utils import format_datetime

from criteo_catalog_sdk.simulator.errors import Problem, api_version_gone


def parse_sunset(value: object) -> datetime:
    """A sunset given as an ISO 8601 date (``2026-12-31``: midnight UTC) or date-time (naive: UTC)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"sunset {value!r}: expected an ISO 8601 date such as 2026-12-31") from None
    else:
        raise ValueError(f"sunset {value!r}: expected an ISO 8601 date such as 2026-12-31")
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_deprecation(text: str) -> tuple[str, datetime]:
    """``GEN=YYYY-MM-DD`` (the ``--deprecate`` option) -> (generation, sunset)."""
    name, sep, when = text.partition("=")
    if not sep or not name.strip():
        raise ValueError(f"{text!r}: expected GENERATION=YYYY-MM-DD, e.g. preview=2026-12-31")
    return name.strip().lower(), parse_sunset(when)


def http_date(moment: datetime) -> str:
    """RFC 9110 IMF-fixdate: ``Thu, 31 Dec 2026 00:00:00 GMT``."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def iso(moment: datetime) -> str:
    """The JSON view of a sunset (``2026-12-31T00:00:00Z``)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def lifecycle_headers(generation: str, deprecated: Mapping[str, datetime]) -> tuple[tuple[str, str], ...]:
    """The headers every answer of ``generation`` carries: none unless it is deprecated."""
    sunset = deprecated.get(generation)
    if sunset is None:
        return ()
    return (("deprecation", "true"), ("sunset", http_date(sunset)))


def gone_problem(generation: str, served: tuple[str, ...]) -> Problem:
    """The problem of a 410: the generation is decommissioned; the others still served are named."""
    return api_version_gone(generation, [name for name in served if name != generation])
