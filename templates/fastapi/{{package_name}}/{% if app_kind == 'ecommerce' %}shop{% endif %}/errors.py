from ..errors import DomainError


class UnknownProducts(DomainError):
    """Some ordered products do not exist."""

    def __init__(self, product_ids: list[int]) -> None:
        super().__init__(f"Unknown product: {_listed(product_ids)}")


class OutOfStock(DomainError):
    """Some ordered products have fewer units than asked."""

    def __init__(self, product_ids: list[int]) -> None:
        super().__init__(f"Not enough stock for product {_listed(product_ids)}")


class IdempotencyKeyReused(DomainError):
    message = "This Idempotency-Key was used for another order"


def _listed(product_ids: list[int]) -> str:
    return ", ".join(str(product_id) for product_id in product_ids)
