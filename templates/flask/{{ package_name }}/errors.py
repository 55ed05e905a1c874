"""The root of every domain error; services raise these, routes turn them into HTTP."""


class DomainError(Exception):
    """A business rule said no; the message is safe to show to the client."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.__doc__ or type(self).__name__)
        self.message = str(self)
