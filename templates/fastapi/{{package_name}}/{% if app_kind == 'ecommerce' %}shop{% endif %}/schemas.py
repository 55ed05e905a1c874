from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, StringConstraints
from pydantic import StrictInt as JSONInteger

from ..fields import NoNul
from .models import IDEMPOTENCY_KEY_MAX_LENGTH, NAME_MAX_LENGTH

MAX_INTEGER = 2**31 - 1
MAX_ORDER_ITEMS = 100
CENT = Decimal("0.01")


def money(amount: Decimal) -> str:
    """The contract's amount: a string with two places ("12.50")."""
    return str(amount.quantize(CENT))


# A string in JSON, never a float: "12.5" and 12.5 are read, "12.50" is written.
Money = Annotated[Decimal, PlainSerializer(money, return_type=str, when_used="json")]
Price = Annotated[
    Decimal,
    Field(ge=0, max_digits=10, decimal_places=2, examples=["12.50"]),
    PlainSerializer(money, return_type=str, when_used="json"),
]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX_LENGTH),
    NoNul,
]
# The key is kept without surrounding spaces.
IdempotencyKey = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=IDEMPOTENCY_KEY_MAX_LENGTH),
    NoNul,
]


class ProductCreate(BaseModel):
    name: Name
    price: Price
    stock: Annotated[JSONInteger, Field(ge=0, le=MAX_INTEGER)]


class ProductPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    slug: str
    price: Money
    stock: int


class OrderLine(BaseModel):
    product: Annotated[JSONInteger, Field(ge=1)]
    quantity: Annotated[JSONInteger, Field(ge=1, le=MAX_INTEGER)]


class OrderCreate(BaseModel):
    items: Annotated[list[OrderLine], Field(min_length=1, max_length=MAX_ORDER_ITEMS)]


class OrderItemPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product: int = Field(validation_alias="product_id")
    quantity: int
    unit_price: Money


class OrderPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: str
    total: Money
    items: list[OrderItemPublic]
    created_at: datetime
