"""Every user mistake becomes one StackpickError, shown as one line."""

from __future__ import annotations

from collections.abc import Sequence

SHOWN_ENTRIES = 10


def listing(names: Sequence[str]) -> str:
    """Names for a one-line message: the first few, then how many more."""
    shown = ", ".join(names[:SHOWN_ENTRIES])
    more = len(names) - SHOWN_ENTRIES
    return shown + (f" and {more} more" if more > 0 else "")


class StackpickError(Exception):
    """A problem the user can fix; its message is the whole explanation."""

    exit_code = 2


class InvalidAnswer(StackpickError):
    """An answer that the questionnaire does not accept."""


class DestinationNotEmpty(StackpickError):
    """Rendering would touch files that are already there."""


class TemplateNotFound(StackpickError):
    """The template source is missing or is not a stackpick template."""


class Cancelled(StackpickError):
    """The user stopped the questionnaire."""

    exit_code = 130
