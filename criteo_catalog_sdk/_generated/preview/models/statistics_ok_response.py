from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.product_importer_error import ProductImporterError
    from ..models.product_importer_warning import ProductImporterWarning
    from ..models.statistics_record_list_type_0 import StatisticsRecordListType0


T = TypeVar("T", bound="StatisticsOkResponse")


@_attrs_define
class StatisticsOkResponse:
    """Answer carrying the catalog statistics of a merchant."""

    data: None | StatisticsRecordListType0 | Unset = UNSET
    """ A collection of catalog statistics records. """
    errors: list[ProductImporterError] | None | Unset = UNSET
    """ Problems that prevented part or all of the request from succeeding. """
    warnings: list[ProductImporterWarning] | None | Unset = UNSET
    """ Non-blocking issues noticed while serving the request. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.statistics_record_list_type_0 import StatisticsRecordListType0  # noqa: PLC0415

        data: dict[str, Any] | None | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, StatisticsRecordListType0):
            data = self.data.to_dict()
        else:
            data = self.data

        errors: list[dict[str, Any]] | None | Unset
        if isinstance(self.errors, Unset):
            errors = UNSET
        elif isinstance(self.errors, list):
            errors = []
            for errors_type_0_item_data in self.errors:
                errors_type_0_item = errors_type_0_item_data.to_dict()
                errors.append(errors_type_0_item)

        else:
            errors = self.errors

        warnings: list[dict[str, Any]] | None | Unset
        if isinstance(self.warnings, Unset):
            warnings = UNSET
        elif isinstance(self.warnings, list):
            warnings = []
            for warnings_type_0_item_data in self.warnings:
                warnings_type_0_item = warnings_type_0_item_data.to_dict()
                warnings.append(warnings_type_0_item)

        else:
            warnings = self.warnings

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if data is not UNSET:
            field_dict["data"] = data
        if errors is not UNSET:
            field_dict["errors"] = errors
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.product_importer_error import ProductImporterError  # noqa: PLC0415
        from ..models.product_importer_warning import ProductImporterWarning  # noqa: PLC0415
        from ..models.statistics_record_list_type_0 import StatisticsRecordListType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_data(data: object) -> None | StatisticsRecordListType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_statistics_record_list_type_0 = StatisticsRecordListType0.from_dict(data)

                return componentsschemas_statistics_record_list_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StatisticsRecordListType0 | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

        def _parse_errors(data: object) -> list[ProductImporterError] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                errors_type_0 = []
                _errors_type_0 = data
                for errors_type_0_item_data in _errors_type_0:
                    errors_type_0_item = ProductImporterError.from_dict(errors_type_0_item_data)

                    errors_type_0.append(errors_type_0_item)

                return errors_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ProductImporterError] | None | Unset, data)

        errors = _parse_errors(d.pop("errors", UNSET))

        def _parse_warnings(data: object) -> list[ProductImporterWarning] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                warnings_type_0 = []
                _warnings_type_0 = data
                for warnings_type_0_item_data in _warnings_type_0:
                    warnings_type_0_item = ProductImporterWarning.from_dict(warnings_type_0_item_data)

                    warnings_type_0.append(warnings_type_0_item)

                return warnings_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ProductImporterWarning] | None | Unset, data)

        warnings = _parse_warnings(d.pop("warnings", UNSET))

        statistics_ok_response = cls(
            data=data,
            errors=errors,
            warnings=warnings,
        )

        statistics_ok_response.additional_properties = d
        return statistics_ok_response

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
