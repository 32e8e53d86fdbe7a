from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StatisticsRecord")


@_attrs_define
class StatisticsRecord:
    """Catalog counters for one period of time."""

    added: int | str
    """ Count of products created during the period. """
    blacklisted: int | str
    """ Count of products excluded from display by a block list. """
    deleted: int | str
    """ Count of products removed during the period. """
    displayable: int | str
    """ Count of products that can be shown in ads. """
    end_date: datetime.datetime
    """ The end of the period the record covers. """
    missing_description: int | str
    """ Count of products lacking a description. """
    missing_image: int | str
    """ Count of products lacking an image. """
    missing_name: int | str
    """ Count of products lacking a title. """
    missing_price: int | str
    """ Count of products lacking a price. """
    missing_url: int | str
    """ Count of products lacking a product page URL. """
    non_displayable: int | str
    """ Count of products that cannot be shown in ads. """
    out_of_stock: int | str
    """ Count of products not in stock. """
    start_date: datetime.datetime
    """ The start of the period the record covers. """
    total: int | str
    """ Count of all products in the catalog. """
    updated: int | str
    """ Count of products modified during the period. """
    variant: int | str
    """ Count of products that are variants of another product. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        added: int | str
        added = self.added

        blacklisted: int | str
        blacklisted = self.blacklisted

        deleted: int | str
        deleted = self.deleted

        displayable: int | str
        displayable = self.displayable

        end_date = self.end_date.isoformat()

        missing_description: int | str
        missing_description = self.missing_description

        missing_image: int | str
        missing_image = self.missing_image

        missing_name: int | str
        missing_name = self.missing_name

        missing_price: int | str
        missing_price = self.missing_price

        missing_url: int | str
        missing_url = self.missing_url

        non_displayable: int | str
        non_displayable = self.non_displayable

        out_of_stock: int | str
        out_of_stock = self.out_of_stock

        start_date = self.start_date.isoformat()

        total: int | str
        total = self.total

        updated: int | str
        updated = self.updated

        variant: int | str
        variant = self.variant

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "added": added,
                "blacklisted": blacklisted,
                "deleted": deleted,
                "displayable": displayable,
                "endDate": end_date,
                "missingDescription": missing_description,
                "missingImage": missing_image,
                "missingName": missing_name,
                "missingPrice": missing_price,
                "missingUrl": missing_url,
                "nonDisplayable": non_displayable,
                "outOfStock": out_of_stock,
                "startDate": start_date,
                "total": total,
                "updated": updated,
                "variant": variant,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_added(data: object) -> int | str:
            return cast(int | str, data)

        added = _parse_added(d.pop("added"))

        def _parse_blacklisted(data: object) -> int | str:
            return cast(int | str, data)

        blacklisted = _parse_blacklisted(d.pop("blacklisted"))

        def _parse_deleted(data: object) -> int | str:
            return cast(int | str, data)

        deleted = _parse_deleted(d.pop("deleted"))

        def _parse_displayable(data: object) -> int | str:
            return cast(int | str, data)

        displayable = _parse_displayable(d.pop("displayable"))

        end_date = datetime.datetime.fromisoformat(d.pop("endDate"))

        def _parse_missing_description(data: object) -> int | str:
            return cast(int | str, data)

        missing_description = _parse_missing_description(d.pop("missingDescription"))

        def _parse_missing_image(data: object) -> int | str:
            return cast(int | str, data)

        missing_image = _parse_missing_image(d.pop("missingImage"))

        def _parse_missing_name(data: object) -> int | str:
            return cast(int | str, data)

        missing_name = _parse_missing_name(d.pop("missingName"))

        def _parse_missing_price(data: object) -> int | str:
            return cast(int | str, data)

        missing_price = _parse_missing_price(d.pop("missingPrice"))

        def _parse_missing_url(data: object) -> int | str:
            return cast(int | str, data)

        missing_url = _parse_missing_url(d.pop("missingUrl"))

        def _parse_non_displayable(data: object) -> int | str:
            return cast(int | str, data)

        non_displayable = _parse_non_displayable(d.pop("nonDisplayable"))

        def _parse_out_of_stock(data: object) -> int | str:
            return cast(int | str, data)

        out_of_stock = _parse_out_of_stock(d.pop("outOfStock"))

        start_date = datetime.datetime.fromisoformat(d.pop("startDate"))

        def _parse_total(data: object) -> int | str:
            return cast(int | str, data)

        total = _parse_total(d.pop("total"))

        def _parse_updated(data: object) -> int | str:
            return cast(int | str, data)

        updated = _parse_updated(d.pop("updated"))

        def _parse_variant(data: object) -> int | str:
            return cast(int | str, data)

        variant = _parse_variant(d.pop("variant"))

        statistics_record = cls(
            added=added,
            blacklisted=blacklisted,
            deleted=deleted,
            displayable=displayable,
            end_date=end_date,
            missing_description=missing_description,
            missing_image=missing_image,
            missing_name=missing_name,
            missing_price=missing_price,
            missing_url=missing_url,
            non_displayable=non_displayable,
            out_of_stock=out_of_stock,
            start_date=start_date,
            total=total,
            updated=updated,
            variant=variant,
        )

        statistics_record.additional_properties = d
        return statistics_record

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
