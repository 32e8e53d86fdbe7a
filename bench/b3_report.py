"""B3: parsing a batch report with 1,000 ``errorDetails``: the SDK against ``orjson.loads``.

    .venv/bin/python -m bench.b3_report [--runs 5] [--errors 1000]

The floor is ``orjson.loads(body)``, the fastest plain parse (issue 15; the standard library's
``json.loads``, the floor of issue 8, is measured alongside for reference). The SDK side is what
``get_report`` does with the answer (:func:`criteo_catalog_sdk._core.interpret`: decode, check the
status and counters, build a :class:`~criteo_catalog_sdk.report.Report`) **and** reading every
per-product detail (``error_details`` and ``warning_details``, which a report the lenient reader reads
builds lazily): a parse that leaves the details unread would flatter it. ``Report.raw``, the body as
dicts, is decoded on first access and not read here: users read the typed report. Each sample parses
the same body ``repeat`` times; CPU time; median of the per-round ratios of interleaved runs; the goal
is <= 2x.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import httpx
import orjson

from bench import catalog
from bench.common import MIN_RUNS, BenchResult, Goal, cpu_time, fmt, interleaved, paired_ratio
from criteo_catalog_sdk import _core
from criteo_catalog_sdk.api_versions import get_api_version

GOAL = Goal("<=", 2.0)
TOKEN = "eyJhbGciOiJub25lIn0.eyJwYXJ0bmVySWQiOjEsIm9wZXJhdGlvbklkIjoiYmVuY2gifQ."


def report_body(n_errors: int = 1000) -> bytes:
    """The JSON body of a terminal report with ``n_errors`` products in error."""
    return json.dumps(catalog.error_report(n_errors)).encode()


def measure(runs: int = MIN_RUNS, n_errors: int = 1000, repeat: int = 50) -> BenchResult:
    """B3: median CPU of the SDK's report parse over ``orjson.loads``'s."""
    started = time.perf_counter()
    body = report_body(n_errors)
    call = _core.report_call(get_api_version(), TOKEN)
    response = httpx.Response(200, content=body, request=httpx.Request("GET", "http://127.0.0.1" + call.path))
    response.read()

    def floor() -> None:
        for _ in range(repeat):
            orjson.loads(body)

    def json_floor() -> None:
        for _ in range(repeat):
            json.loads(body)

    def sdk() -> None:
        for _ in range(repeat):
            report = _core.interpret(call, response)
            report.error_details  # noqa: B018 - built lazily: read it
            report.warning_details  # noqa: B018

    check = _core.interpret(call, response)
    if len(check.error_details) != n_errors:
        raise AssertionError("the report did not parse as expected")
    floor()
    json_floor()
    sdk()
    medians, samples = interleaved(
        {
            "orjson_loads": lambda: cpu_time(floor),
            "sdk": lambda: cpu_time(sdk),
            "json_loads": lambda: cpu_time(json_floor),
        },
        runs,
    )
    ratio = paired_ratio(samples["sdk"], samples["orjson_loads"])
    json_ratio = paired_ratio(samples["sdk"], samples["json_loads"])
    per = {k: v / repeat * 1000 for k, v in medians.items()}
    detail = (
        f"A VALIDATED_WITH_ERRORS report with {n_errors:,} products in errorDetails (1-2 errors each) and"
        f" {len(catalog.error_report(n_errors)['warningDetails'])} warnings, {len(body) / 1e3:.0f} kB;"
        f" CPU time of {repeat} parses per sample, median of the ratios of {runs} interleaved runs. orjson.loads:"
        f" {per['orjson_loads']:.2f} ms; SDK (_core.interpret -> Report, then every error_details and"
        f" warning_details entry materialized): {per['sdk']:.2f} ms. For reference, json.loads (issue 8's"
        f" floor): {per['json_loads']:.2f} ms, the SDK {json_ratio:.2f}x that."
    )
    return BenchResult.judged(
        "B3",
        "report parsing, 1,000 errors (SDK / orjson.loads)",
        ratio,
        "x orjson.loads",
        GOAL,
        detail,
        {
            "orjson_loads_ms": per["orjson_loads"],
            "json_loads_ms": per["json_loads"],
            "sdk_ms": per["sdk"],
            "json_ratio": json_ratio,
            "errors": n_errors,
            "body_bytes": len(body),
        },
        samples,
        started=started,
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: print the B3 figures."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--runs", type=int, default=MIN_RUNS)
    ap.add_argument("--errors", type=int, default=1000)
    args = ap.parse_args(argv)
    result = measure(args.runs, args.errors)
    print(f"{result.key} {result.title}: {fmt(result.value)} {result.unit} (goal {result.goal}, met {result.met})")
    print(result.detail)
    return 0 if result.met else 1


if __name__ == "__main__":
    sys.exit(main())
