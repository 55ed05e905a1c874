"""The shop's rules: keyword-only functions, no HTTP here.

Stock is taken by conditional UPDATEs in one transaction, so concurrent orders never
sell more than there is; the (user, Idempotency-Key) unique constraint decides races
between repeats of one order.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Integer, Select, Update, bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..articles.services import slugify
from ..extensions import db
from ..pagination import Page, paginate, windowed
from .errors import IdempotencyKeyReused, OutOfStock, UnknownProducts
from .models import Order, OrderItem, Product
from .schemas import money

SLUG_ATTEMPTS = 20
MAX_ID = 2**31 - 1
PRODUCTS = Product.__table__.c
PublicProduct = dict[str, Any]


@dataclass(frozen=True)
class PlacedOrder:
    order: Order
    replayed: bool  # True: the answer to an earlier request with the same key and body


def unique_product_slug(*, name: str) -> str:
    """slugify(name), with -2, -3... appended when it is already taken."""
    base = slugify(name, fallback="product")
    taken = set(
        db.session.scalars(
            select(Product.slug).where(or_(Product.slug == base, Product.slug.like(f"{base}-%")))
        )
    )
    suffix = 2
    slug = base
    while slug in taken:
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


def create_product(*, name: str, price: Decimal, stock: int) -> Product:
    product = Product(name=name, price=price, stock=stock)
    for attempt in range(SLUG_ATTEMPTS):
        last = attempt == SLUG_ATTEMPTS - 1
        product.slug = (
            f"{slugify(name, fallback='product')}-{secrets.token_hex(4)}"
            if last
            else unique_product_slug(name=name)
        )
        try:
            # A savepoint: a collision undoes this insert only.
            with db.session.begin_nested():
                db.session.add(product)
        except IntegrityError:
            continue  # another request took the slug between our check and insert
        db.session.commit()
        return product
    raise RuntimeError("could not find a free slug")


def list_products(*, page: int, page_size: int) -> Page[PublicProduct]:
    count, rows = _product_statements()
    return paginate(count, rows, {}, page=page, page_size=page_size, item=_public_product)


@functools.cache
def _product_statements() -> tuple[Select[int], Select[Any]]:
    count = select(func.count()).select_from(Product.__table__)
    rows = select(PRODUCTS.id, PRODUCTS.name, PRODUCTS.slug, PRODUCTS.price, PRODUCTS.stock)
    return count, windowed(rows.order_by(PRODUCTS.id), count)


def _public_product(row: Sequence[Any]) -> PublicProduct:
    id_, name, slug, price, stock, _ = row
    return {"id": id_, "name": name, "slug": slug, "price": money(price), "stock": stock}


def list_orders(*, user_id: int, page: int, page_size: int) -> Page[Order]:
    """The caller's own orders, newest first."""
    mine = Order.user_id == user_id
    count = db.session.scalar(select(func.count()).select_from(Order).where(mine)) or 0
    orders = db.session.scalars(
        select(Order)
        .where(mine)
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(page_size)
        .offset(min((page - 1) * page_size, 2**31 - 1))
    ).all()
    return Page(items=orders, count=count, page=page, page_size=page_size)


def place_order(
    *, user_id: int, idempotency_key: str, items: Sequence[Mapping[str, int]]
) -> PlacedOrder:
    """Take the stock and record the order, all or nothing; a repeat answers the first."""
    fingerprint = _fingerprint(items)
    earlier = _order_with_key(user_id, idempotency_key)
    if earlier is not None:
        return _replay(earlier, fingerprint)
    quantities = _quantities(items)
    prices = _prices(items)
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
    try:
        db.session.add(order)
        db.session.flush()  # claims the key first: a racing repeat waits here, then fails
        _take_stock(quantities)
    except IntegrityError:
        db.session.rollback()
        earlier = _order_with_key(user_id, idempotency_key)
        if earlier is None:
            raise
        return _replay(earlier, fingerprint)
    except OutOfStock:
        db.session.rollback()
        raise
    db.session.commit()
    return PlacedOrder(order=order, replayed=False)


def _fingerprint(items: Sequence[Mapping[str, int]]) -> str:
    lines = [[item["product"], item["quantity"]] for item in items]
    return hashlib.sha256(orjson.dumps(lines)).hexdigest()


def _order_with_key(user_id: int, key: str) -> Order | None:
    return db.session.scalar(
        select(Order).where(Order.user_id == user_id, Order.idempotency_key == key)
    )


def _replay(order: Order, fingerprint: str) -> PlacedOrder:
    if not secrets.compare_digest(order.fingerprint, fingerprint):
        raise IdempotencyKeyReused
    return PlacedOrder(order=order, replayed=True)


def _quantities(items: Sequence[Mapping[str, int]]) -> dict[int, int]:
    """Quantity per product, in the order the products first appear."""
    quantities: dict[int, int] = {}
    for item in items:
        quantities[item["product"]] = quantities.get(item["product"], 0) + item["quantity"]
    return quantities


def _prices(items: Sequence[Mapping[str, int]]) -> dict[int, Decimal]:
    # An id no row can have is unknown without asking (SQLite cannot even take it).
    wanted = {item["product"] for item in items if item["product"] <= MAX_ID}
    rows = db.session.execute(select(Product.id, Product.price).where(Product.id.in_(wanted)))
    prices: dict[int, Decimal] = {row.id: row.price for row in rows}
    unknown = [pid for pid in dict.fromkeys(item["product"] for item in items) if pid not in prices]
    if unknown:
        raise UnknownProducts(unknown)
    return prices


def _take_stock(quantities: Mapping[int, int]) -> None:
    """stock -= quantity where enough is left, product by product in id order.

    The id order makes concurrent orders lock rows in one order (no deadlocks);
    a row not updated means it is short, and the caller rolls everything back.
    """
    connection = db.session.connection()
    short = []
    for product_id in sorted(quantities):
        taken = connection.execute(
            _take_stock_statement(), {"product_id": product_id, "quantity": quantities[product_id]}
        )
        if taken.rowcount != 1:
            short.append(product_id)
    if short:
        raise OutOfStock(short)


@functools.cache
def _take_stock_statement() -> Update:
    quantity = bindparam("quantity", type_=Integer)
    return (
        update(Product)
        .where(PRODUCTS.id == bindparam("product_id"), PRODUCTS.stock >= quantity)
        .values(stock=PRODUCTS.stock - quantity)
    )
