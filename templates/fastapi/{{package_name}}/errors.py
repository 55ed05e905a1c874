"""The root of the domain errors that services raise and routes translate to HTTP."""


class DomainError(Exception):
    """A business rule said no; the message is safe to show to the caller."""

    message = "The request could not be completed."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
