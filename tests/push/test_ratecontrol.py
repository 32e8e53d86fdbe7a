from __future__ import annotations

import pytest

from criteo_catalog_sdk.push.ratecontrol import AimdRateController, Pacer, TokenBucket


def test_starts_at_the_ceiling_and_halves_on_throttle() -> None:
    c = AimdRateController(ceiling=3000, cooldown=2)
    assert c.rate == 3000
    assert c.on_throttle(10.0) == 1500
    # more 429s from batches already in flight within the cooldown count once
    assert c.on_throttle(10.5) == 1500
    assert c.on_throttle(11.9) == 1500
    assert c.on_throttle(12.0) == 750


def test_sustained_throttling_reaches_the_floor_never_below() -> None:
    c = AimdRateController(ceiling=3000, floor=10, cooldown=1)
    for t in range(30):
        c.on_throttle(float(t))
    assert c.rate == 10


def test_additive_increase_after_cooldown_up_to_the_ceiling() -> None:
    c = AimdRateController(ceiling=3000, ramp=100, cooldown=2)
    c.on_throttle(0.0)  # 1500
    assert c.on_success(1.0) == 1500  # still in cooldown
    assert c.on_success(3.0) == pytest.approx(1600)  # 1 s past the cooldown
    assert c.on_success(5.0) == pytest.approx(1800)
    assert c.on_success(100.0) == 3000


def test_retry_after_pauses() -> None:
    c = AimdRateController()
    c.on_throttle(10.0, retry_after=5)
    assert c.wait(10.0) == 5
    assert c.wait(14.0) == 1
    assert c.wait(16.0) == 0


def test_bad_parameters() -> None:
    with pytest.raises(ValueError):
        AimdRateController(ceiling=10, floor=20)
    with pytest.raises(ValueError):
        AimdRateController(decrease=1.0)
    with pytest.raises(ValueError):
        TokenBucket(rate=0)


def test_token_bucket_paces_to_the_rate() -> None:
    b = TokenBucket(rate=3000, burst=3000)
    waits = [b.reserve(1000, 0.0) for _ in range(6)]
    assert waits == pytest.approx([0, 0, 0, 1 / 3, 2 / 3, 1])


def test_token_bucket_sustained_rate() -> None:
    b = TokenBucket(rate=1000, burst=1000)
    now = 0.0
    sent = 0
    while now < 10:
        now += b.reserve(500, now)
        sent += 500
    # a burst of 1000 plus 1000/s
    assert sent <= 1000 + 1000 * now + 500


def test_token_bucket_batch_larger_than_burst_waits_for_a_full_bucket() -> None:
    b = TokenBucket(rate=100, burst=100)
    assert b.reserve(300, 0.0) == 0
    assert b.reserve(300, 0.0) == pytest.approx(3.0)


def test_pacer_follows_the_controller() -> None:
    p = Pacer(rate=1000)
    assert p.reserve(1000, 0.0) == 0
    p.on_throttle(0.0, retry_after=2)
    assert p.rate == 500
    w = p.reserve(500, 0.0)
    assert w >= 2
