"""Criteo's error envelope ``{"errors": [problem], "warnings": []}`` and its fixed wordings.

Every non-2xx answer of the API except 413 carries this envelope; the titles and codes below are the
documented ones (seed 001) where Criteo documents them.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

# Problem families (the envelope's "type").
VALIDATION = "validation"
AUTHENTICATION = "authentication"
AUTHORIZATION = "authorization"
AVAILABILITY = "availability"

BATCH_TITLE = "A batch request was rejected due to one or more errors."
REQUEST_TITLE = "The request was rejected due to one or more errors."


@dataclass(frozen=True, slots=True)
class Problem:
    """One entry of the envelope's ``errors`` list (without the per-answer trace id and instance)."""

    type: str
    code: str
    title: str
    detail: str = ""


def new_trace_id() -> str:
    """A trace id shaped like Criteo's: ``00000000-0000-0000-xxxx-xxxxxxxxxxxx``."""
    digits = secrets.token_hex(8)
    return f"00000000-0000-0000-{digits[:4]}-{digits[4:]}"


def envelope(problems: Iterable[Problem], instance: str, trace_id: str | None = None) -> dict[str, object]:
    """Build the error body; all problems of one answer share its trace id, as in Criteo's examples."""
    trace = trace_id or new_trace_id()
    return {
        "errors": [
            {
                "traceId": trace,
                "type": p.type,
                "code": p.code,
                "instance": instance,
                "title": p.title,
                "detail": p.detail,
            }
            for p in problems
        ],
        "warnings": [],
    }


def envelope_bytes(problems: Iterable[Problem], instance: str) -> bytes:
    """The envelope serialised as UTF-8 JSON."""
    return json.dumps(envelope(problems, instance), ensure_ascii=False, separators=(",", ":")).encode()


def not_authenticated() -> Problem:
    """401: missing, unknown, revoked or expired access token."""
    return Problem(AUTHENTICATION, "not-authenticated", "User is not authenticated")


def not_authorized() -> Problem:
    """403: the credentials may not manage this merchant (or its operation)."""
    return Problem(AUTHORIZATION, "not-authorized", "User is not authorized")


def too_many_requests(retry_in: int) -> Problem:
    """429 with the wait stated in the title, as Criteo does (no Retry-After header is documented)."""
    return Problem(AVAILABILITY, "too-many-requests", f"Too many requests. Retry in {retry_in} seconds")


def internal_error() -> Problem:
    """500."""
    return Problem(AVAILABILITY, "internal-error", "Internal Server Error")


def service_unavailable() -> Problem:
    """503."""
    return Problem(AVAILABILITY, "service-unavailable", "Service unavailable.")


def batch_problem(code: str, detail: str) -> Problem:
    """400 on the batch endpoint (``batch-empty``, ``required-field``, ``json-format``...)."""
    return Problem(VALIDATION, code, BATCH_TITLE, detail)


def malformed_operation_token() -> Problem:
    """400 on the report endpoint for a token that does not decode."""
    return Problem(VALIDATION, "catalog-operation-token-is-malformed", "The operationToken is malformed.")


def report_expired(operation_id: str) -> Problem:
    """400 on the report endpoint once the 4-day retention has passed."""
    return Problem(
        VALIDATION,
        "catalog-operation-report-is-expired",
        "The report of the operation is expired.",
        f"The report of operation '{operation_id}' is no longer available (reports are kept for 4 days).",
    )


def operation_not_found(operation_id: str) -> Problem:
    """404 on the report endpoint, worded as Criteo's example."""
    return Problem(VALIDATION, "catalog-operation-not-found", f"Operation '{operation_id}' not found.")


def route_not_found(method: str, path: str) -> Problem:
    """404 for anything that is not one of the simulated operations."""
    return Problem(VALIDATION, "not-found", "Resource not found", f"No operation matches {method} {path}.")


def method_not_allowed(method: str, allowed: str) -> Problem:
    """405 for a known path called with another method."""
    return Problem(VALIDATION, "method-not-allowed", "Method not allowed", f"{method} is not allowed; use {allowed}.")


def invalid_parameter(detail: str) -> Problem:
    """400 for a bad path or query parameter (stats endpoint)."""
    return Problem(VALIDATION, "invalid-parameter", REQUEST_TITLE, detail)


def api_version_gone(generation: str, alternatives: list[str]) -> Problem:
    """410 for every call of a decommissioned API generation: the request must move to another one
    (a ``validation`` problem: retrying as is cannot succeed)."""
    others = ", ".join(alternatives) if alternatives else "none is served"
    return Problem(
        VALIDATION,
        "api-version-decommissioned",
        f"API version '{generation}' has been decommissioned.",
        f"The {generation} generation of the API is gone; use another one ({others}).",
    )
