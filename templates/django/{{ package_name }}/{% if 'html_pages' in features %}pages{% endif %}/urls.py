from django.contrib.auth import views as auth_views
from django.urls import path

from ..users.forms import ThrottledAuthenticationForm
from . import views
from .security import strict_csp

app_name = "pages"

login = auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm)

urlpatterns = [
    path("", strict_csp(views.article_list), name="article-list"),
    # Before the detail pattern: "new" is not a slug here.
    path("articles/new", strict_csp(views.article_new), name="article-new"),
    path("articles/<slug:slug>", strict_csp(views.article_detail), name="article-detail"),
    path("articles/<slug:slug>/edit", strict_csp(views.article_edit), name="article-edit"),
    path("register", strict_csp(views.register), name="register"),
    path("login", strict_csp(login), name="login"),
    path("logout", strict_csp(views.LogoutView.as_view()), name="logout"),
    path("forgot-password", strict_csp(views.forgot_password), name="forgot-password"),
    path("reset-password", strict_csp(views.reset_password), name="reset-password"),
    path("verify-email", strict_csp(views.verify_email), name="verify-email"),
]
