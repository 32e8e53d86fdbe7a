"""Synthetic whole MarketingSolutions documents, built from the committed slices (never Criteo's own text).

Each is a Catalog slice surrounded by unrelated APIs (other tags, paths, schemas, parameters and
responses), as Criteo's whole documents are.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from spec_tools.yamlio import load_document

from .conftest import OPENAPI


def _ref(section: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{section}/{name}"}


def surround(catalog: dict[str, Any], prefix: str) -> dict[str, Any]:
    """``catalog`` (a slice) inside a whole document with unrelated APIs under ``prefix``."""
    document = copy.deepcopy(catalog)
    tags = document.setdefault("tags", [])
    tags += [{"name": name} for name in ("Campaign", "Audience") if {"name": name} not in tags]
    unrelated = {
        f"{prefix}/marketing-solutions/campaigns/{{campaign-id}}": {
            "parameters": [_ref("parameters", "CampaignId")],
            "get": {
                "tags": ["Campaign"],
                "operationId": "GetCampaign",
                "responses": {"200": _ref("responses", "CampaignOk")},
            },
            "delete": {
                "tags": ["Campaign"],
                "operationId": "DeleteCampaign",
                "responses": {"204": {"description": "gone"}},
            },
        },
        f"{prefix}/audiences": {
            "post": {
                "tags": ["Audience"],
                "operationId": "CreateAudience",
                "requestBody": {"content": {"application/json": {"schema": _ref("schemas", "Audience")}}},
                "responses": {"201": {"description": "created"}},
            }
        },
    }
    document["paths"] = {**unrelated, **document["paths"]}
    components = document.setdefault("components", {})
    components.setdefault("schemas", {}).update(
        {
            "Campaign": {"type": "object", "properties": {"budget": _ref("schemas", "CampaignBudget")}},
            "CampaignBudget": {"type": "object", "properties": {"amount": {"type": "number"}}},
            "Audience": {"type": "object", "properties": {"name": {"type": "string"}}},
        }
    )
    components["parameters"] = {
        "CampaignId": {"name": "campaign-id", "in": "path", "required": True, "schema": {"type": "string"}}
    }
    components["responses"] = {
        "CampaignOk": {
            "description": "ok",
            "content": {"application/json": {"schema": _ref("schemas", "Campaign")}},
        }
    }
    return document


def committed_slice(generation: str) -> dict[str, Any]:
    return load_document(OPENAPI / generation / "published.yaml")


def preview_document() -> dict[str, Any]:
    return surround(committed_slice("preview"), "/preview")


def experimental_document() -> dict[str, Any]:
    return surround(committed_slice("experimental"), "/experimental")


def dated_document(name: str = "2027-01") -> dict[str, Any]:
    """Facts section 8's release candidate: the catalog under ``/<name>/marketing-solutions/catalog/``,
    merchantId a string, the report's path parameter named ``id``, no statistics operation."""
    catalog = committed_slice("experimental")
    catalog["info"]["version"] = name
    paths: dict[str, Any] = {}
    for path, item in catalog["paths"].items():
        if any(op.get("operationId") == "GetCatalogMerchantStats" for op in item.values() if isinstance(op, dict)):
            continue
        new_path = path.replace("/experimental/", f"/{name}/marketing-solutions/").replace("{operation-token}", "{id}")
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("name") == "operation-token":
                    parameter["name"] = "id"
        paths[new_path] = item
    catalog["paths"] = paths
    entry = catalog["components"]["schemas"]["ProductsCustomBatchRequestEntry"]
    entry["properties"]["merchantId"] = {"type": "string", "description": "The merchant, as a string of digits."}
    return surround(catalog, f"/{name}")


def write(document: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return path
