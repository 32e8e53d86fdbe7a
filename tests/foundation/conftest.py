from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spec_tools.yamlio import load_document

ROOT = Path(__file__).resolve().parents[2]
OPENAPI = ROOT / "openapi"
PREVIEW = OPENAPI / "preview"


@pytest.fixture(scope="session")
def published() -> dict[str, Any]:
    return load_document(PREVIEW / "published.yaml")


@pytest.fixture(scope="session")
def effective() -> dict[str, Any]:
    return load_document(PREVIEW / "catalog.yaml")


@pytest.fixture(scope="session")
def overlay() -> dict[str, Any]:
    return load_document(PREVIEW / "overlay.yaml")
