from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def catalog_spec() -> dict[str, Any]:
    with open(ROOT / "openapi" / "preview" / "catalog.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def published_spec() -> dict[str, Any]:
    with open(ROOT / "openapi" / "preview" / "published.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)  # type: ignore[no-any-return]


def product(**over: Any) -> dict[str, Any]:
    """A valid product, with overrides (a value of None removes the field)."""
    p: dict[str, Any] = {
        "id": "SKU-1",
        "title": "Trail Running Shoe",
        "description": "Light and grippy.",
        "link": "https://shop.example.com/p/sku-1",
        "imageLink": "https://cdn.example.com/sku-1.jpg",
        "brand": "Acme",
        "price": {"value": "49.99", "currency": "EUR"},
        "additionalImageLinks": ["https://cdn.example.com/sku-1-b.jpg"],
        "adult": False,
    }
    for k, v in over.items():
        if v is None:
            p.pop(k, None)
        else:
            p[k] = v
    return p
