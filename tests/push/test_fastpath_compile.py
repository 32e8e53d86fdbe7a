"""push.fastpath.compile_checks: a plan's checks as one function, answering the fields to drop."""

from __future__ import annotations

from typing import Any

import pytest

from criteo_catalog_sdk.push.fastpath import FieldCheck, compile_checks

ODD_NAME = "we'ird\"name\\"  # field names enter the source through repr only
CHECKS = (
    FieldCheck(ODD_NAME, "type(v) is str and len(v) <= 3"),
    FieldCheck("count", "positive(v)", optional=True),
    FieldCheck("tags", "type(v) is list", items="type(x) is str"),
)


@pytest.mark.parametrize(
    ("product", "expected"),
    [
        ({ODD_NAME: "abc", "count": 1, "tags": ["a", "b"]}, ()),
        ({ODD_NAME: "abc", "count": None, "tags": []}, ("count",)),  # an optional field's None is dropped
        ({ODD_NAME: "abcd", "count": 1, "tags": []}, None),  # an expression fails
        ({ODD_NAME: None, "count": 1, "tags": []}, None),  # a field that is not optional may not be None
        ({ODD_NAME: "abc", "count": 0, "tags": []}, None),  # the helper it calls fails
        ({ODD_NAME: "abc", "count": 1, "tags": ["a", 1]}, None),  # an item fails
        ({ODD_NAME: "abc", "count": 1, "tags": "ab"}, None),  # not a list: its items are not looked at
    ],
)
def test_compiled_checks_answer_the_fields_to_drop_or_none(product: dict[str, Any], expected: object) -> None:
    run = compile_checks(CHECKS, {"positive": lambda v: type(v) is int and v > 0})
    assert run(product) == expected


def test_no_checks_pass() -> None:
    assert compile_checks(())({}) == ()
