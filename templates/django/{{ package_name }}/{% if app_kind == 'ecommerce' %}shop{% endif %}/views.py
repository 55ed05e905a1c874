"""The shop over HTTP: parse, call a service, answer."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..core.exceptions import RequestValidationError, validated, validated_query
from ..core.pagination import paginate
from ..core.schema import error_responses
from ..users.authentication import required_user
from . import services
from .errors import IdempotencyKeyReused, OutOfStock, UnknownProducts
from .models import IDEMPOTENCY_KEY_MAX_LENGTH
from .serializers import (
    OrderCreate,
    OrderListQuery,
    OrderPage,
    OrderPublic,
    ProductCreate,
    ProductListQuery,
    ProductPage,
    ProductPublic,
    public_orders,
    public_products,
)

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="One key per order (1-255 characters): a repeat with the same body answers "
    "the first order again, with another body it is 422.",
)


class ReadOrStaff(permissions.BasePermission):
    """Anyone may read; writing needs a signed-in staff user (401 anonymous, 403 others).

    A method the view does not offer passes, so that the answer is 405, not 401.
    """

    message = "Only staff may add products"

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in permissions.SAFE_METHODS or request.method not in view.allowed_methods:
            return True
        user = request.user
        if not (user and user.is_authenticated):
            raise exceptions.NotAuthenticated()
        return bool(user.is_staff)


class SignedIn(permissions.BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method not in view.allowed_methods:
            return True
        return bool(request.user and request.user.is_authenticated)


class ProductListView(APIView):
    permission_classes = (ReadOrStaff,)

    @extend_schema(
        operation_id="products_list",
        summary="List products",
        parameters=[ProductListQuery],
        responses={200: ProductPage, **error_responses(404, 422)},
        tags=["shop"],
    )
    def get(self, request: Request) -> Response:
        query = validated_query(ProductListQuery, request.query_params.dict())
        page = paginate(
            services.list_products(),
            request=request,
            page=query["page"],
            page_size=query["page_size"],
            serialize=public_products,
        )
        return Response(page)

    @extend_schema(
        summary="Add a product (staff)",
        request=ProductCreate,
        responses={201: ProductPublic, **error_responses(400, 401, 403, 413, 422)},
        tags=["shop"],
    )
    def post(self, request: Request) -> Response:
        data = validated(ProductCreate(data=request.data), location="body")
        product = services.create_product(**data)
        return Response(ProductPublic(product).data, status=status.HTTP_201_CREATED)


class OrderListView(APIView):
    permission_classes = (SignedIn,)

    @extend_schema(
        operation_id="orders_list",
        summary="List my orders",
        parameters=[OrderListQuery],
        responses={200: OrderPage, **error_responses(401, 404, 422)},
        tags=["shop"],
    )
    def get(self, request: Request) -> Response:
        query = validated_query(OrderListQuery, request.query_params.dict())
        page = paginate(
            services.orders_of(user=required_user(request)),
            request=request,
            page=query["page"],
            page_size=query["page_size"],
            serialize=public_orders,
        )
        return Response(page)

    @extend_schema(
        summary="Place an order",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=OrderCreate,
        responses={201: OrderPublic, **error_responses(400, 401, 409, 413, 422)},
        tags=["shop"],
    )
    def post(self, request: Request) -> Response:
        key = idempotency_key(request)
        data = validated(OrderCreate(data=request.data), location="body")
        try:
            placed = services.place_order(
                user=required_user(request),
                idempotency_key=key,
                body_fingerprint=services.fingerprint(request.data),
                items=data["items"],
            )
        except UnknownProducts as error:
            raise body_error("items", f"Unknown product: {ids(error)}", "unknown_product") from None
        except OutOfStock as error:
            raise Conflict(f"Not enough stock for product {ids(error)}") from None
        except IdempotencyKeyReused:
            raise header_error("This Idempotency-Key was used for another order") from None
        return Response(OrderPublic(placed.order).data, status=status.HTTP_201_CREATED)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Conflicts with existing data"
    default_code = "conflict"


def idempotency_key(request: Request) -> str:
    key: str = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if not key:
        raise header_error("This header is required.", code="required")
    if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise header_error(
            f"Ensure this header has no more than {IDEMPOTENCY_KEY_MAX_LENGTH} characters.",
            code="max_length",
        )
    return key


def header_error(message: str, *, code: str = "invalid") -> RequestValidationError:
    detail = {IDEMPOTENCY_HEADER: [exceptions.ErrorDetail(message, code=code)]}
    return RequestValidationError(detail, location="header")


def body_error(field: str, message: str, code: str) -> RequestValidationError:
    return RequestValidationError({field: [exceptions.ErrorDetail(message, code=code)]})


def ids(error: Any) -> str:
    return ", ".join(str(pk) for pk in error.args[0])
