from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.user_update_roles_type_0_item import (
    UserUpdateRolesType0Item,
    check_user_update_roles_type_0_item,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="UserUpdate")


@_attrs_define
class UserUpdate:
    """Changes an administrator may make to an account; absent fields stay as they are.

    Attributes:
        roles (list[UserUpdateRolesType0Item] | None | Unset):
        active (bool | None | Unset):
        full_name (None | str | Unset):
    """

    roles: list[UserUpdateRolesType0Item] | None | Unset = UNSET
    active: bool | None | Unset = UNSET
    full_name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        roles: list[str] | None | Unset
        if isinstance(self.roles, Unset):
            roles = UNSET
        elif isinstance(self.roles, list):
            roles = []
            for roles_type_0_item_data in self.roles:
                roles_type_0_item: str = roles_type_0_item_data
                roles.append(roles_type_0_item)

        else:
            roles = self.roles

        active: bool | None | Unset
        if isinstance(self.active, Unset):
            active = UNSET
        else:
            active = self.active

        full_name: None | str | Unset
        if isinstance(self.full_name, Unset):
            full_name = UNSET
        else:
            full_name = self.full_name

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if roles is not UNSET:
            field_dict["roles"] = roles
        if active is not UNSET:
            field_dict["active"] = active
        if full_name is not UNSET:
            field_dict["full_name"] = full_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_roles(data: object) -> list[UserUpdateRolesType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                roles_type_0 = []
                _roles_type_0 = data
                for roles_type_0_item_data in _roles_type_0:
                    roles_type_0_item = check_user_update_roles_type_0_item(roles_type_0_item_data)

                    roles_type_0.append(roles_type_0_item)

                return roles_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UserUpdateRolesType0Item] | None | Unset, data)

        roles = _parse_roles(d.pop("roles", UNSET))

        def _parse_active(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        active = _parse_active(d.pop("active", UNSET))

        def _parse_full_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        full_name = _parse_full_name(d.pop("full_name", UNSET))

        user_update = cls(
            roles=roles,
            active=active,
            full_name=full_name,
        )

        return user_update
