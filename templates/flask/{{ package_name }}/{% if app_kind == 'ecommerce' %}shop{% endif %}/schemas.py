from __future__ import annotations

from decimal import Decimal
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from ..schemas import InputSchema, PageSchema, Text, UtcDateTime, not_blank
from .models import IDEMPOTENCY_KEY_MAX_LENGTH, NAME_MAX_LENGTH

MAX_PRICE = Decimal("99999999.99")  # Numeric(10, 2)
MAX_INTEGER = 2**31 - 1
MAX_ORDER_ITEMS = 100
KEY_REQUIRED = "This header is required."
AMOUNT = {"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$", "example": "12.50"}


class Money(fields.Decimal):
    """A decimal amount with at most two places; "12.5" and 12.5 load, "12.50" dumps."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(places=None, as_string=True, allow_nan=False, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        amount: Decimal = super()._deserialize(value, attr, data, **kwargs)
        return amount

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else money(value)


def money(amount: Decimal) -> str:
    """The contract's amount: a string with two places ("12.50")."""
    return str(Decimal(amount).quantize(Decimal("0.01")))


def _check_amount(amount: Decimal) -> None:
    # Not validate.Range: the OpenAPI document would show its bounds as strings.
    if not 0 <= amount <= MAX_PRICE:
        raise ValidationError(f"Must be greater than or equal to 0 and at most {MAX_PRICE}.")


def _check_places(amount: Decimal) -> None:
    # From the digits, not by quantize(): that fails on values beyond the context's precision.
    _sign, digits, exponent = amount.as_tuple()
    extra_places = -int(exponent) - 2
    if extra_places > 0 and any(digits[-extra_places:]):
        raise ValidationError("Must have at most 2 decimal places.")


class Count(fields.Integer):
    """A JSON integer: true, 1.5 and "3" are refused."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        number: int = super()._deserialize(value, attr, data, **kwargs)
        return number


class ProductCreate(InputSchema):
    name = Text(required=True, validate=[validate.Length(min=1, max=NAME_MAX_LENGTH), not_blank])
    price = Money(required=True, validate=[_check_amount, _check_places], metadata=AMOUNT)
    stock = Count(required=True, strict=True, validate=validate.Range(min=0, max=MAX_INTEGER))


class ProductPublic(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    slug = fields.String(required=True)
    price = Money(required=True, metadata=AMOUNT)
    stock = fields.Integer(required=True)


class ProductPage(PageSchema):
    results = fields.List(fields.Nested(ProductPublic), required=True)


class OrderLine(InputSchema):
    product = Count(required=True, strict=True, validate=validate.Range(min=1))
    quantity = Count(required=True, strict=True, validate=validate.Range(min=1, max=MAX_INTEGER))


class OrderCreate(InputSchema):
    items = fields.List(
        fields.Nested(OrderLine),
        required=True,
        validate=validate.Length(min=1, max=MAX_ORDER_ITEMS),
    )


def _check_key(value: str) -> None:
    key = value.strip()  # the key is kept without surrounding spaces
    if not key:
        raise ValidationError(KEY_REQUIRED)
    if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise ValidationError(
            f"Ensure this header has no more than {IDEMPOTENCY_KEY_MAX_LENGTH} characters."
        )


class IdempotencyHeaders(InputSchema):
    idempotency_key = Text(
        data_key="Idempotency-Key",
        required=True,
        error_messages={"required": KEY_REQUIRED},
        validate=_check_key,
        metadata={"description": "A key of the client's choosing; a repeat answers the first"},
    )


class OrderItemPublic(Schema):
    product = fields.Integer(required=True, attribute="product_id")
    quantity = fields.Integer(required=True)
    unit_price = Money(required=True, metadata=AMOUNT)


class OrderPublic(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True)
    total = Money(required=True, metadata=AMOUNT)
    items = fields.List(fields.Nested(OrderItemPublic), required=True)
    created_at = UtcDateTime(required=True)


class OrderPage(PageSchema):
    results = fields.List(fields.Nested(OrderPublic), required=True)
