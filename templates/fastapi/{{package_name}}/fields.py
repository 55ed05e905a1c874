"""Input types shared by every feature's schemas."""

from typing import Annotated

from pydantic import AfterValidator


def storable_text(value: str) -> str:
    """Text every database can store and every response can encode."""
    # PostgreSQL cannot store NUL in text; refuse it at the edge instead of failing later.
    if "\x00" in value:
        raise ValueError("Must not contain NUL characters")
    # JSON lets "\ud800" through: half of a UTF-16 pair, which UTF-8 cannot encode.
    if not value.isascii():
        try:
            value.encode()
        except UnicodeEncodeError:
            raise ValueError("Must not contain lone surrogates") from None
    return value


NoNul = AfterValidator(storable_text)
Text = Annotated[str, NoNul]
