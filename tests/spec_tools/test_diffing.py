"""spec_tools.diffing: what changed, operation by operation (by operationId), field by field."""

from __future__ import annotations

import copy
from typing import Any

from spec_tools.diffing import same_contract, summarize_changes
from spec_tools.slicer import slice_catalog

from .documents import committed_slice, dated_document

BATCH = "/preview/catalog/products/batch"
REPORT = "/preview/catalog/products/batch/report/{operation-token}"
STATS = "/preview/catalog/stats/merchants/{merchant-id}"


def _preview() -> dict[str, Any]:
    return committed_slice("preview")


def test_no_change_is_an_empty_summary_and_descriptions_do_not_count() -> None:
    old = _preview()
    new = copy.deepcopy(old)
    new["paths"][BATCH]["post"]["description"] = "reworded"
    new["components"]["schemas"]["Product"]["properties"]["title"]["description"] = "reworded"
    assert summarize_changes(old, new) == []


def test_fields_types_enums_and_required_are_summarised() -> None:
    old, new = _preview(), _preview()
    schemas = new["components"]["schemas"]
    schemas["ProductsCustomBatchRequestEntry"]["properties"]["merchantId"] = {"type": "string"}
    schemas["Product"]["properties"]["newField"] = {"type": "string"}
    schemas["Product"]["required"].append("newField")
    schemas["Product"]["required"].remove("title")
    del schemas["Price"]["properties"]["value"]
    schemas["ReportOkResponse"]["properties"]["status"]["enum"].append("CANCELLED")
    schemas["Extra"] = {"type": "object"}
    lines = summarize_changes(old, new)
    assert "~ field ProductsCustomBatchRequestEntry.merchantId: type integer(int32) -> string" in lines
    assert "+ field Product.newField: string (required)" in lines
    assert "~ field Product.title: no longer required" in lines
    assert "- field Price.value" in lines
    assert any(line.startswith("~ field ReportOkResponse.status: enum [") and "CANCELLED" in line for line in lines)
    assert "+ schema Extra" in lines


def test_operations_are_matched_by_operation_id_so_a_move_is_one_line() -> None:
    old, new = _preview(), _preview()
    new["paths"] = {path.replace("/preview/", "/v2/"): item for path, item in new["paths"].items()}
    assert summarize_changes(old, new) == [
        "~ operation GetCatalogMerchantStats: path /preview/catalog/stats/merchants/{merchant-id}"
        " -> /v2/catalog/stats/merchants/{merchant-id}",
        f"~ operation GetCatalogProductsBatchReport: path {REPORT} -> {REPORT.replace('/preview/', '/v2/')}",
        f"~ operation SubmitCatalogProductsBatch: path {BATCH} -> {BATCH.replace('/preview/', '/v2/')}",
    ]
    assert same_contract(old, new)


def test_a_dated_generation_against_preview_names_each_difference() -> None:
    lines = summarize_changes(_preview(), slice_catalog(dated_document("2027-01")))
    assert f"- operation GetCatalogMerchantStats (GET {STATS})" in lines
    assert "~ parameter GetCatalogProductsBatchReport path operation-token: renamed to id" in lines
    assert "~ field ProductsCustomBatchRequestEntry.merchantId: type integer(int32) -> string" in lines
    assert (
        "~ operation SubmitCatalogProductsBatch: path /preview/catalog/products/batch"
        " -> /2027-01/marketing-solutions/catalog/products/batch"
    ) in lines
    assert not same_contract(_preview(), slice_catalog(dated_document("2027-01")))


def test_parameters_bodies_responses_and_methods_are_summarised() -> None:
    old, new = _preview(), _preview()
    batch = new["paths"][BATCH]["post"]
    batch["parameters"] = [{"name": "dryRun", "in": "query", "schema": {"type": "boolean"}}]
    batch["requestBody"]["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/Product"}
    batch["responses"]["400"] = {"description": "bad"}
    batch["responses"]["202"]["content"]["application/json"]["schema"] = {"type": "object"}
    stats = new["paths"][STATS]
    stats["get"]["parameters"][1]["required"] = True
    stats["get"]["parameters"][1]["schema"] = {"type": "integer", "format": "int64"}
    new["paths"][REPORT] = {"post": new["paths"][REPORT]["get"]}
    lines = summarize_changes(old, new)
    assert "+ parameter SubmitCatalogProductsBatch query dryRun" in lines
    assert "~ operation SubmitCatalogProductsBatch: request body ProductsCustomBatchRequest -> Product" in lines
    assert "+ response SubmitCatalogProductsBatch 400" in lines
    assert "~ response SubmitCatalogProductsBatch 202: body BatchAcceptedResponse -> object" in lines
    assert "~ parameter GetCatalogMerchantStats query lastNumHours: required False -> True" in lines
    assert "~ parameter GetCatalogMerchantStats query lastNumHours: type integer(int32) -> integer(int64)" in lines
    assert "~ operation GetCatalogProductsBatchReport: method GET -> POST" in lines


def test_referenced_and_path_level_parameters_are_compared_resolved() -> None:
    old, new = _preview(), _preview()
    report = new["paths"][REPORT]
    new["components"]["parameters"] = {"Token": report["get"].pop("parameters")[0]}
    report["parameters"] = [{"$ref": "#/components/parameters/Token"}]
    assert summarize_changes(old, new) == []
    new["components"]["parameters"]["Token"]["schema"] = {"type": "integer"}
    assert summarize_changes(old, new) == [
        "~ parameter GetCatalogProductsBatchReport path operation-token: type string -> integer"
    ]


def test_operations_without_an_operation_id_are_named_by_method_and_path() -> None:
    old, new = _preview(), _preview()
    new["paths"]["/preview/ping"] = {"get": {"responses": {"200": {"description": "ok"}}}}
    assert summarize_changes(old, new) == ["+ operation GET /preview/ping (GET /preview/ping)"]
