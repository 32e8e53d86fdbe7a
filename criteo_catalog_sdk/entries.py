"""Batch entries as they go on the wire: pure, fast functions over plain dicts.

Input entries are generated models (``ProductsCustomBatchRequestEntry``, with ``Product``) or dicts in
Criteo's camelCase wire format. Dicts are normalized directly (never round-tripped through the models,
which is slow); models go through their ``to_dict()``. Normalizing:

- ``merchantId`` given as an int or a digit string is sent as an int (Criteo's own example sends
  ``"123"``; the spec says int32). Anything else is refused, naming the entry and product.
- ``method`` must be ``insert`` (an upsert: creates or replaces the product) or ``delete``; an insert
  needs a ``product`` with ``id``, ``title``, ``link`` and ``imageLink``, a delete a ``productId``.
- ``product.channel`` defaults to ``"online"`` (required by the spec, absent from Criteo's example).
- ``product.multipack`` given as a digit string (Criteo's text asks for a string) is sent as the
  integer, the published type.
- A delete is sent as ``merchantId``, ``method`` and ``productId``: Criteo deletes by id, and a
  product riding along would have to pass the published product schema for nothing.
- ``None`` values are dropped at every depth (Criteo's example sends ``"googleProductCategory": null``;
  the spec allows no nulls in requests).
- A batch must not be empty, and no product id may appear twice in it, ignoring case (Criteo rejects
  the whole batch; it reports ids lower-cased).

The caller's objects are never mutated. Refusals raise :class:`InvalidBatchError`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from criteo_catalog_sdk.errors import InvalidBatchError
from criteo_catalog_sdk.models import Product, ProductsCustomBatchRequestEntry

__all__ = [
    "INT32_MAX",
    "INT64_MAX",
    "INT64_MIN",
    "REQUIRED_PRODUCT_FIELDS",
    "EntryInput",
    "ProductInput",
    "check_merchant_id",
    "delete_entry",
    "encode_batch",
    "entry_product_id",
    "find_duplicate_ids",
    "insert_entry",
    "int64_from_digits",
    "normalize_entries",
    "normalize_entry",
]

INT32_MAX = 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_DIGITS = re.compile(r"-?[0-9]+")
REQUIRED_PRODUCT_FIELDS = ("id", "title", "link", "imageLink")
_DEFAULT_CHANNEL = "online"
_SCALAR_TYPES = frozenset({str, int, float, bool})

EntryInput = ProductsCustomBatchRequestEntry | Mapping[str, Any]
ProductInput = Product | Mapping[str, Any]


def check_merchant_id(value: object, *, index: int | None = None, product_id: str | None = None) -> int:
    """``value`` as an int32 merchant id: an int or a string of digits in ``0..2**31-1``."""
    if type(value) is int:
        merchant_id: int | None = value
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        merchant_id = int(value)
    else:
        merchant_id = None
    if merchant_id is None or not 0 <= merchant_id <= INT32_MAX:
        raise InvalidBatchError(
            f"{_where(index, product_id)}merchantId {value!r} is not an int32 merchant id "
            f"(an integer or a digit string, 0..{INT32_MAX})",
            index=index,
            product_id=product_id,
        )
    return merchant_id


def int64_from_digits(text: str) -> int | None:
    """The int64 a string of ASCII digits (an optional leading minus) spells, else ``None``."""
    if _DIGITS.fullmatch(text) is None:
        return None
    value = int(text)
    return value if INT64_MIN <= value <= INT64_MAX else None


def _where(index: int | None, product_id: str | None) -> str:
    parts = []
    if index is not None:
        parts.append(f"entry {index}")
    if product_id is not None:
        parts.append(f"product {product_id!r}")
    return f"{' '.join(parts)}: " if parts else ""


def _clean(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``mapping`` without ``None`` values, at every depth; models become dicts."""
    # Fast path, all in C: a dict of plain scalars (the common case for nested objects such as prices).
    if _SCALAR_TYPES.issuperset(map(type, mapping.values())):
        return dict(mapping)
    out = dict(mapping)
    for key in [k for k, v in mapping.items() if type(v) not in _SCALAR_TYPES]:
        value = out[key]
        if value is None:
            del out[key]
        else:
            out[key] = _clean_value(value)
    return out


def _clean_value(value: Any) -> Any:
    kind = type(value)
    if kind is dict or (kind is not list and isinstance(value, Mapping)):
        return _clean(value)
    if kind is list or kind is tuple:
        if _SCALAR_TYPES.issuperset(map(type, value)):
            return list(value)
        return [_clean_value(v) for v in value if v is not None]
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):  # a generated model nested in a dict
        return _clean(to_dict())
    return value


def _id_text(value: object) -> str | None:
    if isinstance(value, str):
        return value or None
    if type(value) is int:  # numeric SKUs are common in feeds; the wire wants a string
        return str(value)
    return None


def normalize_entry(entry: EntryInput, index: int = 0) -> dict[str, Any]:
    """One entry (model or camelCase dict) as a wire dict; raises :class:`InvalidBatchError`."""
    if type(entry) is dict or isinstance(entry, Mapping):
        wire = _clean(entry)
    elif isinstance(entry, ProductsCustomBatchRequestEntry):
        wire = _clean(entry.to_dict())
    else:
        raise InvalidBatchError(
            f"entry {index}: expected a dict or a ProductsCustomBatchRequestEntry, got {type(entry).__name__}",
            index=index,
        )
    method = wire.get("method")
    product = wire.get("product")
    if method == "insert":
        if not isinstance(product, dict):
            raise InvalidBatchError(f"entry {index}: an insert needs a product", index=index)
        product_id = _id_text(product.get("id"))
        if product_id is None:
            raise InvalidBatchError(
                f"entry {index}: the product has no id (a non-empty string)",
                index=index,
            )
        missing = [name for name in REQUIRED_PRODUCT_FIELDS if name not in product]
        if missing:
            raise InvalidBatchError(
                f"{_where(index, product_id)}the product lacks required field(s) {', '.join(missing)}",
                index=index,
                product_id=product_id,
            )
        product["id"] = product_id
        if "channel" not in product:
            product["channel"] = _DEFAULT_CHANNEL
        multipack = product.get("multipack")
        if isinstance(multipack, str) and (number := int64_from_digits(multipack)) is not None:
            product["multipack"] = number
    elif method == "delete":
        product_id = _id_text(wire.get("productId"))
        if product_id is None and isinstance(product, dict):
            product_id = _id_text(product.get("id"))
        if product_id is None:
            raise InvalidBatchError(f"entry {index}: a delete needs a productId", index=index)
        wire["productId"] = product_id
        wire.pop("product", None)
    else:
        raise InvalidBatchError(
            f"entry {index}: method must be 'insert' or 'delete', got {method!r}",
            index=index,
        )
    wire["merchantId"] = check_merchant_id(wire.get("merchantId"), index=index, product_id=product_id)
    return wire


def entry_product_id(wire_entry: Mapping[str, Any]) -> str:
    """The product id a normalized entry acts on (``product.id`` for inserts, ``productId`` for deletes)."""
    if wire_entry.get("method") == "insert":
        return str(wire_entry["product"]["id"])
    return str(wire_entry["productId"])


def find_duplicate_ids(wire_entries: Sequence[Mapping[str, Any]]) -> dict[str, list[int]]:
    """Product ids (lower-cased) that occur more than once, with the indexes of their entries."""
    seen: dict[str, int] = {}
    duplicates: dict[str, list[int]] = {}
    for index, wire in enumerate(wire_entries):
        key = entry_product_id(wire).lower()
        first = seen.setdefault(key, index)
        if first != index:
            duplicates.setdefault(key, [first]).append(index)
    return duplicates


def normalize_entries(entries: Iterable[EntryInput]) -> list[dict[str, Any]]:
    """A whole batch as wire dicts: each entry normalized, the batch non-empty and free of duplicates."""
    if isinstance(entries, Mapping | str | bytes):
        raise InvalidBatchError("entries must be an iterable of entries, not a single mapping or string")
    wire_entries = [normalize_entry(entry, index) for index, entry in enumerate(entries)]
    if not wire_entries:
        raise InvalidBatchError("the batch is empty: send at least one entry (Criteo answers 400 batch-empty)")
    duplicates = find_duplicate_ids(wire_entries)
    if duplicates:
        shown = ", ".join(f"{pid!r} (entries {', '.join(map(str, idx))})" for pid, idx in list(duplicates.items())[:5])
        more = f" and {len(duplicates) - 5} more" if len(duplicates) > 5 else ""
        raise InvalidBatchError(
            f"product id(s) repeated in one batch (ids are compared ignoring case; Criteo rejects the whole "
            f"batch): {shown}{more}",
            product_ids=tuple(duplicates),
        )
    return wire_entries


def insert_entry(merchant_id: int | str, product: ProductInput) -> dict[str, Any]:
    """An unnormalized insert (upsert) entry for :func:`normalize_entries`."""
    return {"merchantId": merchant_id, "method": "insert", "product": product}


def delete_entry(merchant_id: int | str, product_id: str) -> dict[str, Any]:
    """An unnormalized delete entry for :func:`normalize_entries`."""
    return {"merchantId": merchant_id, "method": "delete", "productId": product_id}


def encode_batch(wire_entries: Sequence[Mapping[str, Any]]) -> bytes:
    """The request body ``{"entries": [...]}`` as compact UTF-8 JSON; refuses NaN and unserializable values."""
    try:
        return json.dumps({"entries": wire_entries}, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
            "utf-8"
        )
    except (TypeError, ValueError) as exc:
        index, product_id = _find_unencodable(wire_entries)
        raise InvalidBatchError(
            f"{_where(index, product_id)}cannot be encoded as JSON: {exc}", index=index, product_id=product_id
        ) from None


def _find_unencodable(wire_entries: Sequence[Mapping[str, Any]]) -> tuple[int | None, str | None]:
    for index, wire in enumerate(wire_entries):
        try:
            json.dumps(wire, allow_nan=False)
        except (TypeError, ValueError):
            try:
                return index, entry_product_id(wire)
            except (KeyError, TypeError):
                return index, None
    return None, None
