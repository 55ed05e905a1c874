from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """The account model, custom from day one so it can grow without a painful migration."""

    email = models.EmailField("email address")
    email_verified = models.BooleanField(default=False)

    class Meta:
        constraints = (models.UniqueConstraint(Lower("email"), name="users_user_email_ci_unique"),)

    def __str__(self) -> str:
        return self.username


class AccountToken(models.Model):
    """A single-use token mailed to the user; only its SHA-256 is stored."""

    class Purpose(models.TextChoices):
        PASSWORD_RESET = "password_reset"
        EMAIL_VERIFICATION = "email_verification"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_tokens")
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "account_tokens"

    def __str__(self) -> str:
        return f"{self.purpose} of {self.user_id}"


class RefreshToken(models.Model):
    """An opaque refresh token (stored as its SHA-256); each use replaces it with a new one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="refresh_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    # Every token rotated from one login shares the family of the first.
    family = models.UUIDField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces"
    )

    class Meta:
        db_table = "refresh_tokens"

    def __str__(self) -> str:
        return f"refresh token of {self.user_id}"


class DeniedAccessToken(models.Model):
    """The jti of an access token logged out before it expired."""

    jti = models.CharField(max_length=64, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "denied_access_tokens"

    def __str__(self) -> str:
        return self.jti
