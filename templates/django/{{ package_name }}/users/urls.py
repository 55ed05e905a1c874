from django.urls import path

from . import views

app_name = "users"

urlpatterns = [
    path("auth/register", views.RegisterView.as_view(), name="register"),
    path("auth/token", views.TokenView.as_view(), name="token"),
    path("auth/refresh", views.RefreshView.as_view(), name="refresh"),
    path("auth/logout", views.LogoutView.as_view(), name="logout"),
    path("auth/password", views.PasswordChangeView.as_view(), name="password"),
    path("auth/password-reset", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "auth/password-reset/confirm",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("auth/verify-email", views.VerifyEmailView.as_view(), name="verify-email"),
    path(
        "auth/verify-email/resend",
        views.VerifyEmailResendView.as_view(),
        name="verify-email-resend",
    ),
    path("users/me", views.CurrentUserView.as_view(), name="me"),
]
