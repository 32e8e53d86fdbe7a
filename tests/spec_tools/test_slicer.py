"""spec_tools.slicer: the catalog is found by tag and operationId, with what it references, nothing else."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spec_tools.slicer import SliceError, find_catalog_operations, slice_catalog
from spec_tools.yamlio import load_document

from .conftest import ROOT
from .documents import committed_slice, dated_document, preview_document, surround

OPS = ["SubmitCatalogProductsBatch", "GetCatalogProductsBatchReport", "GetCatalogMerchantStats"]


def test_the_slice_of_a_whole_document_is_the_committed_slice() -> None:
    assert slice_catalog(preview_document()) == committed_slice("preview")


def test_unrelated_paths_tags_and_components_are_left_out() -> None:
    sliced = slice_catalog(preview_document())
    assert all("/catalog/" in path for path in sliced["paths"])
    text = json.dumps(sliced["paths"]) + json.dumps(sliced["components"])
    for unrelated in ("GetCampaign", "CreateAudience", "Campaign", "Audience"):
        assert unrelated not in text
    assert "parameters" not in sliced["components"] and "responses" not in sliced["components"]
    assert sliced["components"]["securitySchemes"] == committed_slice("preview")["components"]["securitySchemes"]


def test_operations_are_found_by_tag_and_operation_id_not_by_prefix() -> None:
    document = dated_document("2027-01")
    found = [(op.operation_id, op.method, op.path) for op in find_catalog_operations(document)]
    assert found == [
        ("SubmitCatalogProductsBatch", "post", "/2027-01/marketing-solutions/catalog/products/batch"),
        ("GetCatalogProductsBatchReport", "get", "/2027-01/marketing-solutions/catalog/products/batch/report/{id}"),
    ]
    sliced = slice_catalog(document)
    assert "StatisticsRecord" not in sliced["components"]["schemas"], "only what the kept operations reference"
    assert sliced["components"]["schemas"]["ProductsCustomBatchRequestEntry"]["properties"]["merchantId"]["type"] == (
        "string"
    )


def test_other_operations_of_a_catalog_path_item_are_dropped_its_shared_fields_kept() -> None:
    document = preview_document()
    item = document["paths"]["/preview/catalog/products/batch"]
    item["delete"] = {"tags": ["Campaign"], "operationId": "Unrelated", "responses": {"204": {"description": "x"}}}
    item["parameters"] = [{"$ref": "#/components/parameters/CampaignId"}]
    sliced = slice_catalog(document)
    kept = sliced["paths"]["/preview/catalog/products/batch"]
    assert "delete" not in kept and "post" in kept
    assert kept["parameters"] == [{"$ref": "#/components/parameters/CampaignId"}]
    assert set(sliced["components"]["parameters"]) == {"CampaignId"}


def test_an_operation_without_the_catalog_tag_is_not_taken_and_the_error_says_so() -> None:
    document = preview_document()
    document["paths"]["/preview/catalog/products/batch"]["post"]["tags"] = ["Campaign"]
    with pytest.raises(SliceError) as caught:
        slice_catalog(document)
    message = str(caught.value)
    assert "no SubmitCatalogProductsBatch operation tagged Catalog" in message
    assert "SubmitCatalogProductsBatch at POST /preview/catalog/products/batch is not tagged Catalog" in message
    assert "\n" not in message


def test_a_document_without_catalog_operations_is_one_clear_error() -> None:
    document = surround({"openapi": "3.0.1", "info": {"version": "2026-07"}, "paths": {}}, "/2026-07")
    with pytest.raises(SliceError) as caught:
        slice_catalog(document)
    message = str(caught.value)
    assert message.startswith("no catalog operations (info.version '2026-07')")
    assert "SubmitCatalogProductsBatch" in message and "GetCatalogProductsBatchReport" in message


def test_statistics_are_optional_the_batch_and_report_are_not() -> None:
    document = preview_document()
    del document["paths"]["/preview/catalog/stats/merchants/{merchant-id}"]
    assert [op.operation_id for op in find_catalog_operations(document)] == OPS[:2]
    del document["paths"]["/preview/catalog/products/batch/report/{operation-token}"]
    with pytest.raises(SliceError, match=r"^an incomplete catalog .*no GetCatalogProductsBatchReport operation"):
        slice_catalog(document)


def test_an_operation_declared_twice_is_refused() -> None:
    document = preview_document()
    document["paths"]["/preview/catalog/products/batch2"] = document["paths"]["/preview/catalog/products/batch"]
    with pytest.raises(SliceError, match="SubmitCatalogProductsBatch is declared twice"):
        slice_catalog(document)


def test_dangling_and_external_references_are_refused() -> None:
    document = preview_document()
    del document["components"]["schemas"]["Price"]
    with pytest.raises(SliceError, match="dangling reference '#/components/schemas/Price'"):
        slice_catalog(document)
    document = preview_document()
    document["components"]["schemas"]["Price"] = {"$ref": "other.yaml#/Price"}
    with pytest.raises(SliceError, match="external"):
        slice_catalog(document)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("paths", [], "the document's 'paths' is not a mapping"),
        ("info", "Preview", "the document's 'info' is not a mapping"),
        ("components", {"schemas": []}, "the document's components.schemas is not a mapping"),
    ],
)
def test_a_malformed_document_is_one_clear_error(key: str, value: object, message: str) -> None:
    document = preview_document()
    document[key] = value
    with pytest.raises(SliceError, match=re.escape(message)):
        slice_catalog(document)


def test_slice_command_writes_the_slice_and_prints_the_summary(tmp_path: Path) -> None:
    source = tmp_path / "marketing-solutions.json"
    source.write_text(json.dumps(preview_document()), encoding="utf-8")
    out = tmp_path / "published.yaml"
    command = [sys.executable, "-m", "spec_tools", "slice", str(source), "--out", str(out)]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    assert "+ operation SubmitCatalogProductsBatch (POST /preview/catalog/products/batch)" in first.stdout
    assert load_document(out) == committed_slice("preview")
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    assert "no semantic change" in again.stdout


def test_slice_command_fails_cleanly_on_a_missing_source(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "spec_tools", "slice", str(tmp_path / "nope.json"), "--out", str(tmp_path / "o.yaml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error:") and "Traceback" not in result.stderr
