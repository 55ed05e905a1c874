"""The editors' login at /cms/login/, throttled like every other login."""

from wagtail.admin.forms.auth import LoginForm

from ..users.forms import ThrottledAuthenticationForm


class AdminLoginForm(ThrottledAuthenticationForm, LoginForm):
    """Wagtail's login form, counting each attempt before its password is checked."""
