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


def cut_xml_feed(path: Path, prefix: str, items: int = 5) -> Path:
    """A Merchant Center XML feed of ``items`` valid items whose file ends in the middle of the next one."""
    body = "".join(
        f"<item><g:id>{prefix}{i}</g:id><g:title>Title {i}</g:title><g:link>https://x/{i}</g:link>"
        f"<g:image_link>https://x/{i}.jpg</g:image_link></item>\n"
        for i in range(items)
    )
    path.write_text(f'<rss xmlns:g="http://base.google.com/ns/1.0"><channel>\n{body}<item><g:id>{prefix}{items}</g:id>')
    return path
