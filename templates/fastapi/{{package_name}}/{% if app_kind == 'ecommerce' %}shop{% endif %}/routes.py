"""HTTP in, HTTP out: products and orders."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse

from ..dependencies import SessionDep
from ..json_body import LimitedJSONRoute
from ..pagination import Page, PageParams, page_links
from ..users.dependencies import CurrentUser
from . import services
from .errors import IdempotencyKeyReused, OutOfStock, UnknownProducts
from .schemas import IdempotencyKey, OrderCreate, OrderPublic, ProductCreate, ProductPublic

router = APIRouter(tags=["shop"], route_class=LimitedJSONRoute)

IDEMPOTENCY_KEY = "Idempotency-Key"
ONLY_STAFF = "Only staff may add products."
NO_PAGE: dict[int | str, dict[str, Any]] = {404: {"description": "The page is past the end"}}
ORDER_ANSWERS: dict[int | str, dict[str, Any]] = {
    409: {"description": "An item is short of stock; nothing was ordered"},
    422: {"description": "Invalid items, an unknown product, or a key used for another order"},
}


def _past_the_end(params: PageParams, count: int) -> bool:
    return params.page > 1 and params.offset >= count


@router.get(
    "/products", summary="List products", response_model=Page[ProductPublic], responses=NO_PAGE
)
async def list_products(
    request: Request, query: Annotated[PageParams, Query()], session: SessionDep
) -> Page[ProductPublic]:
    """The products, oldest first."""
    products, count = await services.list_products(
        session=session, offset=query.offset, limit=query.page_size
    )
    if _past_the_end(query, count):
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Invalid page.")
    next_url, previous_url = page_links(request, query, count)
    results = [ProductPublic.model_validate(product) for product in products]
    return Page(count=count, next=next_url, previous=previous_url, results=results)


@router.post(
    "/products",
    summary="Add a product (staff only)",
    status_code=status.HTTP_201_CREATED,
    response_model=ProductPublic,
    responses={403: {"description": "The caller is not staff"}},
)
async def create_product(
    data: ProductCreate, session: SessionDep, user: CurrentUser
) -> ProductPublic:
    """The slug is made from the name, with a suffix when it is taken."""
    if not user.is_staff:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=ONLY_STAFF)
    product = await services.create_product(session=session, data=data)
    return ProductPublic.model_validate(product)


@router.get(
    "/orders", summary="List my orders", response_model=Page[OrderPublic], responses=NO_PAGE
)
async def list_orders(
    request: Request, query: Annotated[PageParams, Query()], session: SessionDep, user: CurrentUser
) -> Page[OrderPublic]:
    """The caller's own orders, newest first."""
    orders, count = await services.list_orders(
        session=session, user_id=user.id, offset=query.offset, limit=query.page_size
    )
    if _past_the_end(query, count):
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Invalid page.")
    next_url, previous_url = page_links(request, query, count)
    results = [OrderPublic.model_validate(order) for order in orders]
    return Page(count=count, next=next_url, previous=previous_url, results=results)


@router.post(
    "/orders",
    summary="Place an order",
    status_code=status.HTTP_201_CREATED,
    response_model=OrderPublic,
    responses=ORDER_ANSWERS,
)
async def place_order(
    data: OrderCreate,
    idempotency_key: Annotated[IdempotencyKey, Header(alias=IDEMPOTENCY_KEY)],
    session: SessionDep,
    user: CurrentUser,
) -> OrderPublic | JSONResponse:
    """The stock drops; a repeat with the same key and body answers the first order."""
    try:
        order = await services.place_order(
            session=session, user_id=user.id, idempotency_key=idempotency_key, items=data.items
        )
    except UnknownProducts as error:
        return invalid_field(["body", "items"], error.message, "unknown_product")
    except IdempotencyKeyReused as error:
        return invalid_field(["header", IDEMPOTENCY_KEY], error.message, "idempotency_key_reused")
    except OutOfStock as error:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=error.message) from error
    return OrderPublic.model_validate(order)


def invalid_field(loc: list[str], message: str, error_type: str) -> JSONResponse:
    """422 in the shape of the request validation errors."""
    detail = [{"loc": loc, "msg": message, "type": error_type}]
    return JSONResponse({"detail": detail}, status_code=422)
