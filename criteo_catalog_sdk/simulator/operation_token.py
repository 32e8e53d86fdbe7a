"""Operation tokens shaped like Criteo's: ``base64url(header).base64url(payload).``, unsigned.

The payload holds ``partnerId``, ``operationId`` (a UUID) and ``exp`` (epoch seconds), as in the tokens
of Criteo's examples; ``exp`` is the end of the report's 4-day retention.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from dataclasses import dataclass

# The shape the effective spec declares for the operation-token path parameter (openapi/overlay.yaml).
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")

_HEADER = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()


@dataclass(frozen=True, slots=True)
class OperationClaims:
    """What an operation token says."""

    partner_id: int
    operation_id: str
    exp: int


class MalformedToken(ValueError):
    """The string is not an operation token."""


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    try:
        return base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise MalformedToken("not base64url") from exc


def encode(claims: OperationClaims) -> str:
    """The token for ``claims`` (the payload's key order follows Criteo's examples)."""
    payload = json.dumps(
        {"partnerId": claims.partner_id, "operationId": claims.operation_id, "exp": claims.exp},
        separators=(",", ":"),
    ).encode()
    return f"{_HEADER}.{_b64encode(payload)}."


def has_token_shape(text: str) -> bool:
    """True when ``text`` has the ``header.payload.signature`` shape of an operation token."""
    return _TOKEN_SHAPE.fullmatch(text) is not None


def decode(token: str) -> OperationClaims:
    """Read a token; raise :class:`MalformedToken` when it is not one."""
    parts = token.split(".")
    if len(parts) != 3 or parts[2] or not parts[0] or not parts[1]:
        raise MalformedToken("expected header.payload. with an empty signature")
    try:
        header = json.loads(_b64decode(parts[0]))
        payload = json.loads(_b64decode(parts[1]))
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedToken("header or payload is not JSON") from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise MalformedToken("header and payload must be JSON objects")
    partner = payload.get("partnerId")
    operation = payload.get("operationId")
    exp = payload.get("exp")
    if type(partner) is not int or type(exp) is not int or not isinstance(operation, str):
        raise MalformedToken("partnerId, operationId and exp are required")
    try:
        operation_id = str(uuid.UUID(operation))
    except ValueError as exc:
        raise MalformedToken("operationId is not a UUID") from exc
    return OperationClaims(partner_id=partner, operation_id=operation_id, exp=exp)
