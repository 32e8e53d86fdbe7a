from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.products_custom_batch_request_entry_method import (
    ProductsCustomBatchRequestEntryMethod,
    check_products_custom_batch_request_entry_method,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.product import Product


T = TypeVar("T", bound="ProductsCustomBatchRequestEntry")


@_attrs_define
class ProductsCustomBatchRequestEntry:
    """One product operation within a batch."""

    merchant_id: int | str
    """ Identifier of the merchant (partner) owning the catalog. """
    method: ProductsCustomBatchRequestEntryMethod
    """ The operation to perform: insert creates or replaces the product, delete removes it. """
    batch_id: int | Unset = UNSET
    """ Caller-chosen number identifying this entry within the batch. """
    feed_id: str | Unset = UNSET
    """ Identifier of the feed the product belongs to. """
    item_group_id: str | Unset = UNSET
    """ Identifier of the group of variants the product belongs to. """
    product: Product | Unset = UNSET
    """ The data describing one product of a catalog. """
    product_id: str | Unset = UNSET
    """ Identifier of the product to act on, used by delete operations. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        merchant_id: int | str
        merchant_id = self.merchant_id

        method: str = self.method

        batch_id = self.batch_id

        feed_id = self.feed_id

        item_group_id = self.item_group_id

        product: dict[str, Any] | Unset = UNSET
        if not isinstance(self.product, Unset):
            product = self.product.to_dict()

        product_id = self.product_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "merchantId": merchant_id,
                "method": method,
            }
        )
        if batch_id is not UNSET:
            field_dict["batchId"] = batch_id
        if feed_id is not UNSET:
            field_dict["feedId"] = feed_id
        if item_group_id is not UNSET:
            field_dict["itemGroupId"] = item_group_id
        if product is not UNSET:
            field_dict["product"] = product
        if product_id is not UNSET:
            field_dict["productId"] = product_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.product import Product  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_merchant_id(data: object) -> int | str:
            return cast(int | str, data)

        merchant_id = _parse_merchant_id(d.pop("merchantId"))

        method = check_products_custom_batch_request_entry_method(d.pop("method"))

        batch_id = d.pop("batchId", UNSET)

        feed_id = d.pop("feedId", UNSET)

        item_group_id = d.pop("itemGroupId", UNSET)

        _product = d.pop("product", UNSET)
        product: Product | Unset
        if isinstance(_product, Unset):
            product = UNSET
        else:
            product = Product.from_dict(_product)

        product_id = d.pop("productId", UNSET)

        products_custom_batch_request_entry = cls(
            merchant_id=merchant_id,
            method=method,
            batch_id=batch_id,
            feed_id=feed_id,
            item_group_id=item_group_id,
            product=product,
            product_id=product_id,
        )

        products_custom_batch_request_entry.additional_properties = d
        return products_custom_batch_request_entry

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
