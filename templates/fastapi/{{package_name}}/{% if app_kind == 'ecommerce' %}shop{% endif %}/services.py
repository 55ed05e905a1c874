"""The shop's rules: keyword-only functions, no HTTP here.

Stock is taken by conditional UPDATEs in one transaction, so concurrent orders never
sell more than there is; the (user, Idempotency-Key) unique index decides races between
repeats of one order.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from decimal import Decimal
from functools import cache

from sqlalchemy import Integer, Update, bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..articles.services import slugify
from .errors import IdempotencyKeyReused, OutOfStock, UnknownProducts
from .models import Order, OrderItem, Product
from .schemas import OrderLine, ProductCreate

FALLBACK_SLUG = "product"
# First the next free `-N` suffix; after that many collisions, a random one.
ORDERED_SLUG_ATTEMPTS = 3
SLUG_ATTEMPTS = 8
MAX_ID = 2**31 - 1


async def unique_product_slug(*, session: AsyncSession, name: str) -> str:
    """The slug of the name, with the first free `-2`, `-3`... suffix when it is taken."""
    base = _slug_base(name)
    taken = set(
        await session.scalars(
            select(Product.slug).where(or_(Product.slug == base, Product.slug.like(f"{base}-%")))
        )
    )
    suffix, slug = 2, base
    while slug in taken:
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


def _slug_base(name: str) -> str:
    return slugify(name, fallback=FALLBACK_SLUG)


async def create_product(*, session: AsyncSession, data: ProductCreate) -> Product:
    for attempt in range(1, SLUG_ATTEMPTS + 1):
        if attempt <= ORDERED_SLUG_ATTEMPTS:
            slug = await unique_product_slug(session=session, name=data.name)
        else:  # many writers want this name at once: stop queueing behind each other
            slug = f"{_slug_base(data.name)}-{secrets.token_hex(4)}"
        product = Product(**data.model_dump(), slug=slug)
        session.add(product)
        try:
            await session.commit()
        except IntegrityError:
            # Another request took the same slug at the same moment: pick another one.
            await session.rollback()
            if attempt == SLUG_ATTEMPTS:
                raise
        else:
            return product
    raise AssertionError("unreachable")  # pragma: no cover


async def list_products(
    *, session: AsyncSession, offset: int, limit: int
) -> tuple[list[Product], int]:
    """One page of the products, oldest first, and how many there are."""
    count = await session.scalar(select(func.count()).select_from(Product)) or 0
    products = await session.scalars(
        select(Product).order_by(Product.id).offset(offset).limit(limit)
    )
    return list(products), count


async def list_orders(
    *, session: AsyncSession, user_id: int, offset: int, limit: int
) -> tuple[list[Order], int]:
    """One page of the caller's own orders, newest first, and how many there are."""
    mine = Order.user_id == user_id
    count = await session.scalar(select(func.count()).select_from(Order).where(mine)) or 0
    orders = await session.scalars(
        select(Order)
        .where(mine)
        .order_by(Order.created_at.desc(), Order.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(orders), count


async def place_order(
    *, session: AsyncSession, user_id: int, idempotency_key: str, items: Sequence[OrderLine]
) -> Order:
    """Take the stock and record the order, all or nothing; a repeat answers the first."""
    fingerprint = _fingerprint(items)
    earlier = await _order_with_key(session, user_id, idempotency_key)
    if earlier is not None:
        return _replay(earlier, fingerprint)
    quantities = _quantities(items)
    prices = await _prices(session, quantities)
    order = Order(
        user_id=user_id,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
        total=sum((prices[pid] * quantity for pid, quantity in quantities.items()), Decimal(0)),
        items=[
            OrderItem(product_id=pid, quantity=quantity, unit_price=prices[pid])
            for pid, quantity in quantities.items()
        ],
    )
    session.add(order)
    try:
        await session.flush()  # claims the key first: a racing repeat waits here, then fails
        await _take_stock(session, quantities)
    except IntegrityError:
        await session.rollback()
        earlier = await _order_with_key(session, user_id, idempotency_key)
        if earlier is None:
            raise
        return _replay(earlier, fingerprint)
    except OutOfStock:
        await session.rollback()
        raise
    await session.commit()
    return order


def _fingerprint(items: Sequence[OrderLine]) -> str:
    lines = [[item.product, item.quantity] for item in items]
    return hashlib.sha256(json.dumps(lines).encode()).hexdigest()


async def _order_with_key(session: AsyncSession, user_id: int, key: str) -> Order | None:
    return await session.scalar(
        select(Order).where(Order.user_id == user_id, Order.idempotency_key == key)
    )


def _replay(order: Order, fingerprint: str) -> Order:
    if not secrets.compare_digest(order.fingerprint, fingerprint):
        raise IdempotencyKeyReused
    return order


def _quantities(items: Sequence[OrderLine]) -> dict[int, int]:
    """Quantity per product, in the order the products first appear."""
    quantities: dict[int, int] = {}
    for item in items:
        quantities[item.product] = quantities.get(item.product, 0) + item.quantity
    return quantities


async def _prices(session: AsyncSession, quantities: dict[int, int]) -> dict[int, Decimal]:
    # An id no row can have is unknown without asking (SQLite cannot even take it).
    wanted = [pid for pid in quantities if pid <= MAX_ID]
    rows = await session.execute(select(Product.id, Product.price).where(Product.id.in_(wanted)))
    prices: dict[int, Decimal] = {row.id: row.price for row in rows}
    unknown = [pid for pid in quantities if pid not in prices]
    if unknown:
        raise UnknownProducts(unknown)
    return prices


async def _take_stock(session: AsyncSession, quantities: dict[int, int]) -> None:
    """stock -= quantity where enough is left, product by product in id order.

    The id order makes concurrent orders lock rows in one order (no deadlocks);
    a row not updated means it is short, and the caller rolls everything back.
    """
    connection = await session.connection()
    short = []
    for product_id in sorted(quantities):
        taken = await connection.execute(
            _take_stock_statement(), {"product_id": product_id, "quantity": quantities[product_id]}
        )
        if taken.rowcount != 1:
            short.append(product_id)
    if short:
        raise OutOfStock(short)


@cache
def _take_stock_statement() -> Update:
    quantity = bindparam("quantity", type_=Integer)
    return (
        update(Product)
        .where(Product.id == bindparam("product_id"), Product.stock >= quantity)
        .values(stock=Product.stock - quantity)
    )
