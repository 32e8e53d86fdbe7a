"""A seeded, reproducible plan of injected faults (pure: no I/O, no clock).

Each request of a faultable route draws exactly two numbers from a ``random.Random(seed)``, whatever the
outcome, so the same seed and the same sequence of requests give the same faults. Faults scheduled
explicitly (``schedule``) come first and draw nothing.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum


class FaultKind(StrEnum):
    """What can go wrong."""

    TOO_MANY_REQUESTS = "429"
    INTERNAL_ERROR = "500"
    SERVICE_UNAVAILABLE = "503"
    LATENCY = "latency"  # answer normally, late
    DROP = "drop"  # close the connection without answering
    TRUNCATE = "truncate"  # the real answer, its JSON body cut in half
    INVALID_JSON = "invalid-json"  # the real status, a body that is not JSON
    REVOKE = "revoke"  # revoke the caller's access token, answer 401
    LOST = "lost"  # the operation is lost: its report answers 404 from now on


ROUTES = ("token", "batch", "report", "stats")
DEFAULT_ROUTES = frozenset({"batch", "report", "stats"})

# Where each fault makes sense: a lost operation only shows on its report, the token endpoint has no
# access token to revoke.
_APPLIES: dict[FaultKind, frozenset[str]] = {
    FaultKind.LOST: frozenset({"report"}),
    FaultKind.REVOKE: frozenset({"batch", "report", "stats"}),
}


def applies(kind: FaultKind, route: str) -> bool:
    """Whether ``kind`` can be injected on ``route``."""
    return route in _APPLIES.get(kind, frozenset(ROUTES))


@dataclass(frozen=True, slots=True)
class FaultSettings:
    """Random faults: with probability ``rate`` a request of ``routes`` gets one of ``kinds``."""

    rate: float = 0.0
    kinds: tuple[FaultKind, ...] = tuple(FaultKind)
    latency_seconds: float = 1.0
    routes: frozenset[str] = DEFAULT_ROUTES

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError("fault rate must be between 0 and 1")
        if self.latency_seconds < 0:
            raise ValueError("latency must not be negative")
        unknown = set(self.routes) - set(ROUTES)
        if unknown:
            raise ValueError(f"unknown routes: {sorted(unknown)}")


@dataclass(slots=True)
class ScheduledFault:
    """A fault to inject on the next ``count`` requests of ``route`` (None: of the routes in the settings)."""

    kind: FaultKind
    count: int = 1
    route: str | None = None


@dataclass(slots=True)
class FaultPlan:
    """Decides, request by request, which fault (if any) to inject."""

    settings: FaultSettings = field(default_factory=FaultSettings)
    seed: int | None = None
    _rng: random.Random = field(init=False, repr=False)
    _scheduled: deque[ScheduledFault] = field(init=False, repr=False, default_factory=deque)

    def __post_init__(self) -> None:
        # Reproducible chaos, not security: a seeded PRNG is the point.
        self._rng = random.Random(self.seed)  # noqa: S311

    def reseed(self, seed: int | None) -> None:
        """Restart the random sequence."""
        self.seed = seed
        self._rng = random.Random(seed)  # noqa: S311

    def schedule(self, kind: FaultKind, count: int = 1, route: str | None = None) -> None:
        """Inject ``kind`` on the next ``count`` matching requests, before any random fault."""
        if count < 1:
            raise ValueError("count must be at least 1")
        if route is not None and route not in ROUTES:
            raise ValueError(f"unknown route {route!r}")
        if route is not None and not applies(kind, route):
            raise ValueError(f"fault {kind.value} cannot happen on route {route}")
        self._scheduled.append(ScheduledFault(kind, count, route))

    @property
    def scheduled(self) -> list[ScheduledFault]:
        """The faults still scheduled, in order."""
        return list(self._scheduled)

    def clear(self) -> None:
        """No more faults: rate 0 and nothing scheduled (the seed is kept)."""
        self.settings = FaultSettings(
            rate=0.0,
            kinds=self.settings.kinds,
            latency_seconds=self.settings.latency_seconds,
            routes=self.settings.routes,
        )
        self._scheduled.clear()

    def draw(self, route: str) -> FaultKind | None:
        """The fault for the next request of ``route``."""
        for item in self._scheduled:
            # Without a route, a scheduled fault hits the next request of the routes faults apply to.
            if item.route == route or (
                item.route is None and route in self.settings.routes and applies(item.kind, route)
            ):
                item.count -= 1
                if item.count == 0:
                    self._scheduled.remove(item)
                return item.kind
        if route not in self.settings.routes:
            return None
        hit = self._rng.random()
        pick = self._rng.random()
        if hit >= self.settings.rate:
            return None
        kinds = [kind for kind in self.settings.kinds if applies(kind, route)]
        if not kinds:
            return None
        return kinds[min(int(pick * len(kinds)), len(kinds) - 1)]
