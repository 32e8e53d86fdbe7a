"""Generations as data: every generation's operations, path parameters and merchantId type come from its spec."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

import criteo_catalog_sdk.models as public_models
from criteo_catalog_sdk._generated import GENERATIONS
from criteo_catalog_sdk.api_versions import (
    API_VERSIONS,
    DEFAULT_API_VERSION,
    ENV_API_VERSION,
    ApiVersion,
    get_api_version,
)
from criteo_catalog_sdk.errors import ConfigurationError, InvalidRequestError, UnsupportedOperationError


def test_every_generated_generation_is_listed_and_the_default_is_one_of_them() -> None:
    assert set(API_VERSIONS) == set(GENERATIONS)
    assert {"preview", "experimental"} <= set(API_VERSIONS)
    assert DEFAULT_API_VERSION in API_VERSIONS


@pytest.mark.parametrize("name", API_VERSIONS)
def test_each_generation_finds_its_operations_under_its_own_prefix(name: str) -> None:
    version = get_api_version(name)
    assert version.batch.method == "POST" and version.batch.parameter is None
    assert version.report.method == "GET" and version.report.parameter is not None
    paths = [op.template for op in version.operations]
    assert all(path.startswith(f"/{name}/") for path in paths), paths
    assert version.published["paths"].keys() <= version.spec["paths"].keys()


def test_preview_and_experimental_differ_only_by_prefix() -> None:
    preview, experimental = get_api_version("preview"), get_api_version("experimental")
    for mine, theirs in zip(preview.operations, experimental.operations, strict=True):
        assert mine.template.removeprefix("/preview") == theirs.template.removeprefix("/experimental")
        assert (mine.operation_id, mine.method, mine.parameter) == (
            theirs.operation_id,
            theirs.method,
            theirs.parameter,
        )
    assert preview.merchant_id_type == experimental.merchant_id_type == "integer"


def test_unknown_names_are_a_clear_error_listing_the_known_ones() -> None:
    with pytest.raises(ConfigurationError) as caught:
        get_api_version("2019-01")
    message = str(caught.value)
    assert "2019-01" in message
    for name in API_VERSIONS:
        assert name in message


def test_the_environment_chooses_when_no_name_is_given() -> None:
    assert get_api_version(environ={}).name == DEFAULT_API_VERSION
    assert get_api_version(environ={ENV_API_VERSION: " Experimental "}).name == "experimental"
    assert get_api_version("preview", environ={ENV_API_VERSION: "experimental"}).name == "preview"
    with pytest.raises(ConfigurationError):
        get_api_version(environ={ENV_API_VERSION: "nope"})


@pytest.mark.parametrize(
    ("value", "escaped"),
    [("a/b", "a%2Fb"), ("..", "%2E%2E"), ("x?y#z", "x%3Fy%23z"), ("h.p.", "h.p."), ("%2F", "%252F")],
)
def test_path_parameters_are_escaped_into_one_segment(value: str, escaped: str) -> None:
    report = get_api_version("preview").report
    assert report.path(value) == report.prefix + escaped


def test_an_operation_without_its_parameter_is_refused() -> None:
    with pytest.raises(InvalidRequestError):
        get_api_version("preview").report.path(None)


def _dated_release(preview: ApiVersion) -> dict[str, Any]:
    """The preview slice moved to a 2027-01-like shape: new prefix, merchantId a string, report parameter `id`,
    no statistics operation (facts section 8)."""
    text = json.dumps(preview.published).replace("/preview/catalog/", "/2027-01/marketing-solutions/catalog/")
    document: dict[str, Any] = json.loads(text.replace("{operation-token}", "{id}"))
    for item in document["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("name") == "operation-token":
                    parameter["name"] = "id"
    document["paths"] = {p: i for p, i in document["paths"].items() if "/stats/" not in p}
    entry = document["components"]["schemas"]["ProductsCustomBatchRequestEntry"]["properties"]
    entry["merchantId"] = {"type": "string"}
    return document


def test_a_dated_release_is_read_from_its_spec_alone() -> None:
    published = _dated_release(get_api_version("preview"))
    version = ApiVersion("2027-01", published=published, spec=copy.deepcopy(published))
    assert version.merchant_id_type == "string"
    assert version.merchant_id_value(42) == "42"
    assert get_api_version("preview").merchant_id_value(42) == 42
    assert version.report.parameter == "id"
    assert version.report.path("t.k.") == "/2027-01/marketing-solutions/catalog/products/batch/report/t.k."
    assert version.stats is None
    with pytest.raises(UnsupportedOperationError) as caught:
        version.stats_operation()
    assert "2027-01" in str(caught.value) and "preview" in str(caught.value)


def test_the_public_models_are_the_default_generations() -> None:
    module = GENERATIONS[DEFAULT_API_VERSION]
    assert public_models.Product.__module__.startswith(f"criteo_catalog_sdk._generated.{module}.")
