import pytest

from criteo_catalog_sdk.simulator.faults import FaultKind, FaultPlan, FaultSettings


def sequence(plan: FaultPlan, routes: list[str]) -> list[FaultKind | None]:
    return [plan.draw(route) for route in routes]


ROUTES = ["batch", "report", "stats", "token"] * 50


def test_same_seed_same_faults() -> None:
    settings = FaultSettings(rate=0.3)
    first = sequence(FaultPlan(settings, seed=7), ROUTES)
    second = sequence(FaultPlan(settings, seed=7), ROUTES)
    assert first == second
    assert any(first) and None in first
    assert first != sequence(FaultPlan(settings, seed=8), ROUTES)


def test_reseed_restarts_the_sequence() -> None:
    plan = FaultPlan(FaultSettings(rate=0.5), seed=3)
    first = sequence(plan, ROUTES)
    plan.reseed(3)
    assert sequence(plan, ROUTES) == first


def test_rate_zero_and_one() -> None:
    assert not any(sequence(FaultPlan(FaultSettings(rate=0.0), seed=1), ROUTES))
    always = sequence(FaultPlan(FaultSettings(rate=1.0), seed=1), ["batch"] * 100)
    assert all(always)


def test_faults_respect_routes_and_applicability() -> None:
    plan = FaultPlan(FaultSettings(rate=1.0, kinds=(FaultKind.LOST,)), seed=1)
    assert plan.draw("batch") is None  # a lost operation only shows on its report
    assert plan.draw("report") is FaultKind.LOST
    assert plan.draw("token") is None  # the token route is not faulted by default
    plan = FaultPlan(FaultSettings(rate=1.0, kinds=(FaultKind.INTERNAL_ERROR,), routes=frozenset({"token"})), seed=1)
    assert plan.draw("token") is FaultKind.INTERNAL_ERROR
    assert plan.draw("batch") is None


def test_scheduled_faults_come_first_and_are_counted() -> None:
    plan = FaultPlan(FaultSettings(rate=0.0), seed=1)
    plan.schedule(FaultKind.SERVICE_UNAVAILABLE, count=2, route="batch")
    plan.schedule(FaultKind.DROP)
    assert plan.draw("token") is None  # not a faulted route by default
    assert plan.draw("report") is FaultKind.DROP
    assert plan.draw("batch") is FaultKind.SERVICE_UNAVAILABLE
    assert plan.draw("batch") is FaultKind.SERVICE_UNAVAILABLE
    assert plan.draw("batch") is None
    assert plan.scheduled == []


def test_scheduled_faults_do_not_consume_random_draws() -> None:
    settings = FaultSettings(rate=0.5)
    plain = sequence(FaultPlan(settings, seed=5), ["batch"] * 20)
    plan = FaultPlan(settings, seed=5)
    plan.schedule(FaultKind.TRUNCATE, route="report")
    assert plan.draw("report") is FaultKind.TRUNCATE
    assert sequence(plan, ["batch"] * 20) == plain


def test_clear_and_validation() -> None:
    plan = FaultPlan(FaultSettings(rate=1.0), seed=1)
    plan.schedule(FaultKind.DROP)
    plan.clear()
    assert plan.draw("batch") is None and plan.scheduled == []
    with pytest.raises(ValueError):
        plan.schedule(FaultKind.LOST, route="batch")
    with pytest.raises(ValueError):
        plan.schedule(FaultKind.DROP, route="nowhere")
    with pytest.raises(ValueError):
        plan.schedule(FaultKind.DROP, count=0)
    with pytest.raises(ValueError):
        FaultSettings(rate=1.5)
    with pytest.raises(ValueError):
        FaultSettings(routes=frozenset({"nowhere"}))
