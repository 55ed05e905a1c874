from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, utc_now
from ..users.models import User

NAME_MAX_LENGTH = 200
SLUG_MAX_LENGTH = 220
IDEMPOTENCY_KEY_MAX_LENGTH = 255
PRICE = Numeric(10, 2, asdecimal=True)
TOTAL = Numeric(12, 2, asdecimal=True)
STATUS_PLACED = "placed"


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX_LENGTH))
    slug: Mapped[str] = mapped_column(String(SLUG_MAX_LENGTH), unique=True)
    price: Mapped[Decimal] = mapped_column(PRICE)
    stock: Mapped[int] = mapped_column(Integer)

    def __str__(self) -> str:
        return self.name


class Order(Base):
    __tablename__ = "orders"
    # One order per key and caller: a repeated or racing request finds the first one.
    __table_args__ = (
        Index("uq_orders_user_id_idempotency_key", "user_id", "idempotency_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=STATUS_PLACED)
    total: Mapped[Decimal] = mapped_column(TOTAL)
    idempotency_key: Mapped[str] = mapped_column(String(IDEMPOTENCY_KEY_MAX_LENGTH))
    # What was ordered, hashed: a repeat of the key must carry the same body.
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    user: Mapped[User] = relationship()
    # Every answer shows the items, so load them with the order.
    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", lazy="selectin", order_by="OrderItem.id"
    )

    def __str__(self) -> str:
        return f"Order {self.id}"


class OrderItem(Base):
    __tablename__ = "order_items"
    __table_args__ = (CheckConstraint("quantity >= 1", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(PRICE)

    order: Mapped[Order] = relationship(back_populates="items")
    product: Mapped[Product] = relationship()
