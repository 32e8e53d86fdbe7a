"""Served generations: which ones, and each one's batch bodies judged by its own effective spec."""

from __future__ import annotations

import pytest

from criteo_catalog_sdk.api_versions import API_VERSIONS, get_api_version
from criteo_catalog_sdk.errors import ConfigurationError
from criteo_catalog_sdk.simulator.generations import build_generations, check_served, describe, generation_names
from criteo_catalog_sdk.simulator.validation import merchant_id_of

from .conftest import dated_release, insert


def test_every_installed_generation_by_default_in_order() -> None:
    served = build_generations()
    assert tuple(served) == API_VERSIONS == generation_names(None)
    assert all(served[name].version is get_api_version(name) for name in API_VERSIONS)


def test_names_and_synthetic_generations_can_be_mixed() -> None:
    release = dated_release()
    served = build_generations(["Preview", release])
    assert list(served) == ["preview", "2027-01"]
    assert served["2027-01"].version is release
    assert generation_names(["Preview", release]) == ("preview", "2027-01")


@pytest.mark.parametrize("specs", [["preview", "preview"], []])
def test_duplicates_and_nothing_are_refused(specs: list[str]) -> None:
    with pytest.raises(ValueError):
        build_generations(specs)


def test_unknown_names_are_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="2019-01"):
        build_generations(["2019-01"])


def test_each_generation_validates_merchant_id_as_its_spec_types_it() -> None:
    served = build_generations(["preview", dated_release()])
    as_integer = {"entries": [insert("a", merchant=123)]}
    as_string = {"entries": [{**insert("a"), "merchantId": "123"}]}
    # preview's effective spec takes both (the documented request sends "123"); 2027-01 takes only a string.
    assert served["preview"].validator.validate(as_integer) == []
    assert served["preview"].validator.validate(as_string) == []
    assert served["2027-01"].validator.validate(as_string) == []
    problems = served["2027-01"].validator.validate(as_integer)
    assert [(p.code, p.detail) for p in problems] == [("json-format", "entries.merchantId: expected a string")]


@pytest.mark.parametrize(
    ("value", "merchant"),
    [
        (123, 123),
        ("123", 123),
        ("0042", 42),
        ("2147483647", 2147483647),
        ("abc", 0),
        ("", 0),
        ("-5", 0),
        (" 12", 0),
        ("12345678901", 0),
        ("١٢", 0),
    ],
)
def test_merchant_ids_sent_as_strings(value: object, merchant: int) -> None:
    # 0 is a merchant no credentials may manage: a string no generation could mean as a merchant gets a 403.
    assert merchant_id_of({"merchantId": value}) == merchant


def test_lifecycle_names_must_be_served() -> None:
    check_served(["preview"], ["preview", "experimental"])
    with pytest.raises(ValueError, match="not served: nope"):
        check_served(["nope", "preview"], ["preview"])


def test_describe_lists_operations_and_the_merchant_id_type() -> None:
    view = describe(build_generations([dated_release()])["2027-01"])
    assert view["merchantIdType"] == "string"
    assert view["operations"] == {
        "batch": {"method": "POST", "path": "/2027-01/marketing-solutions/catalog/products/batch"},
        "report": {"method": "GET", "path": "/2027-01/marketing-solutions/catalog/products/batch/report/{id}"},
        "stats": None,
    }
