from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.field_error_location import FieldErrorLocation, check_field_error_location

T = TypeVar("T", bound="FieldError")


@_attrs_define
class FieldError:
    """One thing wrong with the request, and where.

    Attributes:
        field (str): The field, dotted for nested ones (`items.0.quantity`).
        location (FieldErrorLocation): Where the field was sent.
        message (str): What is wrong with it, for people.
        type_ (str): A stable code for what is wrong (e.g. `missing`).
    """

    field: str
    location: FieldErrorLocation
    message: str
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        location: str = self.location

        message = self.message

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "field": field,
                "location": location,
                "message": message,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        field = d.pop("field")

        location = check_field_error_location(d.pop("location"))

        message = d.pop("message")

        type_ = d.pop("type")

        field_error = cls(
            field=field,
            location=location,
            message=message,
            type_=type_,
        )

        field_error.additional_properties = d
        return field_error

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
