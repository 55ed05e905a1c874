"""Input types shared by every feature's schemas."""

from typing import Annotated

from pydantic import AfterValidator


def without_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; refuse it at the edge instead of failing later.
    if "\x00" in value:
        raise ValueError("Must not contain NUL characters")
    return value


NoNul = AfterValidator(without_nul)
Text = Annotated[str, NoNul]
