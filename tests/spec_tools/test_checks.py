"""spec_tools.checks: each reason a generation's specs cannot work is found, in one line."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from spec_tools.checks import link_problems, overlay_action_problems, spec_problems

from .conftest import GENERATIONS, specs_of

BATCH = "/preview/catalog/products/batch"


def _effective() -> dict[str, Any]:
    return copy.deepcopy(specs_of("preview").effective)


def _link(document: dict[str, Any]) -> dict[str, Any]:
    link: dict[str, Any] = document["paths"][BATCH]["post"]["responses"]["202"]["links"]["GetReport"]
    return link


@pytest.mark.parametrize("generation", GENERATIONS)
def test_every_committed_generation_passes_every_check(generation: str) -> None:
    specs = specs_of(generation)
    assert overlay_action_problems(specs.published, specs.overlay) == []
    assert link_problems(specs.effective) == []
    assert spec_problems(specs.effective) == []


def test_a_link_to_a_missing_operation_is_reported() -> None:
    document = _effective()
    _link(document)["operationId"] = "GetReportV2"
    assert link_problems(document) == [
        "link GetReport of SubmitCatalogProductsBatch 202 names operation GetReportV2, which the spec does not have"
    ]


def test_a_link_parameter_the_operation_lacks_is_reported() -> None:
    document = _effective()
    _link(document)["parameters"] = {"id": "$response.body#/operationToken"}
    assert link_problems(document) == [
        "link GetReport of SubmitCatalogProductsBatch 202: GetCatalogProductsBatchReport has no parameter 'id'"
        " (it has: operation-token)"
    ]


def test_link_parameters_may_be_qualified_by_their_location() -> None:
    document = _effective()
    _link(document)["parameters"] = {"path.operation-token": "$response.body#/operationToken"}
    assert link_problems(document) == []
    _link(document)["parameters"] = {"query.operation-token": "$response.body#/operationToken"}
    assert len(link_problems(document)) == 1


def test_links_declared_as_components_are_checked_too() -> None:
    document = _effective()
    responses = document["paths"][BATCH]["post"]["responses"]
    document["components"]["links"] = {"Report": {**responses["202"]["links"]["GetReport"], "operationId": "Nope"}}
    responses["202"]["links"]["GetReport"] = {"$ref": "#/components/links/Report"}
    assert len(link_problems(document)) == 1


def test_an_invalid_spec_is_reported_in_short_lines() -> None:
    document = _effective()
    del document["paths"][BATCH]["post"]["responses"]["202"]["description"]
    document["components"]["schemas"]["Price"]["type"] = "strng"
    problems = spec_problems(document)
    assert len(problems) >= 2
    assert all(p.startswith("not valid OpenAPI at ") and len(p) < 400 and "\n" not in p for p in problems)
    assert any("description" in p for p in problems)


def test_a_dangling_reference_is_reported() -> None:
    document = _effective()
    document["paths"][BATCH]["post"]["responses"]["202"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Gone"
    }
    assert spec_problems(document) == ["not valid OpenAPI: unresolvable reference /components/schemas/Gone"]


def test_moot_overlay_actions_are_reported_in_order() -> None:
    specs = specs_of("preview")
    published = copy.deepcopy(specs.published)
    del published["components"]["schemas"]["Product"]["properties"]["multipack"]
    published["components"]["schemas"]["Product"]["properties"]["googleProductCategory"]["nullable"] = True
    problems = overlay_action_problems(published, specs.overlay)
    assert len(problems) == 3
    assert "googleProductCategory) changes nothing: retire or adapt it" in problems[0]
    assert all("multipack" in p and "selects nothing" in p for p in problems[1:])
