from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LoyaltyPoints")


@_attrs_define
class LoyaltyPoints:
    """Loyalty points earned by buying a product."""

    name: str | Unset = UNSET
    """ The name of the loyalty programme. """
    points_value: int | Unset = UNSET
    """ How many points buying the product earns. """
    ratio: float | Unset = UNSET
    """ Ratio between one point and one unit of currency. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        points_value = self.points_value

        ratio = self.ratio

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if points_value is not UNSET:
            field_dict["pointsValue"] = points_value
        if ratio is not UNSET:
            field_dict["ratio"] = ratio

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        points_value = d.pop("pointsValue", UNSET)

        ratio = d.pop("ratio", UNSET)

        loyalty_points = cls(
            name=name,
            points_value=points_value,
            ratio=ratio,
        )

        loyalty_points.additional_properties = d
        return loyalty_points

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
