from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ProductCreate")


@_attrs_define
class ProductCreate:
    """A new product.

    Attributes:
        sku (str):
        name (str):
        price_cents (int): Price in minor units.
        currency (str): ISO 4217 code, upper case.
        category_id (UUID):
        description (str | Unset):  Default: ''.
        stock (int | Unset): Units on hand. Default: 0.
        active (bool | Unset):  Default: True.
    """

    sku: str
    name: str
    price_cents: int
    currency: str
    category_id: UUID
    description: str | Unset = ""
    stock: int | Unset = 0
    active: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        sku = self.sku

        name = self.name

        price_cents = self.price_cents

        currency = self.currency

        category_id = str(self.category_id)

        description = self.description

        stock = self.stock

        active = self.active

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "sku": sku,
                "name": name,
                "price_cents": price_cents,
                "currency": currency,
                "category_id": category_id,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if stock is not UNSET:
            field_dict["stock"] = stock
        if active is not UNSET:
            field_dict["active"] = active

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sku = d.pop("sku")

        name = d.pop("name")

        price_cents = d.pop("price_cents")

        currency = d.pop("currency")

        category_id = UUID(d.pop("category_id"))

        description = d.pop("description", UNSET)

        stock = d.pop("stock", UNSET)

        active = d.pop("active", UNSET)

        product_create = cls(
            sku=sku,
            name=name,
            price_cents=price_cents,
            currency=currency,
            category_id=category_id,
            description=description,
            stock=stock,
            active=active,
        )

        return product_create
