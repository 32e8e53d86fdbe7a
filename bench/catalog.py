"""Synthetic catalogs for the benchmarks, built on the demo feed's generator (``examples/make_catalog.py``).

Products are realistic (17 to 22 fields, a ~200 character description, prices, image lists, a few
nested objects) and all valid, so that every benchmark measures the path a real catalog takes. Large
catalogs repeat a pool of generated products under fresh ids: generating a million products one by
one would take longer than pushing them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import orjson

from examples.make_catalog import make_product

#: Distinct generated products; larger catalogs reuse them under new ids.
POOL_SIZE = 5000


def _pool(seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [make_product(rng, i) for i in range(1, POOL_SIZE + 1)]


_POOLS: dict[int, list[dict[str, Any]]] = {}


def pool(seed: int = 8) -> list[dict[str, Any]]:
    """The products of the pool for ``seed`` (generated once per process)."""
    if seed not in _POOLS:
        _POOLS[seed] = _pool(seed)
    return _POOLS[seed]


def iter_products(n: int, *, seed: int = 8, prefix: str = "BENCH") -> Iterator[dict[str, Any]]:
    """``n`` valid products with unique ids ``{prefix}-{i:07d}`` (i = 1..n), each a new dict."""
    base = pool(seed)
    for i in range(1, n + 1):
        product = dict(base[(i - 1) % POOL_SIZE])
        product["id"] = f"{prefix}-{i:07d}"
        yield product


def products(n: int, *, seed: int = 8, prefix: str = "BENCH") -> list[dict[str, Any]]:
    """``n`` valid products (see :func:`iter_products`) as a list."""
    return list(iter_products(n, seed=seed, prefix=prefix))


def write_feed(path: Path, n: int, *, seed: int = 8, prefix: str = "FEED") -> int:
    """Write a JSON Lines feed of ``n`` products to ``path``; returns its size in bytes."""
    size = 0
    with path.open("wb") as out:
        lines: list[bytes] = []
        for product in iter_products(n, seed=seed, prefix=prefix):
            lines.append(orjson.dumps(product))
            if len(lines) >= 10_000:
                chunk = b"\n".join(lines) + b"\n"
                out.write(chunk)
                size += len(chunk)
                lines = []
        if lines:
            chunk = b"\n".join(lines) + b"\n"
            out.write(chunk)
            size += len(chunk)
    return size


#: Criteo list fields written as Google's repeated elements (singular names).
_XML_LISTS = {"additionalImageLinks": "additional_image_link", "productTypes": "product_type", "sizes": "size"}
_XML_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">\n'
    b"<channel>\n<title>Bench shop</title>\n<link>https://shop.example</link>\n"
)


def xml_item(product: dict[str, Any]) -> str:
    """A product as a Merchant Center RSS ``<item>``: Google's names, prices and measures as text."""
    from criteo_catalog_sdk.push.feeds.attributes import snake

    parts = ["<item>"]
    for field, value in product.items():
        name = _XML_LISTS.get(field, snake(field))
        if isinstance(value, list):
            parts.extend(f"<g:{name}>{escape(str(v))}</g:{name}>" for v in value)
        elif isinstance(value, dict):
            text = " ".join(str(value[k]) for k in ("value", "currency", "unit") if k in value)
            parts.append(f"<g:{name}>{escape(text)}</g:{name}>")
        else:
            parts.append(f"<g:{name}>{escape(str(value))}</g:{name}>")
    parts.append("</item>\n")
    return "".join(parts)


def write_xml_feed(path: Path, n: int, *, seed: int = 8, prefix: str = "FEED") -> int:
    """Write a Merchant Center RSS feed of ``n`` products (those of :func:`write_feed`); returns its size."""
    size = 0
    with path.open("wb") as out:
        out.write(_XML_HEAD)
        size += len(_XML_HEAD)
        items: list[str] = []
        for product in iter_products(n, seed=seed, prefix=prefix):
            items.append(xml_item(product))
            if len(items) >= 10_000:
                chunk = "".join(items).encode()
                out.write(chunk)
                size += len(chunk)
                items = []
        tail = ("".join(items) + "</channel>\n</rss>\n").encode()
        out.write(tail)
        size += len(tail)
    return size


def error_report(n_errors: int = 1000, *, seed: int = 8) -> dict[str, Any]:
    """A terminal ``VALIDATED_WITH_ERRORS`` report of a 1,000-product batch with ``n_errors`` products in
    ``errorDetails`` (one or two errors each, as Criteo words them) and a few warnings."""
    rng = random.Random(seed)
    kinds = [
        ("MissingImages", "The product has no image: imageLink is required."),
        ("InvalidPrice", "The price value '0.00' is not a valid price."),
        ("OverlargeTitle", "The title is longer than 500 characters."),
        ("InvalidLink", "The link is not a valid URL: 'shop.example/p/1'."),
        ("UnknownCategory", "The googleProductCategory 'Apparel > Shoe' is not a known category."),
    ]
    details = []
    for i in range(n_errors):
        errors = [
            {"type": t, "message": m, "isServerRelated": False}
            for t, m in rng.sample(kinds, k=1 + (rng.random() < 0.3))
        ]
        details.append({"productId": f"bench-{i:07d}", "errors": errors})
    warnings = [
        {
            "productId": f"bench-{i:07d}",
            "warnings": [{"type": "MissingDescription", "message": "No description.", "isServerRelated": False}],
        }
        for i in range(0, n_errors, 50)
    ]
    batch = max(1000, n_errors)
    return {
        "importRequestTimestamp": 1717236000000,
        "status": "VALIDATED_WITH_ERRORS",
        "numberOfProductsInTheBatch": batch,
        "numberOfProductsUpserted": batch - n_errors,
        "numberOfProductsDeleted": 0,
        "numberOfProductsWithErrors": n_errors,
        "numberOfProductsWithWarnings": len(warnings),
        "errorDetails": details,
        "warningDetails": warnings,
    }
