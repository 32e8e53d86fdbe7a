"""B2: client CPU per product of a push, against the floor of plain dicts + ``orjson.dumps``.

    .venv/bin/python -m bench.push_cpu [--products 100000] [--runs 5]

The floor builds, for every batch of products (2,700: the default at 3,000 products/s), the request
body the fastest plain way (issue 15): plain dicts and ``orjson.dumps``, i.e.
``orjson.dumps({"entries": [{"merchantId": m, "method": "insert", "product": p}, ...]})``. The standard
library's ``json.dumps(...).encode()``, the floor of issue 8, is measured alongside for reference.
The SDK path does what a push does on the client for each product: check it
(:func:`~criteo_catalog_sdk.push.validation.validate_product`), normalize it, serialize its entry
with sorted keys and hash it (:class:`~criteo_catalog_sdk.push.wire.EntryBuilder`), chunk it by count
and bytes (:class:`~criteo_catalog_sdk.push.chunking.Chunker`) and join the request bodies.
Runs alternate (floor, SDK, SDK, floor...) and the median of the per-round ratios of CPU time is
reported; the goal is <= 4 (issue 15: orjson is several times faster than ``json``, the SDK checks
and hashes every product on top). The 100,000 input products are kept out of the garbage collector's
passes while it runs (:func:`bench.common.outside_collector`): a push streams its input, and with them
in, each side timed the collector walking millions of objects it did not make, which more than doubled
the floor and moved it by the hour (1.3 to 2.1 us/product; 0.5 without the walks).

A what-if says how much of that goal the checks can have: the same path with the checks taken away
(:func:`unchecked`: products only copied with ``channel`` set), over the same floor.

Two secondary figures name what the rest of a push costs: the same SDK path on "rich" products
(nested lists of objects and ``None`` values, which take the full validation path), and a whole
``push(dry_run=True)``, which adds the pipeline and its SQLite journal (every entry is written to
disk before it may be sent, so that a crashed push resumes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from collections.abc import Mapping
from typing import Any

import orjson

from bench import catalog
from bench.common import MIN_RUNS, BenchResult, Goal, cpu_time, fmt, interleaved, outside_collector, paired_ratio
from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.push.chunking import Chunker
from criteo_catalog_sdk.push.options import PushOptions, UnknownFields
from criteo_catalog_sdk.push.pipeline import effective_batch_size
from criteo_catalog_sdk.push.wire import EntryBuilder, PreparedEntry

MERCHANT = 123456
GOAL = Goal("<=", 4.0)
#: Entries per batch: the default at Criteo's 3,000 products/s (a second of budget, less a cushion).
BATCH = effective_batch_size(PushOptions())

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
    """The floor: request bodies of 1000 products from plain dicts and ``orjson.dumps``; returns total bytes."""
    total = 0
    for i in range(0, len(products), BATCH):
        entries = [{"merchantId": MERCHANT, "method": "insert", "product": p} for p in products[i : i + BATCH]]
        total += len(orjson.dumps({"entries": entries}))
    return total


def json_floor(products: list[dict[str, Any]]) -> int:
    """Issue 8's floor, for reference: the same bodies with the standard library's ``json.dumps``."""
    total = 0
    for i in range(0, len(products), BATCH):
        entries = [{"merchantId": MERCHANT, "method": "insert", "product": p} for p in products[i : i + BATCH]]
        total += len(json.dumps({"entries": entries}).encode())
    return total


def sdk(products: list[dict[str, Any]]) -> int:
    """The SDK's client path: validate, normalize, serialize and hash each entry, chunk, join bodies."""
    return _client_path(products, EntryBuilder(MERCHANT))


def unchecked(products: list[dict[str, Any]]) -> int:
    """:func:`sdk` with the checks taken away (a what-if, not a mode of the SDK): each product is only
    normalized as a valid one is (copied, ``channel`` set). What this costs over the floor is what sorted
    serialization, the delta hash and the batches leave of B2's goal for checking the products."""
    builder = EntryBuilder(MERCHANT)
    builder._validate = _normalized_only  # the what-if: the rest of the path is the SDK's own
    return _client_path(products, builder)


def _normalized_only(
    product: Mapping[str, Any], unknown_fields: UnknownFields = "reject"
) -> tuple[dict[str, Any] | None, list[Issue]]:
    return {**product, "channel": "online"}, []


def _client_path(products: list[dict[str, Any]], builder: EntryBuilder) -> int:
    chunker = Chunker(BATCH)
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


def dry_run_push(products: list[dict[str, Any]]) -> int:
    """A whole ``push(dry_run=True)``: the SDK path plus the pipeline and its SQLite journal."""
    from criteo_catalog_sdk.push import pipeline

    job = pipeline.MerchantPush(MERCHANT, products, options=PushOptions(dry_run=True))
    result = asyncio.run(pipeline.push(None, job))
    with result:
        return result.summary.total


def measure(n: int = 100_000, runs: int = MIN_RUNS, *, secondary: bool = True) -> BenchResult:
    """B2: median CPU of the SDK path over the floor's, on ``n`` products, interleaved runs."""
    started = time.perf_counter()
    products = catalog.products(n)
    sdk(products[:1000])  # warm up imports and caches
    m = max(n // 4, 1000)
    part = products[:m]
    rich = make_products(m, rich=True)
    with outside_collector():  # the 100,000 products held here, not the code measured
        return _measure(products, part, rich, runs, started, secondary=secondary)


def _measure(
    products: list[dict[str, Any]],
    part: list[dict[str, Any]],
    rich: list[dict[str, Any]],
    runs: int,
    started: float,
    *,
    secondary: bool,
) -> BenchResult:
    n, m = len(products), len(part)
    medians, samples = interleaved(
        {
            "floor": lambda: cpu_time(lambda: floor(products)),
            "sdk": lambda: cpu_time(lambda: sdk(products)),
            "json_floor": lambda: cpu_time(lambda: json_floor(products)),
            "unchecked": lambda: cpu_time(lambda: unchecked(products)),
        },
        runs,
    )
    ratio = paired_ratio(samples["sdk"], samples["floor"])
    json_ratio = paired_ratio(samples["sdk"], samples["json_floor"])
    unchecked_ratio = paired_ratio(samples["unchecked"], samples["floor"])
    metrics: dict[str, Any] = {
        "products": n,
        "batch_size": BATCH,
        "floor_us_per_product": medians["floor"] / n * 1e6,
        "sdk_us_per_product": medians["sdk"] / n * 1e6,
        "json_floor_us_per_product": medians["json_floor"] / n * 1e6,
        "json_ratio": json_ratio,
        "unchecked_ratio": unchecked_ratio,
        "unchecked_us_per_product": medians["unchecked"] / n * 1e6,
    }
    extra = ""
    if secondary:  # on a quarter of the products: per-product figures, and they keep the benchmark short
        rich_medians, rich_samples = interleaved(
            {
                "floor_rich": lambda: cpu_time(lambda: floor(rich)),
                "sdk_rich": lambda: cpu_time(lambda: sdk(rich)),
                "floor_dry": lambda: cpu_time(lambda: floor(part)),
                "dry_run_push": lambda: cpu_time(lambda: dry_run_push(part)),
            },
            runs,
        )
        samples.update(rich_samples)
        rich_ratio = paired_ratio(rich_samples["sdk_rich"], rich_samples["floor_rich"])
        dry_ratio = paired_ratio(rich_samples["dry_run_push"], rich_samples["floor_dry"])
        metrics |= {
            "rich_ratio": rich_ratio,
            "dry_run_push_ratio": dry_ratio,
            "dry_run_push_us_per_product": rich_medians["dry_run_push"] / m * 1e6,
        }
        extra = (
            f" On {m:,} products: products on the full validation path (nested shipping list, None values):"
            f" {rich_ratio:.2f}x."
            f" A whole push(dry_run=True), i.e. plus the pipeline and its SQLite journal (every entry"
            f" written before it may be sent, for resume): {metrics['dry_run_push_us_per_product']:.1f} us/product,"
            f" {dry_ratio:.2f}x the floor."
        )
    detail = (
        f"{n:,} realistic products (examples/make_catalog.py), batches of {BATCH:,} (the default at 3,000"
        f" products/s), held outside the garbage collector's passes (gc.freeze: a push streams its input);"
        f" CPU time, median of the ratios of {runs} interleaved runs. Floor (plain dicts +"
        f" orjson.dumps): {metrics['floor_us_per_product']:.2f} us/product;"
        f" SDK (validate + normalize + orjson entry with sorted keys + XXH3-128 delta hash + chunk + body):"
        f" {metrics['sdk_us_per_product']:.2f} us/product. For reference, plain dicts + json.dumps (issue 8's"
        f" floor): {metrics['json_floor_us_per_product']:.2f} us/product, the SDK {json_ratio:.2f}x that."
        f" The same path with its checks taken away (a what-if: products only copied with channel set):"
        f" {metrics['unchecked_us_per_product']:.2f} us/product, {unchecked_ratio:.2f}x the floor, which leaves"
        f" {max(GOAL.target - unchecked_ratio, 0):.2f}x of the goal for checking every field of every"
        f" product.{extra}"
    )
    return BenchResult.judged(
        "B2",
        "client CPU per product (SDK push path / plain orjson.dumps)",
        ratio,
        "x floor",
        GOAL,
        detail,
        metrics,
        samples,
        started=started,
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: print the B2 figures."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=MIN_RUNS)
    args = ap.parse_args(argv)
    result = measure(args.products, args.runs)
    print(f"{result.key} {result.title}: {fmt(result.value)} {result.unit} (goal {result.goal}, met {result.met})")
    print(result.detail)
    return 0 if result.met else 1


if __name__ == "__main__":
    sys.exit(main())
