"""spec_tools.overlay: the Overlay 1.0 semantics the project relies on."""

from __future__ import annotations

from typing import Any

import pytest

from spec_tools.overlay import OverlayError, apply_overlay, apply_overlay_reporting


def _overlay(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": list(actions)}


DOC: dict[str, Any] = {
    "components": {
        "schemas": {
            "A": {"required": ["x", "y"], "properties": {"x": {"type": "string"}, "y": {"type": "integer"}}},
            "B": {"properties": {"x": {"type": "string"}}},
        }
    },
    "paths": {"/p": {"get": {"parameters": [{"name": "q", "in": "query"}, {"name": "r", "in": "query"}]}}},
}


def test_update_merges_objects_recursively_and_replaces_lists() -> None:
    result = apply_overlay(
        DOC,
        _overlay(
            {
                "target": "$.components.schemas.A",
                "update": {"required": ["x"], "properties": {"x": {"format": "int64"}}},
            }
        ),
    )
    schema = result["components"]["schemas"]["A"]
    assert schema["required"] == ["x"]
    assert schema["properties"]["x"] == {"type": "string", "format": "int64"}
    assert schema["properties"]["y"] == {"type": "integer"}


def test_update_on_an_array_appends_one_element() -> None:
    result = apply_overlay(DOC, _overlay({"target": "$.paths['/p'].get.parameters", "update": {"name": "s"}}))
    assert [p["name"] for p in result["paths"]["/p"]["get"]["parameters"]] == ["q", "r", "s"]


def test_remove_deletes_fields_and_filtered_list_items() -> None:
    result = apply_overlay(
        DOC,
        _overlay(
            {"target": "$.components.schemas.A.properties['x','y']", "remove": True},
            {"target": "$.paths['/p'].get.parameters[?(@.name == 'q')]", "remove": True},
        ),
    )
    assert result["components"]["schemas"]["A"]["properties"] == {}
    assert result["paths"]["/p"]["get"]["parameters"] == [{"name": "r", "in": "query"}]


def test_wildcards_apply_to_every_match() -> None:
    result = apply_overlay(DOC, _overlay({"target": "$.components.schemas.*", "update": {"type": "object"}}))
    assert all(s["type"] == "object" for s in result["components"]["schemas"].values())


def test_root_update_adds_top_level_sections() -> None:
    result = apply_overlay(DOC, _overlay({"target": "$", "update": {"components": {"responses": {"E": {}}}}}))
    assert result["components"]["responses"] == {"E": {}}
    assert "A" in result["components"]["schemas"]


def test_the_input_document_is_never_mutated() -> None:
    before = repr(DOC)
    apply_overlay(DOC, _overlay({"target": "$.components.schemas.A", "remove": True}))
    assert repr(DOC) == before


def test_unmatched_targets_are_reported_not_applied() -> None:
    result, unmatched = apply_overlay_reporting(
        DOC, _overlay({"target": "$.components.schemas.Missing", "update": {"type": "object"}})
    )
    assert result == DOC
    assert len(unmatched) == 1 and "Missing" in unmatched[0]


@pytest.mark.parametrize(
    "overlay",
    [
        {"overlay": "2.0.0", "actions": [{"target": "$", "update": {}}]},
        {"overlay": "1.0.0", "actions": []},
        _overlay({"update": {}}),
        _overlay({"target": "$.components", "description": "neither update nor remove"}),
        _overlay({"target": "$", "remove": True}),
        _overlay({"target": "$.components.schemas.A.required[0]", "update": {"x": 1}}),
        _overlay({"target": "$.[[[", "update": {}}),
    ],
    ids=["version", "no-actions", "no-target", "no-verb", "remove-root", "update-scalar", "bad-jsonpath"],
)
def test_malformed_overlays_are_refused(overlay: dict[str, Any]) -> None:
    with pytest.raises(OverlayError):
        apply_overlay(DOC, overlay)
