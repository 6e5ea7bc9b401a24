from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OrderLineRead")


@_attrs_define
class OrderLineRead:
    """A line as sold: the catalog's sku, name and unit price at the time of the order.

    Attributes:
        product_id (UUID):
        sku (str):
        name (str):
        quantity (int):
        unit_price_cents (int):
    """

    product_id: UUID
    sku: str
    name: str
    quantity: int
    unit_price_cents: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        product_id = str(self.product_id)

        sku = self.sku

        name = self.name

        quantity = self.quantity

        unit_price_cents = self.unit_price_cents

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "product_id": product_id,
                "sku": sku,
                "name": name,
                "quantity": quantity,
                "unit_price_cents": unit_price_cents,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        product_id = UUID(d.pop("product_id"))

        sku = d.pop("sku")

        name = d.pop("name")

        quantity = d.pop("quantity")

        unit_price_cents = d.pop("unit_price_cents")

        order_line_read = cls(
            product_id=product_id,
            sku=sku,
            name=name,
            quantity=quantity,
            unit_price_cents=unit_price_cents,
        )

        order_line_read.additional_properties = d
        return order_line_read

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
