from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.statistics_record import StatisticsRecord


T = TypeVar("T", bound="StatisticsRecordListType0")


@_attrs_define
class StatisticsRecordListType0:
    """A collection of catalog statistics records."""

    statistics_record_list: list[StatisticsRecord]
    """ The statistics records, one per time slice. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        statistics_record_list = []
        for statistics_record_list_item_data in self.statistics_record_list:
            statistics_record_list_item = statistics_record_list_item_data.to_dict()
            statistics_record_list.append(statistics_record_list_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "statisticsRecordList": statistics_record_list,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.statistics_record import StatisticsRecord  # noqa: PLC0415

        d = dict(src_dict)
        statistics_record_list = []
        _statistics_record_list = d.pop("statisticsRecordList")
        for statistics_record_list_item_data in _statistics_record_list:
            statistics_record_list_item = StatisticsRecord.from_dict(statistics_record_list_item_data)

            statistics_record_list.append(statistics_record_list_item)

        statistics_record_list_type_0 = cls(
            statistics_record_list=statistics_record_list,
        )

        statistics_record_list_type_0.additional_properties = d
        return statistics_record_list_type_0

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
