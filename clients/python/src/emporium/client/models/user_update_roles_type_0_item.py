from typing import Literal

UserUpdateRolesType0Item = Literal["admin", "customer", "staff"]

USER_UPDATE_ROLES_TYPE_0_ITEM_VALUES: set[UserUpdateRolesType0Item] = {
    "admin",
    "customer",
    "staff",
}


def check_user_update_roles_type_0_item(value: str) -> UserUpdateRolesType0Item:
    if value in USER_UPDATE_ROLES_TYPE_0_ITEM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {USER_UPDATE_ROLES_TYPE_0_ITEM_VALUES!r}"
    )
