from typing import Literal

UserCreateByAdminRolesItem = Literal["admin", "customer", "staff"]

USER_CREATE_BY_ADMIN_ROLES_ITEM_VALUES: set[UserCreateByAdminRolesItem] = {
    "admin",
    "customer",
    "staff",
}


def check_user_create_by_admin_roles_item(value: str) -> UserCreateByAdminRolesItem:
    if value in USER_CREATE_BY_ADMIN_ROLES_ITEM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {USER_CREATE_BY_ADMIN_ROLES_ITEM_VALUES!r}"
    )
