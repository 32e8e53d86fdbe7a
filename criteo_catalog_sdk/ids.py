"""The identifier and integer rules, one definition each: merchant ids, product ids, int32/int64 bounds.

Every path that takes a merchant id (the clients' direct calls, the push, the CLI, the stats call)
checks it with :func:`check_merchant_id`; every product id (inserts, deletes, reports) goes through
:func:`check_product_id` and :func:`product_key`.
"""

from __future__ import annotations

import re
from typing import Final

from criteo_catalog_sdk.errors import InvalidRequestError
from criteo_catalog_sdk.issue import Issue

__all__ = [
    "INT32_MAX",
    "INT32_MIN",
    "INT64_MAX",
    "INT64_MIN",
    "MERCHANT_ID_MAX",
    "PRODUCT_ID_MAX_LENGTH",
    "as_merchant_id",
    "check_merchant_id",
    "check_product_id",
    "int64_from_digits",
    "merchant_id_problem",
    "product_key",
    "too_long",
]

INT32_MIN: Final = -(2**31)
INT32_MAX: Final = 2**31 - 1
INT64_MIN: Final = -(2**63)
INT64_MAX: Final = 2**63 - 1

#: Merchant (partner) ids are positive int32s: the published spec types ``merchantId`` int32, and no
#: partner id is zero or negative.
MERCHANT_ID_MAX: Final = INT32_MAX

#: Product id length limit. Criteo documents no number for the Catalog API (only ``OverlargeID``
#: exists; Retail Media says 50). 240 keeps every id that fits common commerce platforms while
#: catching accidental garbage (a whole description pasted in the id column).
PRODUCT_ID_MAX_LENGTH: Final = 240

_DIGITS: Final = re.compile(r"-?[0-9]+")


def _integer(value: object) -> int | None:
    """An int, or an ASCII digit string read as one (more than ten significant digits: beyond any
    merchant id, without converting it); ``None`` for anything else."""
    if type(value) is int:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        digits = value.lstrip("0")
        return int(digits or "0") if len(digits) <= 10 else MERCHANT_ID_MAX + 1
    return None


def as_merchant_id(value: object) -> int | None:
    """``value`` as a merchant id (an int or an ASCII digit string in ``1..2**31-1``), ``None`` when it
    is not one. The one merchant-id rule: the clients, the push and the simulator all read ids with it."""
    number = _integer(value)
    return number if number is not None and 1 <= number <= MERCHANT_ID_MAX else None


def merchant_id_problem(value: object) -> str | None:
    """Why ``value`` is not a merchant id (:func:`as_merchant_id`), ``None`` when it is one."""
    number = _integer(value)
    if number is None:
        return f"merchant id {value!r} is not an integer (an int or a string of digits)"
    if not 1 <= number <= MERCHANT_ID_MAX:
        return f"merchant id {value!r} is out of range (1..{MERCHANT_ID_MAX})"
    return None


def check_merchant_id(value: object) -> int:
    """``value`` as a merchant id (int); :class:`InvalidRequestError` naming the value and the range."""
    merchant = as_merchant_id(value)
    if merchant is None:
        raise InvalidRequestError(merchant_id_problem(value) or "")
    return merchant


def product_key(product_id: str) -> str:
    """The key under which an id is unique for Criteo: reports lowercase ids, and ids differing only by
    case are the same product."""
    return product_id.lower()


def too_long(field: str, value: str, limit: int) -> Issue:
    """The ``TooLong`` issue of a text field over its limit."""
    return Issue(
        "TooLong", f"{field} is {len(value)} characters long, over the limit of {limit}", field, len(value), limit
    )


def check_product_id(product_id: object, field: str = "id") -> list[Issue]:
    """Problems with a product id: not a non-empty string, not ASCII (Criteo: ``NonAsciiId``), control
    characters or surrounding whitespace, longer than :data:`PRODUCT_ID_MAX_LENGTH`."""
    if not isinstance(product_id, str):
        return [Issue("WrongType", f"{field}: expected string, got {type(product_id).__name__}", field)]
    if not product_id:
        return [Issue("MissingField", f"{field} is required", field)]
    issues: list[Issue] = []
    if not product_id.isascii():
        issues.append(Issue("NonAsciiId", f"{field} {product_id[:80]!r} is not ASCII", field, len(product_id)))
    elif not product_id.isprintable() or product_id.strip() != product_id:
        issues.append(
            Issue("InvalidId", f"{field} {product_id[:80]!r} has control characters or surrounding spaces", field)
        )
    if len(product_id) > PRODUCT_ID_MAX_LENGTH:
        issues.append(too_long(field, product_id, PRODUCT_ID_MAX_LENGTH))
    return issues


def int64_from_digits(text: str) -> int | None:
    """The int64 a string of ASCII digits (an optional leading minus) spells, else ``None``."""
    if _DIGITS.fullmatch(text) is None:
        return None
    value = int(text)
    return value if INT64_MIN <= value <= INT64_MAX else None
