"""Request checks of the batch endpoint, in the order and words Criteo answers them.

1. The body must parse as a JSON object (``json-format``).
2. Missing required fields (``required-field``, "entries.catalogId: field is required"). When any is
   missing, only those are reported: Criteo's documented answer to ``{"entries":[{"batchId":"123"}]}``
   lists the two missing fields and says nothing of the string batchId.
3. An empty batch (``batch-empty``, "The batch is empty.").
4. Any other violation of the effective spec: wrong type, enum, pattern, range (``json-format``).
5. A product present twice in the batch, ids compared case-insensitively, per merchant
   (``duplicate-product``; Criteo documents that the batch is rejected but not the code).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from criteo_catalog_sdk.api_versions import ApiVersion, get_api_version
from criteo_catalog_sdk.ids import as_merchant_id
from criteo_catalog_sdk.simulator.schema import Checker, Findings, compile_schema
from criteo_catalog_sdk.simulator.spec import request_body_schema

# Enough to diagnose; a 50,000-entry batch with the same mistake gets one line per distinct problem anyway.
MAX_PROBLEMS = 100


@dataclass(frozen=True, slots=True)
class BatchProblem:
    """A 400 problem: its code and detail (the title is the batch endpoint's fixed one)."""

    code: str
    detail: str


class InvalidJson(ValueError):
    """The body is not a JSON document."""


def _reject_constant(name: str) -> float:
    # Python's json accepts NaN and Infinity; JSON does not.
    raise InvalidJson(f"{name} is not JSON")


def parse_json(body: bytes, *, exact: bool = False) -> Any:
    """Parse a request body, strictly (no NaN/Infinity).

    orjson first (several times faster on a 1 MB batch); what it refuses is parsed again by ``json``,
    whose message is the one reported. orjson reads integers beyond 64 bits as floats: pass ``exact``
    (the simulator does when a body has problems) to read them as Python's ``json`` does.
    """
    if not body.strip():
        raise InvalidJson("the body is empty")
    if not exact:
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass  # the exact parser decides, and words the message
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise InvalidJson(str(exc)) from exc


def merchant_id_of(entry: Mapping[str, Any]) -> int:
    """The merchant of a validated entry, read by the SDK's one merchant-id rule (an int, or a string of
    digits as in Criteo's examples and generations such as 2027-01, in ``1..2**31-1``).

    Anything else a generation's spec lets through (a string of letters, a negative int32...) is 0, a
    merchant no credentials may manage (403), as the stats endpoint treats a merchant-id that is not one.
    """
    return as_merchant_id(entry["merchantId"]) or 0


def product_key(entry: Mapping[str, Any]) -> str | None:
    """The id an entry acts on: ``productId``, else ``product.id``; None when it has none."""
    product_id = entry.get("productId")
    if not product_id:
        product = entry.get("product")
        if isinstance(product, dict):
            product_id = product.get("id")
    return product_id if isinstance(product_id, str) and product_id else None


class BatchValidator:
    """Validates batch bodies against the request schema of the effective spec, compiled once."""

    def __init__(self, checker: Checker) -> None:
        self._check = checker

    @classmethod
    def for_version(cls, version: ApiVersion | str | None = None) -> BatchValidator:
        """Compile the validator of a generation's batch endpoint from its effective spec (default: the
        default generation)."""
        found = get_api_version(version)
        return cls(compile_schema(request_body_schema(found), found.spec))

    def validate(self, body: Any) -> list[BatchProblem]:
        """The problems of a parsed body (empty when it may be accepted)."""
        found = Findings()
        self._check(body, found)
        if found.missing:
            details = _unique(f"{name}: field is required" for name in found.missing)
            return [BatchProblem("required-field", d) for d in details]
        if any(path == "entries" and keyword == "minItems" for path, keyword, _ in found.invalid):
            return [BatchProblem("batch-empty", "The batch is empty.")]
        if found.invalid:
            return [BatchProblem("json-format", d) for d in _unique(message for _, _, message in found.invalid)]
        return duplicate_problems(body["entries"])


def duplicate_problems(entries: list[dict[str, Any]]) -> list[BatchProblem]:
    """One problem per product present more than once (same merchant, ids equal ignoring case)."""
    seen: set[tuple[int, str]] = set()
    repeated: list[str] = []
    for entry in entries:
        key = product_key(entry)
        if key is None:
            continue
        identity = (merchant_id_of(entry), key.lower())
        if identity in seen:
            repeated.append(key)
        else:
            seen.add(identity)
    details = _unique(f"entries.product.id: product '{key}' appears more than once in the batch" for key in repeated)
    return [BatchProblem("duplicate-product", d) for d in details]


def _unique(messages: Any) -> list[str]:
    out: dict[str, None] = {}
    for message in messages:
        out.setdefault(message, None)
        if len(out) >= MAX_PROBLEMS:
            break
    return list(out)


def json_format_problem(reason: str) -> BatchProblem:
    """The problem for a body that does not parse."""
    return BatchProblem("json-format", f"The request body is not valid JSON: {reason}")
