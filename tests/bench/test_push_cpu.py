"""B2's sides build what they claim to: the SDK path and its what-if without checks, the same bodies."""

from __future__ import annotations

import orjson
import pytest

from bench import catalog, instructions, push_cpu


def test_the_what_if_without_checks_builds_bodies_of_the_sdk_paths_size() -> None:
    products = catalog.products(3 * push_cpu.BATCH // 2)  # one full batch and a part
    assert push_cpu.unchecked(products) == push_cpu.sdk(products)


def test_the_floor_builds_one_body_per_batch_of_plain_entries() -> None:
    products = catalog.products(push_cpu.BATCH + 1)
    first = [{"merchantId": push_cpu.MERCHANT, "method": "insert", "product": p} for p in products[:-1]]
    last = [{"merchantId": push_cpu.MERCHANT, "method": "insert", "product": products[-1]}]
    expected = len(orjson.dumps({"entries": first})) + len(orjson.dumps({"entries": last}))
    assert push_cpu.floor(products) == expected


def test_instruction_counts_are_read_from_cachegrinds_report() -> None:
    report = "==12== Cachegrind, a high-precision tracing profiler\n==12== \n==12== I   refs:      2,787,822,614\n"
    assert instructions.instructions_of(report) == 2_787_822_614
    with pytest.raises(ValueError, match="I refs"):
        instructions.instructions_of("==12== valgrind: command not found\n")


def test_an_unknown_side_is_refused_before_anything_runs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        instructions.main(["floor", "nonsense"])
    assert exited.value.code == 2
    assert "unknown side 'nonsense'" in capsys.readouterr().err
