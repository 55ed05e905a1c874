"""What can go wrong with products and orders."""

from ..core.errors import DomainError


class UnknownProducts(DomainError):
    """Some ordered products do not exist; `args[0]` holds their ids."""


class OutOfStock(DomainError):
    """Some ordered products have fewer units than asked; `args[0]` holds their ids."""


class IdempotencyKeyReused(DomainError):
    """The key already placed an order for another body."""
