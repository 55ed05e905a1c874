from django.urls import path

from . import views

app_name = "users"

urlpatterns = [
    path("auth/register", views.RegisterView.as_view(), name="register"),
    path("auth/token", views.TokenView.as_view(), name="token"),
    path("users/me", views.CurrentUserView.as_view(), name="me"),
]
