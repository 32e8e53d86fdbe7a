"""Generation lifecycle: Deprecation/Sunset headers while deprecated, 410 Gone once decommissioned."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from criteo_catalog_sdk.simulator.config import Settings, SimulatorConfig
from criteo_catalog_sdk.simulator.lifecycle import (
    gone_problem,
    http_date,
    iso,
    lifecycle_headers,
    parse_deprecation,
    parse_sunset,
)

END_OF_2026 = datetime(2026, 12, 31, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-31", END_OF_2026),
        (" 2026-12-31 ", END_OF_2026),
        ("2026-12-31T00:00:00", END_OF_2026),
        ("2026-12-31T00:00:00Z", END_OF_2026),
        ("2026-12-31T01:00:00+01:00", END_OF_2026),
        (date(2026, 12, 31), END_OF_2026),
        (datetime(2026, 12, 31, 1, tzinfo=timezone(timedelta(hours=1))), END_OF_2026),
    ],
)
def test_sunsets_are_read_as_utc(value: object, expected: datetime) -> None:
    assert parse_sunset(value) == expected


@pytest.mark.parametrize("value", ["", "31/12/2026", "2026-13-01", "soon", 20261231, None])
def test_unreadable_sunsets_are_refused(value: object) -> None:
    with pytest.raises(ValueError, match="expected an ISO 8601 date"):
        parse_sunset(value)


def test_the_deprecate_option() -> None:
    assert parse_deprecation("Preview=2026-12-31") == ("preview", END_OF_2026)
    for bad in ("preview", "=2026-12-31", "preview=someday"):
        with pytest.raises(ValueError):
            parse_deprecation(bad)


def test_headers_only_for_a_deprecated_generation() -> None:
    assert http_date(END_OF_2026) == "Thu, 31 Dec 2026 00:00:00 GMT"  # RFC 9110 IMF-fixdate
    deprecated = {"preview": END_OF_2026}
    assert lifecycle_headers("preview", deprecated) == (
        ("deprecation", "true"),
        ("sunset", "Thu, 31 Dec 2026 00:00:00 GMT"),
    )
    assert lifecycle_headers("experimental", deprecated) == ()
    assert iso(END_OF_2026) == "2026-12-31T00:00:00Z"


def test_the_410_problem_names_the_generation_and_the_ones_still_served() -> None:
    problem = gone_problem("preview", ("preview", "experimental"))
    assert (problem.type, problem.code) == ("validation", "api-version-decommissioned")
    assert "preview" in problem.title and "experimental" in problem.detail and "preview, " not in problem.detail


def test_settings_keep_the_lifecycle_and_round_trip_through_json() -> None:
    settings = Settings().updated({"deprecated": {"Preview": "2026-12-31"}, "decommissioned": ["experimental"]})
    assert settings.deprecated == {"preview": END_OF_2026} and settings.decommissioned == {"experimental"}
    view = settings.to_json()
    assert view["deprecated"] == {"preview": "2026-12-31T00:00:00Z"} and view["decommissioned"] == ["experimental"]
    assert Settings().updated(json.loads(json.dumps(view))) == settings
    with pytest.raises(ValueError, match="both deprecated and decommissioned"):
        Settings().updated({"deprecated": {"preview": "2026-12-31"}, "decommissioned": ["preview"]})
    with pytest.raises(ValueError, match="timezone-aware"):
        Settings(deprecated={"preview": datetime(2026, 12, 31)})


def test_a_lifecycle_for_a_generation_not_served_is_refused() -> None:
    with pytest.raises(ValueError, match="not served: preview"):
        SimulatorConfig(api_versions=("experimental",), settings=Settings(decommissioned=frozenset({"preview"})))
    assert SimulatorConfig(settings=Settings(decommissioned=frozenset({"preview"}))).settings.decommissioned
