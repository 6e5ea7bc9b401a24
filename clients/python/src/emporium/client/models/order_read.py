from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.order_status import OrderStatus, check_order_status

if TYPE_CHECKING:
    from ..models.order_line_read import OrderLineRead


T = TypeVar("T", bound="OrderRead")


@_attrs_define
class OrderRead:
    """An order as clients see it.

    Attributes:
        id (UUID):
        user_id (UUID):
        status (OrderStatus): Where an order is in its life.
        items (list[OrderLineRead]):
        total_cents (int):
        currency (str):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: UUID
    user_id: UUID
    status: OrderStatus
    items: list[OrderLineRead]
    total_cents: int
    currency: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        user_id = str(self.user_id)

        status: str = self.status

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        total_cents = self.total_cents

        currency = self.currency

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "user_id": user_id,
                "status": status,
                "items": items,
                "total_cents": total_cents,
                "currency": currency,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.order_line_read import OrderLineRead  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        user_id = UUID(d.pop("user_id"))

        status = check_order_status(d.pop("status"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = OrderLineRead.from_dict(items_item_data)

            items.append(items_item)

        total_cents = d.pop("total_cents")

        currency = d.pop("currency")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        order_read = cls(
            id=id,
            user_id=user_id,
            status=status,
            items=items,
            total_cents=total_cents,
            currency=currency,
            created_at=created_at,
            updated_at=updated_at,
        )

        order_read.additional_properties = d
        return order_read

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
