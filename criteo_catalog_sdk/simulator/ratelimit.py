"""Token buckets (pure: the caller passes the time in).

Criteo's Catalog budget is counted in products per second per merchant (default 3000): a batch costs
as many tokens as it has products. A bucket holds at most one second's worth; a batch larger than the
bucket is let through only when the bucket is full and leaves it in debt, so big batches are slowed,
never refused for ever.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class RateDecision:
    """The outcome of asking a limiter for some tokens."""

    allowed: bool
    limit: int
    remaining: int
    # Seconds to wait before the same request would be let through (0 when allowed).
    retry_after: float
    # Epoch seconds when calls are allowed again (429) or when the bucket is full again (2xx).
    reset_at: float

    @property
    def retry_after_seconds(self) -> int:
        """The wait rounded up to whole seconds, at least 1 (what the 429 title states)."""
        return max(1, math.ceil(self.retry_after - 1e-9))


class TokenBucket:
    """A bucket refilled at ``rate`` tokens/s up to ``capacity``."""

    __slots__ = ("capacity", "rate", "tokens", "updated")

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        if rate <= 0 or capacity <= 0:
            raise ValueError("rate and capacity must be positive")
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.updated = now

    def _refill(self, now: float) -> None:
        if now > self.updated:
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def peek(self, amount: float, now: float) -> RateDecision:
        """Whether ``amount`` tokens could be taken now, without taking them."""
        self._refill(now)
        # A request bigger than the bucket needs a full bucket, not an impossible one.
        needed = min(amount, self.capacity)
        # Epoch floats carry ~0.2 us of rounding: do not refuse a request for a thousandth of a token.
        allowed = self.tokens + 1e-3 >= needed
        wait = 0.0 if allowed else (needed - self.tokens) / self.rate
        after = self.tokens - amount if allowed else self.tokens
        remaining = max(0, math.floor(after))
        # On success: when the bucket is full again; on refusal: when the request would pass.
        reset_at = now + max(0.0, self.capacity - after) / self.rate if allowed else now + wait
        return RateDecision(allowed, math.floor(self.capacity), remaining, wait, math.ceil(reset_at))

    def take(self, amount: float, now: float) -> RateDecision:
        """Take ``amount`` tokens if allowed."""
        decision = self.peek(amount, now)
        if decision.allowed:
            self.tokens -= amount
        return decision


class RateLimiter:
    """One bucket per key (merchant, client...), all with the same rate."""

    def __init__(self, rate: float, burst_seconds: float = 1.0) -> None:
        self.rate = rate
        self.capacity = rate * burst_seconds
        self._buckets: dict[Hashable, TokenBucket] = {}

    @property
    def enabled(self) -> bool:
        """A rate of 0 turns limiting off."""
        return self.rate > 0

    def _bucket(self, key: Hashable, now: float) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(self.rate, self.capacity, now)
        return bucket

    def take_all(self, demands: Mapping[K, int] | Mapping[K, float], now: float) -> RateDecision | None:
        """Take every demand or none of them.

        Returns ``None`` when limiting is off, otherwise the refusing decision with the longest wait,
        or, when all are allowed, the decision with the fewest tokens left.
        """
        if not self.enabled or not demands:
            return None
        decisions = {key: self._bucket(key, now).peek(amount, now) for key, amount in demands.items()}
        refused = [d for d in decisions.values() if not d.allowed]
        if refused:
            return max(refused, key=lambda d: d.retry_after)
        taken = [self._buckets[key].take(amount, now) for key, amount in demands.items()]
        return min(taken, key=lambda d: d.remaining)

    def reset(self) -> None:
        """Forget every bucket (all full again)."""
        self._buckets.clear()
