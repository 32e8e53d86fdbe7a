from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ProductImporterWarning")


@_attrs_define
class ProductImporterWarning:
    """A non-blocking issue reported by the product importer."""

    code: str
    """ Machine-readable code identifying the warning. """
    detail: str
    """ Human-readable explanation specific to this occurrence. """
    instance: str
    """ The request path where the warning arose. """
    title: str
    """ Short human-readable summary of the warning. """
    trace_id: str
    """ Identifier of the request, useful when contacting support. """
    type_: str
    """ Broad family the warning belongs to. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        detail = self.detail

        instance = self.instance

        title = self.title

        trace_id = self.trace_id

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "detail": detail,
                "instance": instance,
                "title": title,
                "traceId": trace_id,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        detail = d.pop("detail")

        instance = d.pop("instance")

        title = d.pop("title")

        trace_id = d.pop("traceId")

        type_ = d.pop("type")

        product_importer_warning = cls(
            code=code,
            detail=detail,
            instance=instance,
            title=title,
            trace_id=trace_id,
            type_=type_,
        )

        product_importer_warning.additional_properties = d
        return product_importer_warning

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
