from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.price import Price


T = TypeVar("T", bound="ProductShipping")


@_attrs_define
class ProductShipping:
    """A shipping rule and its cost for a product."""

    country: str | Unset = UNSET
    """ Code of the country the shipping rule covers. """
    location_group_name: str | Unset = UNSET
    """ Name of the group of locations the rule covers. """
    location_id: int | Unset = UNSET
    """ Numeric identifier of the location the rule covers. """
    postal_code: str | Unset = UNSET
    """ Postal code or range the rule covers. """
    price: Price | Unset = UNSET
    """ An amount of money in a given currency. """
    region: str | Unset = UNSET
    """ Region the rule covers. """
    service: str | Unset = UNSET
    """ Name of the shipping service or speed. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        country = self.country

        location_group_name = self.location_group_name

        location_id = self.location_id

        postal_code = self.postal_code

        price: dict[str, Any] | Unset = UNSET
        if not isinstance(self.price, Unset):
            price = self.price.to_dict()

        region = self.region

        service = self.service

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if country is not UNSET:
            field_dict["country"] = country
        if location_group_name is not UNSET:
            field_dict["locationGroupName"] = location_group_name
        if location_id is not UNSET:
            field_dict["locationId"] = location_id
        if postal_code is not UNSET:
            field_dict["postalCode"] = postal_code
        if price is not UNSET:
            field_dict["price"] = price
        if region is not UNSET:
            field_dict["region"] = region
        if service is not UNSET:
            field_dict["service"] = service

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.price import Price  # noqa: PLC0415

        d = dict(src_dict)
        country = d.pop("country", UNSET)

        location_group_name = d.pop("locationGroupName", UNSET)

        location_id = d.pop("locationId", UNSET)

        postal_code = d.pop("postalCode", UNSET)

        _price = d.pop("price", UNSET)
        price: Price | Unset
        if isinstance(_price, Unset):
            price = UNSET
        else:
            price = Price.from_dict(_price)

        region = d.pop("region", UNSET)

        service = d.pop("service", UNSET)

        product_shipping = cls(
            country=country,
            location_group_name=location_group_name,
            location_id=location_id,
            postal_code=postal_code,
            price=price,
            region=region,
            service=service,
        )

        product_shipping.additional_properties = d
        return product_shipping

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
