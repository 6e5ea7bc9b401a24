from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.user_create_by_admin_roles_item import (
    UserCreateByAdminRolesItem,
    check_user_create_by_admin_roles_item,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="UserCreateByAdmin")


@_attrs_define
class UserCreateByAdmin:
    """An account an administrator opens, with its roles.

    Attributes:
        email (str):
        password (str):
        full_name (str):
        roles (list[UserCreateByAdminRolesItem] | Unset):
    """

    email: str
    password: str
    full_name: str
    roles: list[UserCreateByAdminRolesItem] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        password = self.password

        full_name = self.full_name

        roles: list[str] | Unset = UNSET
        if not isinstance(self.roles, Unset):
            roles = []
            for roles_item_data in self.roles:
                roles_item: str = roles_item_data
                roles.append(roles_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "password": password,
                "full_name": full_name,
            }
        )
        if roles is not UNSET:
            field_dict["roles"] = roles

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        password = d.pop("password")

        full_name = d.pop("full_name")

        _roles = d.pop("roles", UNSET)
        roles: list[UserCreateByAdminRolesItem] | Unset = UNSET
        if _roles is not UNSET:
            roles = []
            for roles_item_data in _roles:
                roles_item = check_user_create_by_admin_roles_item(roles_item_data)

                roles.append(roles_item)

        user_create_by_admin = cls(
            email=email,
            password=password,
            full_name=full_name,
            roles=roles,
        )

        return user_create_by_admin
