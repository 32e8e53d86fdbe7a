from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.report_detail_error_type import ReportDetailErrorType, check_report_detail_error_type

T = TypeVar("T", bound="ReportDetailError")


@_attrs_define
class ReportDetailError:
    """An error on a batch operation."""

    is_server_related: bool
    message: str
    type_: ReportDetailErrorType
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        is_server_related = self.is_server_related

        message = self.message

        type_: str = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "isServerRelated": is_server_related,
                "message": message,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        is_server_related = d.pop("isServerRelated")

        message = d.pop("message")

        type_ = check_report_detail_error_type(d.pop("type"))

        report_detail_error = cls(
            is_server_related=is_server_related,
            message=message,
            type_=type_,
        )

        report_detail_error.additional_properties = d
        return report_detail_error

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
