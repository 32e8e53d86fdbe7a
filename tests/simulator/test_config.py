import pytest

from criteo_catalog_sdk.simulator.config import (
    Settings,
    SimulatorConfig,
    faults_from_json,
    faults_to_json,
    parse_client,
    parse_fault_kinds,
    parse_merchants,
)
from criteo_catalog_sdk.simulator.faults import FaultKind, FaultSettings


def test_settings_round_trip_through_json() -> None:
    settings = Settings().updated(
        {
            "rate_limit": 10,
            "merchants": [3, 1],
            "client_merchants": {"a": [2]},
            "credentials": {"a": "b"},
            "static_tokens": ["t"],
            "retry_after_header": True,
            "response_shape": "spec",
            "token_ttl": 60,
        }
    )
    assert settings.merchants == frozenset({1, 3}) and settings.rate_limit == 10.0
    view = settings.to_json()
    assert view["merchants"] == [1, 3] and view["client_merchants"] == {"a": [2]}
    assert Settings().updated(view) == settings
    assert Settings().updated({"merchants": None, "credentials": None}).merchants is None


@pytest.mark.parametrize(
    "patch",
    [
        {"nope": 1},
        {"rate_limit": "fast"},
        {"rate_limit": -1},
        {"token_ttl": 1.5},
        {"token_ttl": 0},
        {"response_shape": "other"},
        {"retry_after_header": "yes"},
    ],
)
def test_bad_settings(patch: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Settings().updated(patch)


def test_parsers() -> None:
    assert parse_client("id:secret") == ("id", "secret", None)
    assert parse_client("id:s:e:c") == ("id", "s:e:c", None)
    assert parse_client("id:s:e:c:1") == ("id", "s:e:c", frozenset({1}))
    assert parse_client("id:secret:1,2") == ("id", "secret", frozenset({1, 2}))
    for bad in ("id", "id:", ":secret"):
        with pytest.raises(ValueError):
            parse_client(bad)
    assert parse_fault_kinds("all") == tuple(FaultKind)
    assert parse_fault_kinds("429, drop") == (FaultKind.TOO_MANY_REQUESTS, FaultKind.DROP)
    with pytest.raises(ValueError):
        parse_fault_kinds("boom")
    assert parse_merchants("1, 2,") == frozenset({1, 2})


def test_fault_settings_json() -> None:
    settings = faults_from_json({"rate": 0.5, "kinds": ["503"], "routes": ["batch"]})
    assert settings == FaultSettings(rate=0.5, kinds=(FaultKind.SERVICE_UNAVAILABLE,), routes=frozenset({"batch"}))
    assert faults_from_json(faults_to_json(settings)) == settings
    with pytest.raises(ValueError):
        faults_from_json({"rat": 1})


def test_with_settings() -> None:
    assert SimulatorConfig().with_settings(rate_limit=0).settings.rate_limit == 0
