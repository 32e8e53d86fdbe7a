"""The effective OpenAPI spec, as shipped with the generated code (package data)."""

from __future__ import annotations

import functools
import importlib.resources
import json
from typing import Any, cast

SPEC_PACKAGE = "criteo_catalog_sdk._generated"
SPEC_JSON = "catalog.json"


@functools.cache
def effective_spec() -> dict[str, Any]:
    """``openapi/catalog.yaml`` as a dict, read once per process from its JSON copy (no YAML needed)."""
    text = importlib.resources.files(SPEC_PACKAGE).joinpath(SPEC_JSON).read_text(encoding="utf-8")
    return cast(dict[str, Any], json.loads(text))
