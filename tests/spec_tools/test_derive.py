"""spec_tools.derive: a new generation's overlay from an existing one's, moot actions dropped, renames followed."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from spec_tools.checks import link_problems, overlay_action_problems
from spec_tools.derive import derive_overlay
from spec_tools.overlay import OverlayError, apply_overlay
from spec_tools.slicer import slice_catalog
from spec_tools.yamlio import parse_document

from .conftest import OPENAPI
from .documents import committed_slice, dated_document

HEADER = "# derived for the test\n"


def _derive(new_published: dict[str, Any], base_text: str | None = None) -> Any:
    text = base_text if base_text is not None else (OPENAPI / "experimental" / "overlay.yaml").read_text()
    return derive_overlay(text, committed_slice("experimental"), new_published, HEADER)


def test_a_dated_generation_keeps_what_applies_drops_statistics_and_follows_the_renamed_token() -> None:
    new = slice_catalog(dated_document("2027-01"))
    derived = _derive(new)
    overlay = parse_document(derived.text)
    base = parse_document((OPENAPI / "experimental" / "overlay.yaml").read_text())
    stats_targets = [
        a["target"] for a in base["actions"] if "GetCatalogMerchantStats" in a["target"] or "Statistics" in a["target"]
    ]
    assert len(stats_targets) == 5
    assert all(any(target in line for line in derived.dropped) for target in stats_targets)
    assert len(derived.dropped) == len(stats_targets)
    assert len(overlay["actions"]) == len(base["actions"]) - len(stats_targets)
    # The renamed path parameter: the link and the pattern action follow it.
    assert len(derived.adapted) == 2
    effective = apply_overlay(new, overlay)
    report = effective["paths"]["/2027-01/marketing-solutions/catalog/products/batch/report/{id}"]["get"]
    assert report["parameters"][0]["schema"]["pattern"].startswith("^[A-Za-z0-9_-]+")
    accepted = effective["paths"]["/2027-01/marketing-solutions/catalog/products/batch"]["post"]["responses"]["202"]
    assert accepted["links"]["GetReport"]["parameters"] == {"id": "$response.body#/operationToken"}
    assert link_problems(effective) == []
    assert overlay_action_problems(new, overlay) == []


def test_the_base_text_is_kept_comments_anchors_and_all_with_the_lists_on_top() -> None:
    derived = _derive(slice_catalog(dated_document("2027-01")))
    assert derived.text.startswith(HEADER + "# Dropped from the base")
    for line in derived.dropped + derived.adapted:
        assert f"#   - {line}" in derived.text
    assert "&int32_lenient" in derived.text and "*int64_lenient" in derived.text
    assert "# --- Reports (D1, facts section 6) ---" in derived.text
    assert "parameters[?(@.name == 'id')].schema" in derived.text
    assert "operation-token: $response.body" not in derived.text


def test_a_generation_with_the_same_contract_keeps_every_action() -> None:
    base_text = (OPENAPI / "experimental" / "overlay.yaml").read_text()
    derived = _derive(committed_slice("preview"))
    assert derived.dropped == [] and derived.adapted == []
    assert derived.text == HEADER + derived.text.removeprefix(HEADER).split("#\n", 1)[0] + "#\n" + base_text


def test_an_action_that_changes_nothing_is_dropped_too() -> None:
    new = slice_catalog(dated_document("2027-01"))
    new["components"]["schemas"]["Product"]["properties"]["googleProductCategory"]["nullable"] = True
    derived = _derive(new)
    assert any("googleProductCategory" in line and line.endswith("changes nothing") for line in derived.dropped)


def test_a_layout_the_text_edit_cannot_follow_falls_back_to_plain_yaml() -> None:
    # An overlay may be JSON (one line here): cutting lines out of it cannot work.
    base = parse_document((OPENAPI / "experimental" / "overlay.yaml").read_text())
    new = slice_catalog(dated_document("2027-01"))
    derived = _derive(new, json.dumps(base))
    overlay = parse_document(derived.text)
    assert len(overlay["actions"]) == len(base["actions"]) - 5
    assert overlay == parse_document(_derive(new).text)


def test_a_link_is_left_alone_when_the_target_has_several_path_parameters() -> None:
    new = slice_catalog(dated_document("2027-01"))
    path = "/2027-01/marketing-solutions/catalog/products/batch/report/{id}"
    item = new["paths"].pop(path)
    item["get"]["parameters"].append(copy.deepcopy(item["get"]["parameters"][0]) | {"name": "part"})
    new["paths"][path + "/{part}"] = item
    derived = _derive(new)
    assert not any("link" in line for line in derived.adapted)
    effective = apply_overlay(new, parse_document(derived.text))
    assert any("has no parameter 'operation-token'" in problem for problem in link_problems(effective))


def test_a_malformed_base_overlay_is_refused() -> None:
    with pytest.raises(OverlayError, match="'actions' must be a list of mappings"):
        _derive(slice_catalog(dated_document("2027-01")), "overlay: 1.0.0\nactions:\n  - just a string\n")
