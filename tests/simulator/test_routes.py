"""The route table: every served generation's operations at their own paths, read from the specs."""

from __future__ import annotations

import json

import pytest

from criteo_catalog_sdk.api_versions import API_VERSIONS, ApiVersion, get_api_version
from criteo_catalog_sdk.simulator.routes import Route, RouteTable

from .conftest import dated_release

TABLE = RouteTable([get_api_version("preview"), get_api_version("experimental"), dated_release()])


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/oauth2/token", Route("token", "POST")),
        ("/preview/catalog/products/batch", Route("batch", "POST", "", "preview")),
        ("/experimental/catalog/products/batch", Route("batch", "POST", "", "experimental")),
        ("/2027-01/marketing-solutions/catalog/products/batch", Route("batch", "POST", "", "2027-01")),
        ("/preview/catalog/products/batch/report/a.b.", Route("report", "GET", "a.b.", "preview")),
        ("/2027-01/marketing-solutions/catalog/products/batch/report/t", Route("report", "GET", "t", "2027-01")),
        ("/experimental/catalog/stats/merchants/123", Route("stats", "GET", "123", "experimental")),
        # An escaped slash stays in its segment; an empty parameter is still this route (the service judges it).
        ("/preview/catalog/products/batch/report/a%2Fb", Route("report", "GET", "a%2Fb", "preview")),
        ("/preview/catalog/products/batch/report/", Route("report", "GET", "", "preview")),
        ("/preview/catalog/products/batch/report/x/y", Route("unknown")),
        # The dated release has no statistics operation: its would-be path is unknown, like any other.
        ("/2027-01/marketing-solutions/catalog/stats/merchants/123", Route("unknown")),
        ("/2027-01/catalog/products/batch", Route("unknown")),
        ("/preview/catalog/products/batch/", Route("unknown")),
        ("/_simulator", Route("control")),
        ("/_simulator/health", Route("control")),
        ("/_simulatorx", Route("unknown")),
        ("/", Route("unknown")),
    ],
)
def test_paths_are_matched_to_their_generation_and_operation(path: str, expected: Route) -> None:
    assert TABLE.match(path) == expected


def test_every_installed_generation_is_routed_from_its_spec() -> None:
    table = RouteTable(get_api_version(name) for name in API_VERSIONS)
    for name in API_VERSIONS:
        version = get_api_version(name)
        for operation in version.operations:
            route = table.match(operation.path("v") if operation.parameter else operation.template)
            assert (route.generation, route.allowed) == (name, operation.method)


def test_a_parameter_in_the_middle_of_a_template() -> None:
    text = json.dumps(get_api_version("preview").published).replace("/preview/catalog/", "/sfx/catalog/")
    document = json.loads(text.replace("stats/merchants/{merchant-id}", "merchants/{merchant-id}/stats"))
    table = RouteTable([ApiVersion("sfx", published=document, spec=document)])
    assert table.match("/sfx/catalog/merchants/12/stats") == Route("stats", "GET", "12", "sfx")
    assert table.match("/sfx/catalog/merchants/12/other").name == "unknown"
    assert table.match("/sfx/catalog/merchants/1/2/stats").name == "unknown"
    assert table.match("/sfx/catalog/merchants/stats").name == "unknown"


def test_two_generations_serving_one_path_are_refused() -> None:
    preview = get_api_version("preview")
    with pytest.raises(ValueError, match="both serve /preview/catalog/products/batch"):
        RouteTable([preview, preview])
