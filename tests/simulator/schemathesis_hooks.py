"""schemathesis hooks for the simulator's contract run (``SCHEMATHESIS_HOOKS=tests.simulator.schemathesis_hooks``).

One check replaces the built-in ``positive_data_acceptance``: identical, except for the two 400s that
Criteo answers to requests the effective spec cannot tell apart from valid ones:

- the report endpoint's ``catalog-operation-token-is-malformed`` (seed 001: ``GET .../report/invalidToken``);
  the spec types operation-token as any string, and no schema can say "decodes to a JSON payload";
- the batch endpoint's ``duplicate-product`` (a product twice in one batch, ids compared ignoring case);
  JSON Schema cannot express uniqueness of a nested, case-folded key.

Any other 400 to schema-valid data still fails the run.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

EXEMPT = {
    ("POST", "/preview/catalog/products/batch"): {"duplicate-product"},
    ("GET", "/preview/catalog/products/batch/report/{operation-token}"): {"catalog-operation-token-is-malformed"},
}


def _codes(response: Any) -> set[str]:
    try:
        body = json.loads(response.content)
        return {str(problem["code"]) for problem in body["errors"]}
    except (ValueError, KeyError, TypeError):
        return set()


@schemathesis.check
def criteo_positive_data_acceptance(ctx: Any, response: Any, case: Any) -> bool | None:
    exempt = EXEMPT.get((case.operation.method.upper(), case.operation.path), set())
    if response.status_code == 400 and exempt and _codes(response) and _codes(response) <= exempt:
        return None
    return positive_data_acceptance(ctx, response, case)
