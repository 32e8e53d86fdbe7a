"""The one exemption the contract harness makes to stock schemathesis, explicit and narrow.

Loaded by the in-process harness (``contract_tests.harness`` imports it) and usable with the ``st`` CLI:
``SCHEMATHESIS_HOOKS=contract_tests.hooks st run ... --exclude-checks positive_data_acceptance``.

It registers ``criteo_positive_data_acceptance``, which replaces the built-in ``positive_data_acceptance``
("a request valid under the spec must not be rejected") and is identical to it except for **one** answer:

- the batch operation (``SubmitCatalogProductsBatch``, at its path in every generation) answered ``400``
  whose every problem has the code ``duplicate-product``. Criteo rejects a whole batch that holds the same
  product twice (facts sheet, section 3; the ids compared ignoring case, as reports lower-case them). The
  effective spec says what it can (``uniqueItems`` on ``entries``: two identical entries are invalid) but
  JSON Schema cannot state "no two entries share ``product.id``/``productId`` up to case", so a request
  schemathesis generates as valid may legitimately get that 400.

Nothing else is exempt: another code in the same answer, another status, another operation, a 400 without
the envelope, all still fail. (The report's ``catalog-operation-token-is-malformed`` needs no exemption any
more: the effective spec declares the token's shape, so a malformed token is an invalid request.)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

CHECK_NAME = "criteo_positive_data_acceptance"
REPLACED_CHECK = "positive_data_acceptance"

# operationId -> the problem codes of a 400 that a schema-valid request may legitimately get. By operationId,
# so that the exemption holds at the operation's path in every generation and nowhere else.
EXEMPT_REJECTIONS: Mapping[str, frozenset[str]] = {
    "SubmitCatalogProductsBatch": frozenset({"duplicate-product"}),
}


def problem_codes(body: bytes) -> set[str]:
    """The ``code`` of every problem of a Criteo error envelope (empty when the body is not one)."""
    try:
        payload = json.loads(body)
        return {str(problem["code"]) for problem in payload["errors"]}
    except (ValueError, KeyError, TypeError):
        return set()


def is_exempt_rejection(operation_id: str | None, status: int, body: bytes) -> bool:
    """True only for a 400 on an exempt operation whose problems all carry exempt codes."""
    exempt = EXEMPT_REJECTIONS.get(operation_id or "")
    if status != 400 or not exempt:
        return False
    codes = problem_codes(body)
    return bool(codes) and codes <= exempt


def operation_id_of(case: Any) -> str | None:
    """The operationId of a schemathesis case's operation (None when the spec gives it none)."""
    value = case.operation.definition.raw.get("operationId")
    return value if isinstance(value, str) else None


@schemathesis.check
def criteo_positive_data_acceptance(ctx: Any, response: Any, case: Any) -> bool | None:
    """``positive_data_acceptance``, minus the documented ``duplicate-product`` 400 (see the module docstring)."""
    if is_exempt_rejection(operation_id_of(case), response.status_code, response.content):
        return None
    return positive_data_acceptance(ctx, response, case)
