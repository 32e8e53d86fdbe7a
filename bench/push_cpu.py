"""Client CPU per product of a push, against the floor of plain dicts + ``json.dumps``.

    .venv/bin/python bench/push_cpu.py [--products 100000] [--runs 5] [--rich]

The floor builds, for every 1000 products, the request body the plain way:
``json.dumps({"entries": [{"merchantId": m, "method": "insert", "product": p}, ...]}).encode()``.
The SDK path does what a push does on the client for each product: check it
(:func:`~criteo_catalog_sdk.push.validation.validate_product`), normalize it, serialize its entry
with sorted keys and hash it (:class:`~criteo_catalog_sdk.push.wire.EntryBuilder`), chunk it by count
and bytes (:class:`~criteo_catalog_sdk.push.chunking.Chunker`) and join the request bodies.
Runs alternate (floor, SDK, floor, SDK...) and the ratio of the medians of CPU time is reported;
the goal is <= 1.5.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from criteo_catalog_sdk.push.chunking import Chunker
from criteo_catalog_sdk.push.wire import EntryBuilder, PreparedEntry

MERCHANT = 123456
GOAL = 1.5

BRANDS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne"]
NOUNS = ["Running Shoe", "Rain Jacket", "Backpack", "Water Bottle", "Headphones", "Desk Lamp", "Coffee Mug"]
WORDS = ["soft", "durable", "light", "waterproof", "classic", "modern", "slim", "warm", "breathable", "recycled"]


def make_products(n: int, seed: int = 7, *, rich: bool = False) -> list[dict[str, Any]]:
    """Realistic products: ~17 fields, a ~300 character description, a price, image lists.

    ``rich`` adds fields that only the full validation path handles (a list of shipping objects,
    a None value to drop), to measure the slow path too.
    """
    rng = random.Random(seed)
    out = []
    for i in range(n):
        brand = rng.choice(BRANDS)
        noun = rng.choice(NOUNS)
        pid = f"SKU-{i:07d}"
        out.append(
            {
                "id": pid,
                "title": f"{brand} {rng.choice(WORDS).title()} {noun} {rng.randint(1, 99)}",
                "description": " ".join(rng.choice(WORDS) for _ in range(40)),
                "link": f"https://shop.example.com/p/{pid.lower()}",
                "imageLink": f"https://cdn.example.com/img/{pid.lower()}/main.jpg",
                "additionalImageLinks": [f"https://cdn.example.com/img/{pid.lower()}/{k}.jpg" for k in range(3)],
                "brand": brand,
                "price": {"value": f"{rng.randint(5, 500)}.{rng.randint(0, 99):02d}", "currency": "EUR"},
                "availability": rng.choice(["in stock", "out of stock", "preorder"]),
                "condition": "new",
                "gtin": f"{rng.randint(10**12, 10**13 - 1)}",
                "googleProductCategory": "Apparel & Accessories > Shoes",
                "productTypes": ["Sports > Running", "Shoes"],
                "itemGroupId": f"GRP-{i // 4:06d}",
                "color": rng.choice(["red", "blue", "black"]),
                "sizes": ["40", "41", "42"],
                "adult": False,
            }
        )
        if rich:
            out[-1]["shipping"] = [
                {"country": "FR", "service": "Standard", "price": {"value": "4.99", "currency": "EUR"}}
            ]
            out[-1]["mobileLink"] = None
    return out


def floor(products: list[dict[str, Any]]) -> int:
    total = 0
    for i in range(0, len(products), 1000):
        entries = [{"merchantId": MERCHANT, "method": "insert", "product": p} for p in products[i : i + 1000]]
        total += len(json.dumps({"entries": entries}).encode())
    return total


def sdk(products: list[dict[str, Any]]) -> int:
    builder = EntryBuilder(MERCHANT)
    chunker = Chunker(1000)
    total = 0
    for pos, p in enumerate(products, 1):
        entry = builder.insert(pos, p)
        if type(entry) is PreparedEntry:
            for batch in chunker.add(entry).sealed:
                total += len(batch.body())
        else:
            raise SystemExit(f"unexpected rejection: {entry}")
    last = chunker.flush()
    if last is not None:
        total += len(last.body())
    return total


def cpu(fn: Callable[[list[dict[str, Any]]], int], products: list[dict[str, Any]]) -> float:
    gc.collect()
    t = time.process_time()
    fn(products)
    return time.process_time() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rich", action="store_true", help="products that take the full validation path")
    args = ap.parse_args(argv)
    products = make_products(args.products, rich=args.rich)
    sdk(products[:1000])  # warm up imports and caches
    floors: list[float] = []
    sdks: list[float] = []
    for _ in range(args.runs):
        floors.append(cpu(floor, products))
        sdks.append(cpu(sdk, products))
    f, s = statistics.median(floors), statistics.median(sdks)
    ratio = s / f
    n = args.products
    print(f"products:           {n}")
    print(f"floor (json.dumps): {f:.3f} s CPU  ({f / n * 1e6:.2f} us/product)")
    print(f"sdk push path:      {s:.3f} s CPU  ({s / n * 1e6:.2f} us/product)")
    print(f"ratio:              {ratio:.2f}  (goal <= {GOAL})")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
