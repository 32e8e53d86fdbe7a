"""push.fastpath.compile_checks: a plan's checks as one function (expressions inlined, others called)."""

from __future__ import annotations

from typing import Any

import pytest

from criteo_catalog_sdk.push.fastpath import _expression, compile_checks

ODD_NAME = "we'ird\"name\\"  # field names enter the source through repr only


@pytest.mark.parametrize(
    ("product", "expected"),
    [
        ({ODD_NAME: "abc", "count": 1}, True),
        ({ODD_NAME: "abcd", "count": 1}, False),  # the inlined expression fails
        ({ODD_NAME: "abc", "count": 0}, False),  # the called check fails
    ],
)
def test_compiled_checks_agree_with_each_check(product: dict[str, Any], expected: bool) -> None:
    checks = ((ODD_NAME, _expression("len(v) <= 3")), ("count", lambda v: v > 0))
    run = compile_checks(checks)
    assert run(product) is expected
    assert all(check(product[name]) for name, check in checks) is expected


def test_no_checks_pass() -> None:
    assert compile_checks(())({}) is True


def test_an_expression_is_also_a_plain_check() -> None:
    check = _expression("4 <= v <= 7")
    assert [check(v) for v in (3, 4, 7, 8)] == [False, True, True, False]
