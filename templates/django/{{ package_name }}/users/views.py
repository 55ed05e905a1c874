"""Registration, tokens and the current user."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, parsers, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..core.exceptions import validated
from ..core.schema import error_responses
from . import services
from .authentication import required_user
from .errors import EmailTaken, InvalidCredentials, UsernameTaken
from .serializers import Token, TokenRequest, UserCreate, UserPublic
from .throttle import LoginThrottle


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class TooManyAttempts(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "Too many failed login attempts; try again later"
    default_code = "throttled"

    def __init__(self, *, wait: int) -> None:
        super().__init__()
        self.wait = wait


class RegisterView(APIView):
    authentication_classes = ()

    @extend_schema(
        request=UserCreate,
        responses={201: UserPublic, **error_responses(400, 409, 413, 422)},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = validated(UserCreate(data=request.data))
        try:
            user = services.register_user(
                username=str(data["username"]),
                email=str(data["email"]),
                password=str(data["password"]),
            )
        except UsernameTaken:
            raise Conflict("That username is taken") from None
        except EmailTaken:
            raise Conflict("That email is already registered") from None
        headers = {"Location": request.build_absolute_uri(reverse("users:me"))}
        return Response(UserPublic(user).data, status=status.HTTP_201_CREATED, headers=headers)


class TokenView(APIView):
    """OAuth2 password grant: form-encoded username and password."""

    parser_classes = (parsers.FormParser, parsers.MultiPartParser)

    @extend_schema(
        request={"application/x-www-form-urlencoded": TokenRequest},
        responses={200: Token, **error_responses(401, 413, 422, 429)},
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = validated(TokenRequest(data=request.data))
        username, password = str(data["username"]), str(data["password"])
        # Counted before the password is checked, so that parallel guesses cannot outrun it.
        throttle = LoginThrottle(username=username, client_ip=client_ip(request))
        if (wait := throttle.attempt()) is not None:
            raise TooManyAttempts(wait=wait)
        try:
            user = services.authenticate(username=username, password=password)
        except InvalidCredentials:
            raise exceptions.AuthenticationFailed("Incorrect username or password") from None
        throttle.reset()
        token = services.create_access_token(user=user)
        body = {"access_token": token.value, "token_type": "bearer", "expires_in": token.expires_in}
        return Response(body, headers={"Cache-Control": "no-store"})


def client_ip(request: Request) -> str:
    """The client's address: the peer's, or as a TRUSTED_PROXIES proxy says (core.middleware)."""
    return str(request.META.get("REMOTE_ADDR", ""))


class CurrentUserView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(responses={200: UserPublic, **error_responses(401)}, tags=["users"])
    def get(self, request: Request) -> Response:
        return Response(UserPublic(required_user(request)).data)
