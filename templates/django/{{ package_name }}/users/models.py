from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """The account model, custom from day one so it can grow without a painful migration."""

    email = models.EmailField("email address")

    class Meta:
        constraints = (models.UniqueConstraint(Lower("email"), name="users_user_email_ci_unique"),)

    def __str__(self) -> str:
        return self.username
