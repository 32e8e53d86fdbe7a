from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.report_ok_response_status import ReportOkResponseStatus, check_report_ok_response_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.report_detail_errors import ReportDetailErrors
    from ..models.report_detail_warnings import ReportDetailWarnings


T = TypeVar("T", bound="ReportOkResponse")


@_attrs_define
class ReportOkResponse:
    """The report on a given operationToken is ready. The report is available for 4 days"""

    error_details: list[ReportDetailErrors]
    """ The list of errors with details. """
    import_request_timestamp: int | None | str
    """ The date when the original batch request was sent. """
    number_of_products_deleted: int | None | str
    """ The number of products deleted. """
    number_of_products_in_the_batch: int | None | str
    """ The number of products present in the batch. """
    number_of_products_upserted: int | None | str
    """ The number of products upserted. """
    number_of_products_with_errors: int | None | str
    """ The number of products with errors. """
    status: ReportOkResponseStatus
    """ The status of the operation.
    The operation is completed when the status is one of (VALIDATED,VALIDATED_WITH_ERRORS,FAILED) """
    number_of_products_with_warnings: int | None | str | Unset = UNSET
    """ The number of products with Warnings. """
    warning_details: list[ReportDetailWarnings] | Unset = UNSET
    """ The list of Warnings with details. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        error_details = []
        for error_details_item_data in self.error_details:
            error_details_item = error_details_item_data.to_dict()
            error_details.append(error_details_item)

        import_request_timestamp: int | None | str
        import_request_timestamp = self.import_request_timestamp

        number_of_products_deleted: int | None | str
        number_of_products_deleted = self.number_of_products_deleted

        number_of_products_in_the_batch: int | None | str
        number_of_products_in_the_batch = self.number_of_products_in_the_batch

        number_of_products_upserted: int | None | str
        number_of_products_upserted = self.number_of_products_upserted

        number_of_products_with_errors: int | None | str
        number_of_products_with_errors = self.number_of_products_with_errors

        status: str = self.status

        number_of_products_with_warnings: int | None | str | Unset
        if isinstance(self.number_of_products_with_warnings, Unset):
            number_of_products_with_warnings = UNSET
        else:
            number_of_products_with_warnings = self.number_of_products_with_warnings

        warning_details: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.warning_details, Unset):
            warning_details = []
            for warning_details_item_data in self.warning_details:
                warning_details_item = warning_details_item_data.to_dict()
                warning_details.append(warning_details_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "errorDetails": error_details,
                "importRequestTimestamp": import_request_timestamp,
                "numberOfProductsDeleted": number_of_products_deleted,
                "numberOfProductsInTheBatch": number_of_products_in_the_batch,
                "numberOfProductsUpserted": number_of_products_upserted,
                "numberOfProductsWithErrors": number_of_products_with_errors,
                "status": status,
            }
        )
        if number_of_products_with_warnings is not UNSET:
            field_dict["numberOfProductsWithWarnings"] = number_of_products_with_warnings
        if warning_details is not UNSET:
            field_dict["warningDetails"] = warning_details

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.report_detail_errors import ReportDetailErrors  # noqa: PLC0415
        from ..models.report_detail_warnings import ReportDetailWarnings  # noqa: PLC0415

        d = dict(src_dict)
        error_details = []
        _error_details = d.pop("errorDetails")
        for error_details_item_data in _error_details:
            error_details_item = ReportDetailErrors.from_dict(error_details_item_data)

            error_details.append(error_details_item)

        def _parse_import_request_timestamp(data: object) -> int | None | str:
            if data is None:
                return data
            return cast(int | None | str, data)

        import_request_timestamp = _parse_import_request_timestamp(d.pop("importRequestTimestamp"))

        def _parse_number_of_products_deleted(data: object) -> int | None | str:
            if data is None:
                return data
            return cast(int | None | str, data)

        number_of_products_deleted = _parse_number_of_products_deleted(d.pop("numberOfProductsDeleted"))

        def _parse_number_of_products_in_the_batch(data: object) -> int | None | str:
            if data is None:
                return data
            return cast(int | None | str, data)

        number_of_products_in_the_batch = _parse_number_of_products_in_the_batch(d.pop("numberOfProductsInTheBatch"))

        def _parse_number_of_products_upserted(data: object) -> int | None | str:
            if data is None:
                return data
            return cast(int | None | str, data)

        number_of_products_upserted = _parse_number_of_products_upserted(d.pop("numberOfProductsUpserted"))

        def _parse_number_of_products_with_errors(data: object) -> int | None | str:
            if data is None:
                return data
            return cast(int | None | str, data)

        number_of_products_with_errors = _parse_number_of_products_with_errors(d.pop("numberOfProductsWithErrors"))

        status = check_report_ok_response_status(d.pop("status"))

        def _parse_number_of_products_with_warnings(data: object) -> int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | str | Unset, data)

        number_of_products_with_warnings = _parse_number_of_products_with_warnings(
            d.pop("numberOfProductsWithWarnings", UNSET)
        )

        _warning_details = d.pop("warningDetails", UNSET)
        warning_details: list[ReportDetailWarnings] | Unset = UNSET
        if _warning_details is not UNSET:
            warning_details = []
            for warning_details_item_data in _warning_details:
                warning_details_item = ReportDetailWarnings.from_dict(warning_details_item_data)

                warning_details.append(warning_details_item)

        report_ok_response = cls(
            error_details=error_details,
            import_request_timestamp=import_request_timestamp,
            number_of_products_deleted=number_of_products_deleted,
            number_of_products_in_the_batch=number_of_products_in_the_batch,
            number_of_products_upserted=number_of_products_upserted,
            number_of_products_with_errors=number_of_products_with_errors,
            status=status,
            number_of_products_with_warnings=number_of_products_with_warnings,
            warning_details=warning_details,
        )

        report_ok_response.additional_properties = d
        return report_ok_response

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
