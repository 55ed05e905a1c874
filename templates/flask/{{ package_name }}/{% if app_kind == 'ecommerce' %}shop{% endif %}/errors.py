from ..errors import DomainError


class UnknownProduct(DomainError):
    """Unknown product."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index


class OutOfStock(DomainError):
    """Not enough stock for one or more items."""


class IdempotencyKeyReused(DomainError):
    """This Idempotency-Key was already used with another body."""
