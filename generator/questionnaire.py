"""The questions of copier.yml, read as data, with their defaults and validators.

The CLI asks and checks answers with exactly the expressions Copier uses, so an
answer the CLI accepts is one Copier accepts, and the other way round.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ._jinja import REPO_ROOT, render_string
from .errors import InvalidAnswer, TemplateNotFound

Answers = dict[str, Any]


@dataclass(frozen=True)
class Question:
    name: str
    help: str
    default: Any = None
    choices: dict[str, str] = field(default_factory=dict)
    multiselect: bool = False
    validator: str = ""

    @property
    def values(self) -> list[str]:
        return list(self.choices.values())

    def default_for(self, answers: Mapping[str, Any]) -> Any:
        """The default, rendered against the answers given so far."""
        if isinstance(self.default, str):
            rendered = render_string(self.default, dict(answers)).strip()
            return self.in_choice_order(yaml.safe_load(rendered)) if self.multiselect else rendered
        if isinstance(self.default, list):
            return self.in_choice_order(self.default)
        return self.default

    def in_choice_order(self, selected: list[Any]) -> list[str]:
        """A multiselect answer ordered as the choices are, the way Copier records it."""
        chosen = {str(item) for item in selected}
        return [value for value in self.values if value in chosen]

    def help_for(self, answers: Mapping[str, Any]) -> str:
        """The help text, rendered against the answers given so far; first line only."""
        return render_string(self.help, dict(answers)).strip().splitlines()[0]

    def problem_with(self, value: Any, answers: Mapping[str, Any]) -> str | None:
        """Why `value` is not acceptable, or None when it is."""
        if self.multiselect:
            unknown = [item for item in value if item not in self.values]
            if unknown:
                return (
                    f"{self.name} takes any of {', '.join(self.values)} (got {', '.join(unknown)})"
                )
        elif self.choices and value not in self.values:
            return f"{self.name} must be one of {', '.join(self.values)} (got '{value}')"
        if self.validator:
            message = render_string(self.validator, {**answers, self.name: value}).strip()
            return message or None
        return None

    def parse(self, text: str) -> Any:
        """An answer given as text on the command line."""
        if not self.multiselect:
            return text.strip()
        text = text.strip()
        if text.startswith("["):
            parsed = yaml.safe_load(text)
            if not isinstance(parsed, list):
                raise InvalidAnswer(f"{self.name} takes a comma-separated list (got '{text}')")
            return [str(item) for item in parsed]
        return [item.strip() for item in text.split(",") if item.strip()]


def _question(name: str, spec: Mapping[str, Any]) -> Question:
    raw_choices = spec.get("choices") or {}
    choices = (
        {str(label): str(value) for label, value in raw_choices.items()}
        if isinstance(raw_choices, dict)
        else {str(value): str(value) for value in raw_choices}
    )
    return Question(
        name=name,
        help=str(spec.get("help", name)).strip(),
        default=spec.get("default"),
        choices=choices,
        multiselect=bool(spec.get("multiselect", False)),
        validator=str(spec.get("validator", "")),
    )


@cache
def load(template: Path = REPO_ROOT) -> tuple[Question, ...]:
    """The questions of `template`/copier.yml in the order Copier asks them."""
    path = template / "copier.yml"
    try:
        spec = yaml.safe_load(path.read_text())
    except OSError as error:
        raise TemplateNotFound(f"no copier.yml in {template} ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise TemplateNotFound(f"{path} is not valid YAML: {error}") from None
    if not isinstance(spec, dict):
        raise TemplateNotFound(f"{path} does not define a questionnaire")
    return tuple(
        _question(name, value)
        for name, value in spec.items()
        if not name.startswith("_") and isinstance(value, dict)
    )


def by_name(template: Path = REPO_ROOT) -> dict[str, Question]:
    return {question.name: question for question in load(template)}


def parse_data(pairs: list[str], template: Path = REPO_ROOT) -> Answers:
    """`key=value` pairs from the command line, checked against the questionnaire."""
    known = by_name(template)
    answers: Answers = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidAnswer(f"--data takes key=value (got '{pair}')")
        if key not in known:
            raise InvalidAnswer(f"unknown question '{key}'; the questions are: {', '.join(known)}")
        answers[key] = known[key].parse(value)
    return answers


def complete(given: Mapping[str, Any], template: Path = REPO_ROOT) -> Answers:
    """Every answer: the given ones, checked, and defaults for the rest, in order."""
    answers: Answers = {}
    for question in load(template):
        value = given[question.name] if question.name in given else question.default_for(answers)
        problem = question.problem_with(value, answers)
        if problem:
            raise InvalidAnswer(problem)
        answers[question.name] = value
    return answers
