"""The rules of the shop: products with unique slugs, orders that keep the stock right.

An order is one transaction. Its row is inserted first, so the unique
(user, idempotency key) constraint decides a race between two requests with
one key: on PostgreSQL the second insert waits for the first transaction and,
once it commits, fails; on SQLite writers queue for the database lock (busy
timeout). Either way the loser finds the winner's order and answers it again.
Stock is taken with one conditional UPDATE per product, in id order
(stock = stock - q WHERE stock >= q): no row is ever read and then written
back, so concurrent orders can neither oversell nor deadlock.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils.text import slugify

from ..users.models import User
from .errors import IdempotencyKeyReused, OutOfStock, UnknownProducts
from .models import SLUG_MAX_LENGTH, Order, OrderItem, Product

SLUG_ATTEMPTS = 10
FALLBACK_SLUG = "product"


@dataclass(frozen=True)
class PlacedOrder:
    order: Order
    replayed: bool


def list_products() -> QuerySet[Product]:
    return Product.objects.order_by("name", "id")


def unique_slug(*, name: str) -> str:
    """A URL-safe slug from the name, with -2, -3... when it is taken."""
    base = _slug_base(name)
    taken = set(
        Product.objects.filter(slug__regex=rf"^{base}(-[0-9]+)?$").values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


def _slug_base(name: str) -> str:
    return slugify(name)[: SLUG_MAX_LENGTH - 12].strip("-") or FALLBACK_SLUG


def create_product(*, name: str, price: Decimal, stock: int) -> Product:
    """Insert the product under a free slug, retried when a parallel request took it meanwhile."""
    for _ in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                return Product.objects.create(
                    name=name, price=price, stock=stock, slug=unique_slug(name=name)
                )
        except IntegrityError:
            continue  # a concurrent request took the same slug; compute a fresh one
    slug = f"{_slug_base(name)}-{secrets.token_hex(4)}"
    with transaction.atomic():
        return Product.objects.create(name=name, price=price, stock=stock, slug=slug)


def fingerprint(body: Any) -> str:
    """SHA-256 of the body's canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def orders_of(*, user: User) -> QuerySet[Order]:
    return Order.objects.filter(user=user).order_by("-created_at", "-id")


def place_order(
    *, user: User, idempotency_key: str, body_fingerprint: str, items: Iterable[Mapping[str, int]]
) -> PlacedOrder:
    """Place the order, or find the one this key placed before (same body) and answer it."""
    quantities = _quantities(items)
    with transaction.atomic():
        if (earlier := _earlier(user, idempotency_key, body_fingerprint)) is not None:
            return earlier
        try:
            with transaction.atomic():
                order = Order.objects.create(
                    user=user, idempotency_key=idempotency_key, fingerprint=body_fingerprint
                )
        except IntegrityError:
            # A parallel request with this key committed first: answer its order.
            if (earlier := _earlier(user, idempotency_key, body_fingerprint)) is not None:
                return earlier
            raise
        _fill(order, quantities)
    return PlacedOrder(order, replayed=False)


def _quantities(items: Iterable[Mapping[str, int]]) -> dict[int, int]:
    """Units per product id, lines of one product added up, in id order."""
    counted: Counter[int] = Counter()
    for item in items:
        counted[item["product"]] += item["quantity"]
    return dict(sorted(counted.items()))


def _earlier(user: User, key: str, body_fingerprint: str) -> PlacedOrder | None:
    order = Order.objects.filter(user=user, idempotency_key=key).first()
    if order is None:
        return None
    if order.fingerprint != body_fingerprint:
        raise IdempotencyKeyReused(key)
    return PlacedOrder(order, replayed=True)


def _fill(order: Order, quantities: dict[int, int]) -> None:
    prices = dict(Product.objects.filter(pk__in=quantities).values_list("pk", "price"))
    if unknown := sorted(set(quantities) - set(prices)):
        raise UnknownProducts(unknown)
    _take_stock(quantities)
    # Read again under the rows' locks, so the price charged is the one of this moment.
    prices = dict(Product.objects.filter(pk__in=quantities).values_list("pk", "price"))
    OrderItem.objects.bulk_create(
        OrderItem(order=order, product_id=pk, quantity=quantity, unit_price=prices[pk])
        for pk, quantity in quantities.items()
    )
    order.total = sum((prices[pk] * q for pk, q in quantities.items()), Decimal("0.00"))
    order.save(update_fields=["total"])


def _take_stock(quantities: dict[int, int]) -> None:
    """Decrement each product's stock, in id order; any shortfall undoes the whole order."""
    short = [
        pk
        for pk, quantity in quantities.items()
        if not Product.objects.filter(pk=pk, stock__gte=quantity).update(
            stock=F("stock") - quantity
        )
    ]
    if short:
        raise OutOfStock(short)
