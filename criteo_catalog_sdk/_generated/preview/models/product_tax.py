from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ProductTax")


@_attrs_define
class ProductTax:
    """A tax rule applying to a product."""

    country: str | Unset = UNSET
    """ Code of the country the tax rule covers. """
    location_id: int | Unset = UNSET
    """ Numeric identifier of the location the rule covers. """
    postal_code: str | Unset = UNSET
    """ Postal code or range the rule covers. """
    rate: float | Unset = UNSET
    """ The tax rate, as a percentage. """
    region: str | Unset = UNSET
    """ Region the rule covers. """
    tax_ship: bool | Unset = UNSET
    """ Whether the tax also applies to shipping costs. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        country = self.country

        location_id = self.location_id

        postal_code = self.postal_code

        rate = self.rate

        region = self.region

        tax_ship = self.tax_ship

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if country is not UNSET:
            field_dict["country"] = country
        if location_id is not UNSET:
            field_dict["locationId"] = location_id
        if postal_code is not UNSET:
            field_dict["postalCode"] = postal_code
        if rate is not UNSET:
            field_dict["rate"] = rate
        if region is not UNSET:
            field_dict["region"] = region
        if tax_ship is not UNSET:
            field_dict["taxShip"] = tax_ship

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        country = d.pop("country", UNSET)

        location_id = d.pop("locationId", UNSET)

        postal_code = d.pop("postalCode", UNSET)

        rate = d.pop("rate", UNSET)

        region = d.pop("region", UNSET)

        tax_ship = d.pop("taxShip", UNSET)

        product_tax = cls(
            country=country,
            location_id=location_id,
            postal_code=postal_code,
            rate=rate,
            region=region,
            tax_ship=tax_ship,
        )

        product_tax.additional_properties = d
        return product_tax

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
