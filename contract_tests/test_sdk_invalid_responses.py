"""SDK response side: invalid bodies through the public client (valid ones: ``test_sdk_responses.py``).

- Invalid bodies end in :class:`ResponseValidationError` or, where the SDK is deliberately lenient (listed
  in ``TOLERATED`` below, each with its reason), in a parsed value; never in any other exception.
- Structural breakage the SDK must catch (``MUST_REJECT``) raises :class:`ResponseValidationError`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import assume
from hypothesis import strategies as st

from contract_tests import strategies
from contract_tests.capture import VALID_REPORT
from contract_tests.responses import COUNTERS, ROUTES, explore, fetch, problems, routes
from contract_tests.specs import GENERATIONS, generation
from criteo_catalog_sdk import ApiError, ResponseValidationError

# Effective-spec violations the SDK parses anyway, on purpose (report.py: "lenient in what we accept").
TOLERATED: dict[str, tuple[str, Callable[[dict[str, Any]], Any], Callable[[Any], bool]]] = {
    "report status outside the enum (not final)": (
        "report",
        lambda b: b.update(status="SOMETHING_NEW"),
        lambda r: r.status == "SOMETHING_NEW" and not r.is_done,
    ),
    "report without errorDetails": ("report", lambda b: b.pop("errorDetails"), lambda r: r.error_details == ()),
    "report without its counters": (
        "report",
        lambda b: [b.pop(k) for k in COUNTERS[:5]],
        lambda r: r.number_of_products_in_the_batch is None,
    ),
    "report counter with surrounding spaces": (
        "report",
        lambda b: b.update(numberOfProductsInTheBatch=" 2 "),
        lambda r: r.number_of_products_in_the_batch == 2,
    ),
    "report counter beyond int32": (
        "report",
        lambda b: b.update(numberOfProductsInTheBatch=2**40),
        lambda r: r.number_of_products_in_the_batch == 2**40,
    ),
    "error type outside the enum": (
        "report",
        lambda b: b.update(
            status="FAILED",
            errorDetails=[
                {"productId": "p", "errors": [{"type": "Brand new", "message": "m", "isServerRelated": True}]}
            ],
        ),
        lambda r: r.error_details[0].errors[0].type == "Brand new",
    ),
    # The one lenient reader (report.py): what is odd becomes unknown, with a note, never an exception.
    "report without status (not final)": ("report", lambda b: b.pop("status"), lambda r: r.status == "" and r.notes),
    "report status not a string (not final)": (
        "report",
        lambda b: b.update(status=3),
        lambda r: not r.is_done and r.notes,
    ),
    "report status in lower case (final)": ("report", lambda b: b.update(status="validated"), lambda r: r.succeeded),
    "report counter not numeric": (
        "report",
        lambda b: b.update(numberOfProductsInTheBatch="n/a"),
        lambda r: r.number_of_products_in_the_batch is None and r.notes,
    ),
    "report counter a boolean": (
        "report",
        lambda b: b.update(numberOfProductsUpserted=True),
        lambda r: r.number_of_products_upserted is None,
    ),
    "report counter an object": (
        "report",
        lambda b: b.update(numberOfProductsDeleted={"n": 1}),
        lambda r: r.number_of_products_deleted is None,
    ),
    "report errorDetails not a list": (
        "report",
        lambda b: b.update(errorDetails={"p": []}),
        lambda r: r.error_details == () and r.notes,
    ),
    "report errorDetails entry not an object": (
        "report",
        lambda b: b.update(errorDetails=["p"]),
        lambda r: r.error_details == () and r.notes,
    ),
    "report errors of a product not a list": (
        "report",
        lambda b: b.update(errorDetails=[{"productId": "p", "errors": "MissingImages"}]),
        lambda r: r.error_details[0].errors == () and r.notes,
    ),
    "stats data not an object": ("stats", lambda b: b.update(data=[]), lambda s: s.records == () and s.notes),
    "stats record list not a list": (
        "stats",
        lambda b: b.update(data={"statisticsRecordList": {"total": "1"}}),
        lambda s: s.records == () and s.notes,
    ),
    "stats record not an object": (
        "stats",
        lambda b: b.update(data={"statisticsRecordList": [7]}),
        lambda s: s.records == () and s.notes,
    ),
    "stats counter not numeric": (
        "stats",
        lambda b: b.update(data={"statisticsRecordList": [{"total": "n/a"}]}),
        lambda s: s.records[0].total is None and s.notes,
    ),
    "stats date not a date": (
        "stats",
        lambda b: b.update(data={"statisticsRecordList": [{"startDate": "yesterday"}]}),
        lambda s: s.records[0].start_date is None and s.notes,
    ),
    "stats record without counters": (
        "stats",
        lambda b: b.update(data={"statisticsRecordList": [{"startDate": "2024-01-01T00:00:00Z"}]}),
        lambda s: s.records[0].total is None,
    ),
}

# Breakage the SDK must catch: each raises ResponseValidationError.
MUST_REJECT: dict[str, tuple[str, int, Any]] = {
    "202 without operationToken": ("batch", 202, {}),
    "202 with a non-string operationToken": ("batch", 202, {"operationToken": 42}),
    "202 that is not JSON": ("batch", 202, b"<html>accepted</html>"),
    "202 with an empty body": ("batch", 202, b""),
    "report that is not an object": ("report", 200, ["VALIDATED"]),
    "report truncated": ("report", 200, json.dumps(VALID_REPORT).encode()[:40]),
    "stats that is not an object": ("stats", 200, [{"total": "1"}]),
    "stats that is HTML": ("stats", 200, b"<html>oops</html>"),
}


def cases(table: dict[str, tuple[Any, ...]]) -> list[tuple[str, str]]:
    """``(generation, case)`` for every case of ``table`` whose route the generation has."""
    return [
        (name, case)
        for name in GENERATIONS
        for case in sorted(table)
        if table[case][0] != "stats" or generation(name).stats_template
    ]


@pytest.mark.parametrize(("name", "case"), cases(MUST_REJECT))
def test_structural_breakage_raises_response_validation_error(name: str, case: str) -> None:
    where = generation(name)
    route, status, body = MUST_REJECT[case]
    if not isinstance(body, bytes):
        assert problems(where, route, status, body), "the case must break the spec"
    with pytest.raises(ResponseValidationError) as raised:
        fetch(route, status, body, where)
    # Report details are parsed on first access, after the answer was read: those errors carry no status.
    assert raised.value.status in (status, None)


@pytest.mark.parametrize(("name", "case"), cases(TOLERATED))
def test_documented_leniency(name: str, case: str) -> None:
    where = generation(name)
    route, mutate, holds = TOLERATED[case]
    body: dict[str, Any] = copy.deepcopy(
        VALID_REPORT if route == "report" else {"data": {"statisticsRecordList": []}, "errors": [], "warnings": []}
    )
    mutate(body)
    assert problems(where, route, 200, body), "the case must break the effective spec"
    assert holds(fetch(route, 200, body, where))


@pytest.mark.parametrize("name", GENERATIONS)
def test_invalid_bodies_raise_response_validation_error_and_nothing_else(name: str) -> None:
    where = generation(name)
    drawn = st.sampled_from(routes(where)).flatmap(
        lambda schema: st.tuples(st.just(schema), strategies.response_bodies(schema, "negative", where))
    )

    def check(pair: tuple[str, Any]) -> None:
        schema, body = pair
        route, status = ROUTES[schema]
        if not isinstance(body, bytes):
            assume(problems(where, route, status, body))
        try:
            fetch(route, status, body, where)
        except ResponseValidationError as error:
            assert error.status in (status, None) and isinstance(error.body, str)
        # Anything else propagates and fails the test: a KeyError or TypeError is a parser bug.

    explore(where, drawn, check, 30)


@pytest.mark.parametrize("name", GENERATIONS)
def test_invalid_error_envelopes_still_raise_the_typed_error(name: str) -> None:
    where = generation(name)
    drawn = st.tuples(
        strategies.response_bodies("CatalogErrorResponse", "negative", where),
        st.sampled_from([400, 401, 403, 404, 429, 500, 503]),
    )

    def check(pair: tuple[Any, int]) -> None:
        body, status = pair
        with pytest.raises(ApiError) as raised:
            fetch("report", status, body, where)
        assert raised.value.status == status

    explore(where, drawn, check, 30)
