"""The base of every domain error that services raise."""


class DomainError(Exception):
    """A rule of the domain was broken; routes turn it into an HTTP answer."""
