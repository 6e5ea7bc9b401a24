from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.reservation_status import ReservationStatus, check_reservation_status

if TYPE_CHECKING:
    from ..models.reservation_item_read import ReservationItemRead


T = TypeVar("T", bound="ReservationRead")


@_attrs_define
class ReservationRead:
    """A reservation and its lines (in the order they were requested).

    Attributes:
        id (UUID):
        order_id (UUID):
        status (ReservationStatus): Lifecycle of a reservation: pending → confirmed | released | expired.
        expires_at (datetime.datetime): When a pending reservation gives its stock back.
        items (list[ReservationItemRead]):
    """

    id: UUID
    order_id: UUID
    status: ReservationStatus
    expires_at: datetime.datetime
    items: list[ReservationItemRead]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        order_id = str(self.order_id)

        status: str = self.status

        expires_at = self.expires_at.isoformat()

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "order_id": order_id,
                "status": status,
                "expires_at": expires_at,
                "items": items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reservation_item_read import ReservationItemRead  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        order_id = UUID(d.pop("order_id"))

        status = check_reservation_status(d.pop("status"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ReservationItemRead.from_dict(items_item_data)

            items.append(items_item)

        reservation_read = cls(
            id=id,
            order_id=order_id,
            status=status,
            expires_at=expires_at,
            items=items,
        )

        reservation_read.additional_properties = d
        return reservation_read

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
