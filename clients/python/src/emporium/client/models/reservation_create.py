from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.reservation_line import ReservationLine


T = TypeVar("T", bound="ReservationCreate")


@_attrs_define
class ReservationCreate:
    """Hold stock for an order: every line or none (one line per product).

    Attributes:
        order_id (UUID): At most one reservation per order (idempotency key).
        items (list[ReservationLine]):
        confirm (bool | Unset): Confirm in the same transaction: the stock is sold at once and never expires. A repeat
            for the order then confirms a pending reservation, or answers 409 if it was released or has expired. Default:
            False.
    """

    order_id: UUID
    items: list[ReservationLine]
    confirm: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        order_id = str(self.order_id)

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        confirm = self.confirm

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "order_id": order_id,
                "items": items,
            }
        )
        if confirm is not UNSET:
            field_dict["confirm"] = confirm

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reservation_line import ReservationLine  # noqa: PLC0415

        d = dict(src_dict)
        order_id = UUID(d.pop("order_id"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ReservationLine.from_dict(items_item_data)

            items.append(items_item)

        confirm = d.pop("confirm", UNSET)

        reservation_create = cls(
            order_id=order_id,
            items=items,
            confirm=confirm,
        )

        return reservation_create
