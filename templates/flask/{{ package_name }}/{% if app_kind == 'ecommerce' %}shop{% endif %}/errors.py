from ..errors import DomainError


class UnknownProduct(DomainError):
    """Unknown product."""

    def __init__(self, product_id: int) -> None:
        super().__init__(f"Unknown product: {product_id}.")


class OutOfStock(DomainError):
    """Not enough stock for one or more items."""


class IdempotencyKeyReused(DomainError):
    """This Idempotency-Key was already used with another body."""
