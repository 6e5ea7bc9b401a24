from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ProductRestock")


@_attrs_define
class ProductRestock:
    """Units delivered: added to the stock on hand, whatever it is now.

    Attributes:
        quantity (int): Units to add.
    """

    quantity: int

    def to_dict(self) -> dict[str, Any]:
        quantity = self.quantity

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "quantity": quantity,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        quantity = d.pop("quantity")

        product_restock = cls(
            quantity=quantity,
        )

        return product_restock
