"""stackpick: answer a few questions, get the right Python web starter."""

from .cli import main
from .recommend import Recommendation, recommend

__all__ = ["Recommendation", "main", "recommend"]
