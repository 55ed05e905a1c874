"""What goes in and out of the shop's endpoints. Money is a decimal string: "12.50"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from ..articles.serializers import not_blank
from ..core.fields import StrictCharField
from .models import NAME_MAX_LENGTH, PRICE_MAX_DIGITS, Order, OrderItem, Product

MAX_PRICE = Decimal("99999999.99")
MAX_STOCK = 2_147_483_647
MAX_QUANTITY = 1_000_000
MAX_ORDER_LINES = 100


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer: "5", 5.0 or true is an error, not 5."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return int(super().to_internal_value(data))


class MoneyField(serializers.DecimalField):
    """A decimal string ("12.50") or a JSON number, at most two places, never negative."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=PRICE_MAX_DIGITS,
            decimal_places=2,
            min_value=Decimal("0"),
            max_value=MAX_PRICE,
            **kwargs,
        )

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        value: Decimal = super().to_internal_value(data)
        return value


class ProductCreate(serializers.Serializer[Product]):
    name = StrictCharField(max_length=NAME_MAX_LENGTH, validators=[not_blank])
    price = MoneyField()
    stock = StrictIntegerField(min_value=0, max_value=MAX_STOCK)


class ProductPublic(serializers.ModelSerializer[Product]):
    price = serializers.DecimalField(max_digits=PRICE_MAX_DIGITS, decimal_places=2)

    class Meta:
        model = Product
        fields = ("id", "name", "slug", "price", "stock")
        read_only_fields = fields


def public_products(products: QuerySet[Product]) -> list[dict[str, Any]]:
    return [
        {**row, "price": f"{row['price']:.2f}"}
        for row in products.values("id", "name", "slug", "price", "stock")
    ]


class ProductListQuery(serializers.Serializer[None]):
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)


class ProductPage(serializers.Serializer[None]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ProductPublic(many=True)


class OrderLine(serializers.Serializer[None]):
    product = StrictIntegerField(min_value=1, max_value=2**63 - 1)
    quantity = StrictIntegerField(min_value=1, max_value=MAX_QUANTITY)


class OrderCreate(serializers.Serializer[Order]):
    items = serializers.ListField(
        child=OrderLine(), min_length=1, max_length=MAX_ORDER_LINES, allow_empty=False
    )


class OrderItemPublic(serializers.ModelSerializer[OrderItem]):
    product = serializers.IntegerField(source="product_id")
    unit_price = serializers.DecimalField(max_digits=PRICE_MAX_DIGITS, decimal_places=2)

    class Meta:
        model = OrderItem
        fields = ("product", "quantity", "unit_price")
        read_only_fields = fields


class OrderPublic(serializers.ModelSerializer[Order]):
    items = OrderItemPublic(many=True, read_only=True)

    class Meta:
        model = Order
        fields = ("id", "status", "total", "items", "created_at")
        read_only_fields = fields


def public_orders(orders: QuerySet[Order]) -> list[dict[str, Any]]:
    return list(OrderPublic(orders.prefetch_related("items"), many=True).data)


class OrderListQuery(ProductListQuery):
    pass


class OrderPage(serializers.Serializer[None]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = OrderPublic(many=True)
