"""Pacing decisions, pure: an AIMD rate controller and a token-bucket pacer, both driven by given times.

Criteo allows 3000 products/s per merchant by default and answers 429 above it ("Retry in N
seconds"). The pacer spends the rate in products; the controller lowers the rate multiplicatively on
throttling and raises it back linearly while requests succeed (AIMD, as TCP does), never above the
configured ceiling. Several batches in flight often hit 429 together: throttles within
``cooldown`` seconds of a decrease count as one, so one burst does not collapse the rate.

Neither class reads a clock or sleeps: the driver passes ``now`` (``time.monotonic()``) and sleeps
for what :meth:`TokenBucket.reserve` returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_RATE = 3000.0  # products per second per merchant (facts sheet section 3)


@dataclass
class AimdRateController:
    """Additive-increase / multiplicative-decrease of a products-per-second rate.

    - ``on_throttle`` (a 429): ``rate *= decrease`` (once per ``cooldown`` window), never below
      ``floor``; a stated wait (``retry_after``) pauses everything until ``now + retry_after``.
    - ``on_success``: after ``cooldown`` seconds without throttling, the rate grows by ``ramp``
      products/s for every second elapsed, up to ``ceiling``.
    """

    ceiling: float = DEFAULT_RATE
    floor: float = 10.0
    decrease: float = 0.5
    ramp: float = DEFAULT_RATE / 30  # back from half to full in ~15 s of success
    cooldown: float = 2.0
    rate: float = -1.0  # start rate; default: the ceiling
    paused_until: float = field(default=float("-inf"), init=False)
    _last_decrease: float = field(default=float("-inf"), init=False, repr=False)
    _last_update: float | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if not 0 < self.floor <= self.ceiling:
            raise ValueError("need 0 < floor <= ceiling")
        if not 0 < self.decrease < 1:
            raise ValueError("decrease must be in (0, 1)")
        if self.rate < 0:
            self.rate = self.ceiling
        self.rate = min(max(self.rate, self.floor), self.ceiling)

    def on_success(self, now: float) -> float:
        """A request went through: grow the rate linearly with time since the last update."""
        if self._last_update is not None and now - self._last_decrease >= self.cooldown:
            since = now - max(self._last_update, self._last_decrease + self.cooldown)
            if since > 0:
                self.rate = min(self.ceiling, self.rate + self.ramp * since)
        self._last_update = now
        return self.rate

    def on_throttle(self, now: float, retry_after: float | None = None) -> float:
        """A 429: cut the rate (at most once per ``cooldown``) and honour the stated wait."""
        if now - self._last_decrease >= self.cooldown:
            self.rate = max(self.floor, self.rate * self.decrease)
            self._last_decrease = now
        if retry_after is not None and retry_after > 0:
            self.paused_until = max(self.paused_until, now + retry_after)
        self._last_update = now
        return self.rate

    def wait(self, now: float) -> float:
        """Seconds to wait before sending anything (a stated 429 wait still running), else 0."""
        return max(0.0, self.paused_until - now)


@dataclass
class TokenBucket:
    """Paces products at ``rate`` per second with bursts up to ``burst`` products.

    :meth:`reserve` books ``n`` products and returns how long to wait before sending them; the
    bookings queue up, so concurrent callers are served in order, each after its predecessors.
    A batch larger than ``burst`` is allowed: it goes when the bucket is full and leaves it in debt.
    """

    rate: float = DEFAULT_RATE
    burst: float = DEFAULT_RATE
    _tat: float = field(default=float("-inf"), init=False, repr=False)  # when the bucket is full again

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.burst <= 0:
            raise ValueError("rate and burst must be positive")

    def reserve(self, n: int, now: float) -> float:
        """Book ``n`` products; returns the seconds to wait before sending them (0 when allowed now)."""
        window = self.burst / self.rate
        tat = max(self._tat, now)  # when the bucket is full again, given the bookings so far
        # Send once the bucket holds n tokens (or is full, for a booking larger than the burst).
        start = max(now, tat + min(n, self.burst) / self.rate - window)
        self._tat = tat + n / self.rate
        return start - now

    def set_rate(self, rate: float) -> None:
        """Change the rate (from the controller); bookings already made are kept."""
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate


class Pacer:
    """A token bucket following an AIMD controller: the pair the scheduler uses per merchant."""

    def __init__(self, rate: float = DEFAULT_RATE, *, burst: float | None = None, floor: float = 10.0) -> None:
        self.controller = AimdRateController(ceiling=rate, floor=min(floor, rate), ramp=rate / 30)
        self.bucket = TokenBucket(rate=rate, burst=burst if burst is not None else rate)

    @property
    def rate(self) -> float:
        """The current products/s rate."""
        return self.controller.rate

    def reserve(self, n: int, now: float) -> float:
        """Seconds to wait before sending ``n`` products (covers a 429 pause too)."""
        pause = self.controller.wait(now)
        return pause + self.bucket.reserve(n, now + pause)

    def on_success(self, now: float) -> None:
        """Report an accepted request."""
        self.bucket.set_rate(self.controller.on_success(now))

    def on_throttle(self, now: float, retry_after: float | None = None) -> None:
        """Report a 429 (with the wait it stated, if any)."""
        self.bucket.set_rate(self.controller.on_throttle(now, retry_after))

    def pause(self, now: float, seconds: float) -> None:
        """Send nothing for ``seconds`` (a wait the server stated) without changing the rate."""
        if seconds > 0:
            self.controller.paused_until = max(self.controller.paused_until, now + seconds)


__all__ = ["DEFAULT_RATE", "AimdRateController", "Pacer", "TokenBucket"]
