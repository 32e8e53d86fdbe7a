import pytest

from criteo_catalog_sdk.simulator.ratelimit import RateLimiter, TokenBucket

NOW = 1_000.0


def test_bucket_allows_its_capacity_then_refuses_with_the_wait() -> None:
    bucket = TokenBucket(rate=3000, capacity=3000, now=NOW)
    first = bucket.take(2000, NOW)
    assert first.allowed and first.remaining == 1000 and first.limit == 3000
    refused = bucket.take(1500, NOW)
    assert not refused.allowed
    assert refused.retry_after == pytest.approx(500 / 3000)
    assert refused.retry_after_seconds == 1
    assert refused.reset_at == 1001  # epoch seconds, rounded up
    # Nothing was taken by the refusal.
    assert bucket.take(1000, NOW).allowed


def test_bucket_refills_with_time() -> None:
    bucket = TokenBucket(rate=100, capacity=100, now=NOW)
    assert bucket.take(100, NOW).allowed
    assert not bucket.take(50, NOW + 0.1).allowed
    assert bucket.take(50, NOW + 0.5).allowed
    # Never more than the capacity.
    assert bucket.peek(100, NOW + 100).remaining == 0
    assert bucket.peek(1, NOW + 100).remaining == 99


def test_a_batch_larger_than_the_bucket_passes_when_full_and_leaves_debt() -> None:
    bucket = TokenBucket(rate=1000, capacity=1000, now=NOW)
    assert bucket.take(5000, NOW).allowed
    refused = bucket.take(1, NOW + 1)
    # 4000 of debt, 1000 refilled: 3001 tokens short, 3.001 s.
    assert not refused.allowed
    assert refused.retry_after == pytest.approx(3.001)
    assert refused.retry_after_seconds == 4
    assert bucket.take(1, NOW + 4.001).allowed


def test_limiter_is_all_or_nothing_and_per_key() -> None:
    limiter = RateLimiter(rate=10)
    assert limiter.take_all({"a": 10}, NOW) is not None
    decision = limiter.take_all({"a": 1, "b": 5}, NOW)
    assert decision is not None and not decision.allowed
    # b was not charged: it still has 10.
    allowed = limiter.take_all({"b": 10}, NOW)
    assert allowed is not None and allowed.allowed and allowed.remaining == 0


def test_limiter_off_and_reset() -> None:
    assert RateLimiter(rate=0).take_all({"a": 10**9}, NOW) is None
    limiter = RateLimiter(rate=1)
    limiter.take_all({"a": 1}, NOW)
    refused = limiter.take_all({"a": 1}, NOW)
    assert refused is not None and not refused.allowed
    limiter.reset()
    again = limiter.take_all({"a": 1}, NOW)
    assert again is not None and again.allowed


def test_invalid_bucket() -> None:
    with pytest.raises(ValueError):
        TokenBucket(rate=0, capacity=1, now=NOW)
