from django.conf import settings
from django.db import models

NAME_MAX_LENGTH = 200
SLUG_MAX_LENGTH = 220
PRICE_MAX_DIGITS = 10
# Up to 100 lines of up to 1,000,000 units at the largest price.
TOTAL_MAX_DIGITS = 20
IDEMPOTENCY_KEY_MAX_LENGTH = 255


class Product(models.Model):
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    slug = models.SlugField(max_length=SLUG_MAX_LENGTH, unique=True)
    price = models.DecimalField(max_digits=PRICE_MAX_DIGITS, decimal_places=2)
    stock = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("name", "id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="shop_price_not_negative"
            ),
        )

    def __str__(self) -> str:
        return self.name


class Order(models.Model):
    PLACED = "placed"
    STATUSES = ((PLACED, "Placed"),)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="orders"
    )
    status = models.CharField(max_length=20, choices=STATUSES, default=PLACED)
    total = models.DecimalField(max_digits=TOTAL_MAX_DIGITS, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    idempotency_key = models.CharField(max_length=IDEMPOTENCY_KEY_MAX_LENGTH)
    # SHA-256 of the request body's canonical JSON: a replay must send the same body.
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=("user", "idempotency_key"), name="shop_order_idempotency_key_per_user"
            ),
        )

    def __str__(self) -> str:
        return f"Order {self.pk}"


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_items")
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=PRICE_MAX_DIGITS, decimal_places=2)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id}"
