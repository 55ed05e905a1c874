from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from werkzeug.exceptions import Conflict, Forbidden, NotFound, UnprocessableEntity

from ..api import Blueprint
from ..json_provider import json_response
from ..pagination import page_body
from ..schemas import PageQuery
from ..users.auth import SECURITY, current_user
from .errors import IdempotencyKeyReused, OutOfStock, UnknownProducts
from .models import Product
from .schemas import (
    IdempotencyHeaders,
    OrderCreate,
    OrderPage,
    OrderPublic,
    ProductCreate,
    ProductPage,
    ProductPublic,
)
from .services import create_product, list_orders, list_products, place_order

blp = Blueprint("shop", __name__, url_prefix="/api", description="Products and orders")
IDEMPOTENCY_KEY = "Idempotency-Key"
ONLY_STAFF = "Only staff may add products"


@blp.route("/products")
class Products(MethodView):
    @blp.doc(operationId="list_products", security=[{}, *SECURITY])
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, ProductPage)
    @blp.alt_response(404, description="The page is past the end")
    def get(self, query: dict[str, Any]) -> Response:
        """The products, oldest first."""
        page = list_products(**query)
        if page.is_past_the_end:
            raise NotFound("Page not found")
        return json_response(page_body(page))

    @blp.doc(operationId="create_product", security=SECURITY)
    @blp.arguments(ProductCreate)
    @blp.response(201, ProductPublic)
    @blp.alt_response(401, description="Not authenticated")
    @blp.alt_response(403, description="Not staff")
    def post(self, data: dict[str, Any]) -> tuple[Product, int]:
        """Add a product (staff only); the slug is made from the name."""
        if not current_user().is_staff:
            raise Forbidden(ONLY_STAFF)
        return create_product(**data), 201


@blp.route("/orders")
class Orders(MethodView):
    @blp.doc(operationId="list_orders", security=SECURITY)
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, OrderPage)
    @blp.alt_response(401, description="Not authenticated")
    @blp.alt_response(404, description="The page is past the end")
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """The caller's own orders, newest first."""
        page = list_orders(user_id=current_user().id, **query)
        if page.is_past_the_end:
            raise NotFound("Page not found")
        return page_body(page)

    @blp.doc(operationId="place_order", security=SECURITY)
    @blp.arguments(IdempotencyHeaders, location="headers")
    @blp.arguments(OrderCreate)
    @blp.response(201, OrderPublic)
    @blp.alt_response(401, description="Not authenticated")
    @blp.alt_response(409, description="An item is short of stock; nothing was ordered")
    def post(self, headers: dict[str, str], data: dict[str, Any]) -> tuple[Any, int]:
        """Order products: the stock drops; a repeat with the same key answers the first order."""
        user = current_user()
        try:
            placed = place_order(
                user_id=user.id,
                idempotency_key=headers["idempotency_key"].strip(),
                items=data["items"],
            )
        except UnknownProducts as error:
            raise InvalidField(["items"], error.message, "json") from None
        except IdempotencyKeyReused as error:
            raise InvalidField([IDEMPOTENCY_KEY], error.message, "headers") from None
        except OutOfStock as error:
            raise Conflict(error.message) from None
        return placed.order, 201


class InvalidField(UnprocessableEntity):
    """422 in the shape the schemas' own validation errors have."""

    def __init__(self, path: list[str | int], message: str, location: str) -> None:
        super().__init__()
        errors: Any = [message]
        for key in reversed(path):
            errors = {key: errors}
        self.data = {"messages": {location: errors}}
