"""`make update-spec`: slicing Criteo's whole document and summarising what changed, offline."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from spec_tools.diffing import summarize_changes
from spec_tools.slicer import SliceError, slice_catalog
from spec_tools.yamlio import load_document

from .conftest import ROOT


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def whole_document() -> dict[str, Any]:
    """A synthetic MarketingSolutions document: the Catalog slice plus unrelated APIs."""
    return {
        "openapi": "3.0.1",
        "info": {"title": "Criteo API", "version": "Preview"},
        "servers": [{"url": "https://api.criteo.com"}],
        "security": [{"oauth": []}],
        "tags": [{"name": "Catalog"}, {"name": "Campaign"}],
        "paths": {
            "/preview/catalog/products/batch": {
                "post": {
                    "operationId": "SubmitCatalogProductsBatch",
                    "requestBody": {"content": {"application/json": {"schema": _ref("Batch")}}},
                    "responses": {
                        "202": {"description": "ok", "content": {"application/json": {"schema": _ref("Ok")}}}
                    },
                }
            },
            "/preview/catalog/stats/merchants/{merchant-id}": {
                "get": {
                    "operationId": "GetCatalogMerchantStats",
                    "parameters": [{"$ref": "#/components/parameters/MerchantId"}],
                    "responses": {"200": {"$ref": "#/components/responses/StatsOk"}},
                }
            },
            "/preview/campaigns": {
                "get": {
                    "operationId": "GetCampaigns",
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": _ref("Campaign")}}}
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Batch": {"type": "object", "properties": {"entries": {"type": "array", "items": _ref("Entry")}}},
                "Entry": {
                    "required": ["merchantId"],
                    "type": "object",
                    "properties": {"merchantId": {"type": "integer"}, "product": _ref("Product")},
                },
                "Product": {"type": "object", "properties": {"price": _ref("Price"), "self": _ref("Product")}},
                "Price": {"type": "object", "properties": {"value": {"type": "string"}}},
                "Ok": {"type": "object", "properties": {"operationToken": {"type": "string"}}},
                "Stats": {"type": "object", "properties": {"total": {"type": "string", "format": "int64"}}},
                "Campaign": {"type": "object", "properties": {"budget": _ref("Price2")}},
                "Price2": {"type": "object"},
            },
            "parameters": {
                "MerchantId": {"name": "merchant-id", "in": "path", "required": True, "schema": {"type": "string"}}
            },
            "responses": {
                "StatsOk": {"description": "ok", "content": {"application/json": {"schema": _ref("Stats")}}},
                "CampaignOk": {"description": "ok"},
            },
            "securitySchemes": {"oauth": {"type": "oauth2", "flows": {}}},
        },
    }


def test_slice_keeps_catalog_paths_and_transitive_components_only() -> None:
    sliced = slice_catalog(whole_document())
    assert list(sliced["paths"]) == [
        "/preview/catalog/products/batch",
        "/preview/catalog/stats/merchants/{merchant-id}",
    ]
    components = sliced["components"]
    assert set(components["schemas"]) == {"Batch", "Entry", "Product", "Price", "Ok", "Stats"}
    assert set(components["parameters"]) == {"MerchantId"}
    assert set(components["responses"]) == {"StatsOk"}
    assert components["securitySchemes"] == {"oauth": {"type": "oauth2", "flows": {}}}
    assert sliced["info"] == whole_document()["info"]


def test_slice_refuses_a_document_without_catalog_paths() -> None:
    document = whole_document()
    del document["paths"]["/preview/catalog/products/batch"]
    del document["paths"]["/preview/catalog/stats/merchants/{merchant-id}"]
    with pytest.raises(SliceError, match="no path"):
        slice_catalog(document)


def test_slice_refuses_dangling_references() -> None:
    document = whole_document()
    del document["components"]["schemas"]["Price"]
    with pytest.raises(SliceError, match="Price"):
        slice_catalog(document)


def test_summary_names_operations_fields_types_and_required_changes() -> None:
    old = slice_catalog(whole_document())
    newer = whole_document()
    newer["paths"]["/preview/catalog/products/batch/report/{operation-token}"] = {
        "get": {"operationId": "GetReport", "responses": {"200": {"description": "ok"}}}
    }
    entry = newer["components"]["schemas"]["Entry"]
    entry["properties"]["merchantId"] = {"type": "string"}
    entry["properties"]["feedId"] = {"type": "string"}
    entry["required"] = ["merchantId", "feedId"]
    del newer["components"]["schemas"]["Price"]["properties"]["value"]
    newer["components"]["schemas"]["Price"]["properties"]["amount"] = {"type": "number"}
    lines = summarize_changes(old, slice_catalog(newer))
    assert "+ operation GET /preview/catalog/products/batch/report/{operation-token}" in lines
    assert "~ field Entry.merchantId: type integer -> string" in lines
    assert "+ field Entry.feedId: string (required)" in lines
    assert "- field Price.value" in lines
    assert "+ field Price.amount: number" in lines
    assert summarize_changes(old, copy.deepcopy(old)) == []


def test_required_and_parameter_changes_are_summarised() -> None:
    old = slice_catalog(whole_document())
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Entry"]["required"] = []
    new["paths"]["/preview/catalog/products/batch"]["post"]["parameters"] = [{"name": "dryRun", "in": "query"}]
    del new["paths"]["/preview/catalog/stats/merchants/{merchant-id}"]
    lines = summarize_changes(old, new)
    assert "~ field Entry.merchantId: no longer required" in lines
    assert "+ parameter POST /preview/catalog/products/batch query dryRun" in lines
    assert "- operation GET /preview/catalog/stats/merchants/{merchant-id}" in lines


def test_slice_command_writes_published_yaml_and_prints_the_summary(tmp_path: Path) -> None:
    source = tmp_path / "marketing-solutions.json"
    source.write_text(json.dumps(whole_document()), encoding="utf-8")
    out = tmp_path / "published.yaml"
    first = subprocess.run(
        [sys.executable, "-m", "spec_tools", "slice", str(source), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "+ operation POST /preview/catalog/products/batch" in first.stdout
    assert "GetCampaigns" not in out.read_text(encoding="utf-8")
    assert "Price2" not in out.read_text(encoding="utf-8")
    assert load_document(out) == slice_catalog(whole_document())
    again = subprocess.run(
        [sys.executable, "-m", "spec_tools", "slice", str(source), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "no semantic change" in again.stdout


def test_slice_command_fails_cleanly_on_a_missing_source(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "spec_tools", "slice", str(tmp_path / "nope.json"), "--out", str(tmp_path / "o.yaml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "error:" in result.stderr
