"""Request bodies of the direct calls (``submit_batch``, ``upsert_products``, ``delete_products``).

Strict in what we send, on every path: each product goes through the same checks as a whole-catalog
push (:class:`~criteo_catalog_sdk.push.wire.EntryBuilder`: the Product schema of the client's API
generation, the documented length limits, the id and merchant-id rules), and is written in the
published form (nulls dropped, ``channel`` defaulted to ``online``, ``multipack`` digit strings as
integers, ``merchantId`` as the generation's type, a delete as ``merchantId``/``method``/``productId``).
Every problem of every entry is collected and the call is refused before anything is sent, with an
:class:`~criteo_catalog_sdk.errors.InvalidBatchError` naming the entry, the product id, the field and
the limit. A batch must not be empty, and no product id may appear twice in it, ignoring case (Criteo
rejects the whole batch). Entries are ``ProductsCustomBatchRequestEntry`` models or camelCase dicts;
products are ``Product`` models or dicts. The caller's objects are never modified.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from criteo_catalog_sdk.api_versions import ApiVersion
from criteo_catalog_sdk.errors import InvalidBatchError, InvalidRequestError
from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.push.wire import EntryBuilder, PreparedEntry, Rejected, batch_body

__all__ = ["EntryInput", "ProductInput", "delete_body", "entries_body", "upsert_body"]

#: A batch entry: a generated ``ProductsCustomBatchRequestEntry`` or a camelCase dict.
EntryInput = Any
#: A product: a generated ``Product`` or a camelCase dict.
ProductInput = Any
_SHOWN = 5


def _as_dict(value: object, what: str, index: int) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return value
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        found = to_dict()
        if isinstance(found, Mapping):
            return found
    got = type(value).__name__
    raise InvalidBatchError(f"entry {index}: expected a dict or a {what} model, got {got}", index=index)


def _not_one(items: object, what: str) -> None:
    if isinstance(items, Mapping | str | bytes) or hasattr(items, "to_dict"):
        raise InvalidRequestError(f"{what} must be an iterable: wrap a single one in a list")


class _Builders:
    """One :class:`EntryBuilder` per merchant id met in the batch (each checks its merchant id once)."""

    def __init__(self, version: ApiVersion) -> None:
        self.version = version
        self._by_merchant: dict[object, EntryBuilder] = {}

    def get(self, merchant_id: object, index: int) -> EntryBuilder:
        key = (type(merchant_id), merchant_id)
        builder = self._by_merchant.get(key)
        if builder is None:
            try:
                builder = EntryBuilder(merchant_id, api_version=self.version)  # type: ignore[arg-type]
            except InvalidRequestError as exc:
                raise InvalidBatchError(f"entry {index}: {exc}", index=index) from None
            self._by_merchant[key] = builder
        return builder


def _entry(builders: _Builders, index: int, entry: EntryInput) -> PreparedEntry | Rejected:
    wire = _as_dict(entry, "ProductsCustomBatchRequestEntry", index)
    builder = builders.get(wire.get("merchantId"), index)
    method = wire.get("method")
    if method == "insert":
        product = wire.get("product")
        if product is None:
            return Rejected(index, None, (Issue("MissingField", "an insert needs a product", "product"),))
        return builder.insert(index, _as_dict(product, "Product", index))
    if method == "delete":
        product_id = wire.get("productId")
        if product_id is None and isinstance(wire.get("product"), Mapping):
            product_id = wire["product"].get("id")
        return builder.delete(index, str(product_id) if type(product_id) is int else product_id)
    issue = Issue("InvalidValue", f"method must be 'insert' or 'delete', got {method!r}", "method")
    return Rejected(index, None, (issue,))


def _body(prepared: Iterable[PreparedEntry | Rejected]) -> bytes:
    entries: list[PreparedEntry] = []
    refused: list[Rejected] = []
    for item in prepared:
        (refused if isinstance(item, Rejected) else entries).append(item)  # type: ignore[arg-type]
    if refused:
        raise _refusal(refused)
    if not entries:
        raise InvalidBatchError("the batch is empty: send at least one entry (Criteo answers 400 batch-empty)")
    seen: dict[str, list[int]] = {}
    for e in entries:
        seen.setdefault(e.key, []).append(e.position)
    repeated = {key: where for key, where in seen.items() if len(where) > 1}
    if repeated:
        shown = ", ".join(f"{k!r} (entries {', '.join(map(str, w))})" for k, w in list(repeated.items())[:_SHOWN])
        more = f" and {len(repeated) - _SHOWN} more" if len(repeated) > _SHOWN else ""
        raise InvalidBatchError(
            "product id(s) repeated in one batch (ids are compared ignoring case; Criteo rejects the whole "
            f"batch): {shown}{more}",
            product_ids=tuple(repeated),
        )
    return batch_body(e.data for e in entries)


def _refusal(refused: list[Rejected]) -> InvalidBatchError:
    def line(r: Rejected) -> str:
        who = f"entry {r.position}" + (f" (product {r.product_id!r})" if r.product_id is not None else "")
        return f"{who}: " + "; ".join(i.message for i in r.issues)

    shown = "; ".join(line(r) for r in refused[:_SHOWN])
    more = f"; and {len(refused) - _SHOWN} more" if len(refused) > _SHOWN else ""
    first = refused[0]
    return InvalidBatchError(
        f"{len(refused)} of the entries cannot be sent, nothing was: {shown}{more}",
        index=first.position,
        product_id=first.product_id,
        rejections=tuple((r.position, r.product_id, r.issues) for r in refused),
    )


def entries_body(version: ApiVersion, entries: Iterable[EntryInput]) -> bytes:
    """The body of ``submit_batch``: every entry checked and written in the published form."""
    _not_one(entries, "entries")
    builders = _Builders(version)
    return _body(_entry(builders, index, entry) for index, entry in enumerate(entries))


def upsert_body(version: ApiVersion, merchant_id: int | str, products: Iterable[ProductInput]) -> bytes:
    """The body of ``upsert_products``: one insert (an upsert) per product, every product checked."""
    _not_one(products, "products")
    builder = EntryBuilder(merchant_id, api_version=version)
    return _body(builder.insert(index, _as_dict(p, "Product", index)) for index, p in enumerate(products))


def delete_body(version: ApiVersion, merchant_id: int | str, product_ids: Iterable[str]) -> bytes:
    """The body of ``delete_products``: one delete per id, every id checked."""
    _not_one(product_ids, "product_ids")
    builder = EntryBuilder(merchant_id, api_version=version)
    return _body(builder.delete(index, product_id) for index, product_id in enumerate(product_ids))
