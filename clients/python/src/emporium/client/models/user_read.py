from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UserRead")


@_attrs_define
class UserRead:
    """An account as clients see it (never its password).

    Attributes:
        id (UUID):
        email (str):
        full_name (str):
        roles (list[str]):
        active (bool):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        scopes (list[str]): The scopes the account's roles allow.
    """

    id: UUID
    email: str
    full_name: str
    roles: list[str]
    active: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    scopes: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        email = self.email

        full_name = self.full_name

        roles = self.roles

        active = self.active

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        scopes = self.scopes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "email": email,
                "full_name": full_name,
                "roles": roles,
                "active": active,
                "created_at": created_at,
                "updated_at": updated_at,
                "scopes": scopes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        email = d.pop("email")

        full_name = d.pop("full_name")

        roles = cast(list[str], d.pop("roles"))

        active = d.pop("active")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        scopes = cast(list[str], d.pop("scopes"))

        user_read = cls(
            id=id,
            email=email,
            full_name=full_name,
            roles=roles,
            active=active,
            created_at=created_at,
            updated_at=updated_at,
            scopes=scopes,
        )

        user_read.additional_properties = d
        return user_read

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
