"""How many products per second the simulator accepts (202) over loopback, pacing off.

Starts ``python -m criteo_catalog_sdk.simulator --rate-limit 0 --port 0`` in a child process (or uses
``--url``), then sends pre-encoded batches of realistic products from a few concurrent connections for a
fixed time, five times, and prints the median. The client pre-encodes its bodies so that the number
measures the server, not the client's JSON encoder.

    .venv/bin/python bench/simulator_capacity.py [--batch-size 1000] [--concurrency 4] [--duration 3] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time

import httpx

from criteo_catalog_sdk.simulator.runner import SimulatorProcess

MERCHANT = 123


def product(index: int, run: int) -> dict[str, object]:
    return {
        "id": f"sku-{run}-{index:08d}",
        "title": f"Product number {index} with a reasonably descriptive title",
        "description": "A description of a typical length for a product of a fashion or electronics catalog. " * 2,
        "link": f"https://www.advertiser.example/products/sku-{index:08d}?utm_source=criteo",
        "imageLink": f"https://cdn.advertiser.example/images/300x200/sku-{index:08d}.jpg",
        "brand": "Brand",
        "gtin": "1234567890123",
        "price": {"currency": "EUR", "value": "49.99"},
        "availability": "in stock",
        "condition": "new",
        "channel": "online",
        "productTypes": ["Home > Kitchen > Cookware"],
    }


def bodies(batch_size: int, count: int) -> list[bytes]:
    out = []
    for run in range(count):
        entries = [
            {"batchId": i, "merchantId": MERCHANT, "method": "insert", "product": product(i, run)}
            for i in range(batch_size)
        ]
        out.append(json.dumps({"entries": entries}, separators=(",", ":")).encode())
    return out


async def one_run(
    url: str, token: str, payloads: list[bytes], batch_size: int, concurrency: int, duration: float
) -> float:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    accepted = 0
    other: dict[int, int] = {}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=60) as client:
        deadline = time.perf_counter() + duration
        start = time.perf_counter()

        async def worker(offset: int) -> None:
            nonlocal accepted
            i = offset
            while time.perf_counter() < deadline:
                response = await client.post("/preview/catalog/products/batch", content=payloads[i % len(payloads)])
                if response.status_code == 202:
                    accepted += batch_size
                else:
                    other[response.status_code] = other.get(response.status_code, 0) + 1
                i += 1

        await asyncio.gather(*(worker(n) for n in range(concurrency)))
        elapsed = time.perf_counter() - start
    if other:
        print(f"  non-202 answers: {other}", file=sys.stderr)
    return accepted / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="use a running simulator (started with --rate-limit 0)")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    process = None
    url = args.url
    if url is None:
        process = SimulatorProcess(["--rate-limit", "0"])
        url = process.start()
    try:
        token = httpx.post(
            f"{url}/oauth2/token",
            data={"grant_type": "client_credentials", "client_id": "bench", "client_secret": "bench"},
        ).json()["access_token"]
        payloads = bodies(args.batch_size, 8)
        print(
            f"simulator {url}: batches of {args.batch_size} products ({len(payloads[0]) / 1e6:.2f} MB), "
            f"{args.concurrency} connections, {args.duration:g} s per run",
            file=sys.stderr,
        )
        rates = []
        for n in range(args.runs):
            rate = asyncio.run(one_run(url, token, payloads, args.batch_size, args.concurrency, args.duration))
            rates.append(rate)
            print(f"  run {n + 1}: {rate:,.0f} products/s", file=sys.stderr)
        print(f"products/s (median of {args.runs}): {statistics.median(rates):,.0f}")
    finally:
        if process is not None:
            process.close()


if __name__ == "__main__":
    main()
