"""Registration, tokens, passwords, email verification and the current user."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, parsers, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..core.exceptions import RequestValidationError, validated
from ..core.schema import error_responses
from . import account_tokens, services
from .authentication import required_user
from .errors import EmailTaken, InvalidCredentials, InvalidToken, UsernameTaken, WrongPassword
from .serializers import (
    EmailVerification,
    Message,
    PasswordChange,
    PasswordResetConfirm,
    PasswordResetRequest,
    RefreshRequest,
    Token,
    TokenRequest,
    UserCreate,
    UserPublic,
    error_details,
)
from .throttle import LoginThrottle, Throttle, password_reset_throttle, verification_throttle

RESET_SENT = "If the address is registered, a reset link has been sent."
VERIFICATION_SENT = "A verification link has been sent."


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


class InvalidRefreshToken(exceptions.APIException):
    """401 from a view without authenticators (where AuthenticationFailed would turn 403)."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = "Invalid, expired or revoked refresh token"
    default_code = "invalid_token"
    auth_header = "Bearer"


class BadRequest(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_request"


class BadToken(BadRequest):
    default_detail = "The token is invalid, used or expired"
    default_code = "invalid_token"


class TooManyRequests(TooManyAttempts):
    default_detail = "Too many requests; try again later"


def throttled(throttle: Throttle) -> None:
    """Count the request; 429 with Retry-After past the limit."""
    if (wait := throttle.attempt()) is not None:
        raise TooManyRequests(wait=wait)


def weak_password(field: str, error: DjangoValidationError) -> RequestValidationError:
    return RequestValidationError({field: error_details(error)})


def token_body(pair: services.TokenPair) -> Response:
    body = {
        "access_token": pair.access.value,
        "token_type": "bearer",
        "expires_in": pair.access.expires_in,
        "refresh_token": pair.refresh_token,
    }
    return Response(body, headers={"Cache-Control": "no-store"})


class RegisterView(APIView):
    authentication_classes = ()

    @extend_schema(
        summary="Register an account",
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
        summary="Log in: an access and a refresh token",
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
        return token_body(services.issue_tokens(user=user))


def client_ip(request: Request) -> str:
    """The client's address: the peer's, or as a TRUSTED_PROXIES proxy says (core.middleware)."""
    return str(request.META.get("REMOTE_ADDR", ""))


class CurrentUserView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(
        summary="The signed-in user",
        responses={200: UserPublic, **error_responses(401)},
        tags=["users"],
    )
    def get(self, request: Request) -> Response:
        return Response(UserPublic(required_user(request)).data)


class RefreshView(APIView):
    authentication_classes = ()

    @extend_schema(
        summary="Exchange a refresh token for a new pair",
        request=RefreshRequest,
        responses={200: Token, **error_responses(400, 401, 413, 422)},
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = validated(RefreshRequest(data=request.data))
        try:
            pair = services.refresh_tokens(refresh_token=str(data["refresh_token"]))
        except InvalidToken:
            raise InvalidRefreshToken() from None
        return token_body(pair)


class LogoutView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(
        summary="Log out: revoke the refresh token, deny the access token",
        request=RefreshRequest,
        responses={204: None, **error_responses(400, 401, 413, 422)},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = validated(RefreshRequest(data=request.data))
        services.logout(
            user=required_user(request),
            access_token=str(request.auth),
            refresh_token=str(data["refresh_token"]),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(
        summary="Change the password",
        request=PasswordChange,
        responses={204: None, **error_responses(400, 401, 413, 422)},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = validated(PasswordChange(data=request.data))
        try:
            services.change_password(
                user=required_user(request),
                current_password=str(data["current_password"]),
                new_password=str(data["new_password"]),
            )
        except WrongPassword:
            raise BadRequest("The current password is wrong") from None
        except DjangoValidationError as error:
            raise weak_password("new_password", error) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetView(APIView):
    authentication_classes = ()

    @extend_schema(
        summary="Mail a password reset link",
        request=PasswordResetRequest,
        responses={202: Message, **error_responses(400, 413, 422, 429)},
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        email = str(validated(PasswordResetRequest(data=request.data))["email"])
        throttled(password_reset_throttle(email=email, client_ip=client_ip(request)))
        account_tokens.send_password_reset(email=email)
        return Response({"detail": RESET_SENT}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(APIView):
    authentication_classes = ()

    @extend_schema(
        summary="Set a new password with a reset token",
        request=PasswordResetConfirm,
        responses={204: None, **error_responses(400, 413, 422)},
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = validated(PasswordResetConfirm(data=request.data))
        try:
            account_tokens.reset_password(token=str(data["token"]), password=str(data["password"]))
        except InvalidToken:
            raise BadToken() from None
        except DjangoValidationError as error:
            raise weak_password("password", error) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class VerifyEmailView(APIView):
    authentication_classes = ()

    @extend_schema(
        summary="Verify the email address with a mailed token",
        request=EmailVerification,
        responses={204: None, **error_responses(400, 413, 422)},
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = validated(EmailVerification(data=request.data))
        try:
            account_tokens.verify_email(token=str(data["token"]))
        except InvalidToken:
            raise BadToken() from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class VerifyEmailResendView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(
        summary="Mail another verification link",
        request=None,
        responses={202: Message, **error_responses(401, 429)},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        user = required_user(request)
        throttled(verification_throttle(username=user.username))
        account_tokens.send_verification(user)
        return Response({"detail": VERIFICATION_SENT}, status=status.HTTP_202_ACCEPTED)
