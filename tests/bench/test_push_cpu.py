"""B2's sides build what they claim to: the SDK path and its what-if without checks, the same bodies."""

from __future__ import annotations

import orjson

from bench import catalog, push_cpu


def test_the_what_if_without_checks_builds_the_sdk_paths_bodies() -> None:
    products = catalog.products(3 * push_cpu.BATCH // 2)  # one full batch and a part
    assert push_cpu.unchecked(products) == push_cpu.sdk(products)


def test_the_floor_builds_one_body_per_batch_of_plain_entries() -> None:
    products = catalog.products(push_cpu.BATCH + 1)
    first = [{"merchantId": push_cpu.MERCHANT, "method": "insert", "product": p} for p in products[:-1]]
    last = [{"merchantId": push_cpu.MERCHANT, "method": "insert", "product": products[-1]}]
    expected = len(orjson.dumps({"entries": first})) + len(orjson.dumps({"entries": last}))
    assert push_cpu.floor(products) == expected
