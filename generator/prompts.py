"""Asking the questionnaire in a terminal, once, with the recommendation shown before the choice."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import questionary

from ._jinja import REPO_ROOT
from .errors import Cancelled
from .questionnaire import Answers, Question, load
from .recommend import FRAMEWORK_NAMES, Recommendation, recommend

Printer = Callable[[str], None]


def describe(recommendation: Recommendation) -> str:
    """The recommendation as a person reads it: the pick, the scores, the cited reasons."""
    scores = ", ".join(
        f"{FRAMEWORK_NAMES[name]} {score}" for name, score in recommendation.scores.items()
    )
    lines = [f"Recommended: {FRAMEWORK_NAMES[recommendation.framework]} (scores: {scores})"]
    lines += [
        f"  - {reason.text}\n      source: {reason.source}" for reason in recommendation.reasons
    ]
    return "\n".join(lines)


def _ask_one(question: Question, default: Any, answers: Mapping[str, Any]) -> Any:
    message = question.help_for(answers)

    def validate(value: Any) -> bool | str:
        return question.problem_with(value, answers) or True

    if question.multiselect:
        choices = [
            questionary.Choice(label, value=value, checked=value in (default or []))
            for label, value in question.choices.items()
        ]
        prompt = questionary.checkbox(message, choices=choices, validate=validate)
    elif question.choices:
        choices = [
            questionary.Choice(label, value=value) for label, value in question.choices.items()
        ]
        prompt = questionary.select(message, choices=choices, default=default)
    else:
        prompt = questionary.text(message, default=str(default or ""), validate=validate)
    answer = prompt.unsafe_ask()
    return answer.strip() if isinstance(answer, str) else answer


def ask(given: Mapping[str, Any], template: Path = REPO_ROOT, show: Printer = print) -> Answers:
    """Every answer: those given as flags are kept, the rest are asked."""
    answers: Answers = {}
    try:
        for question in load(template):
            if question.name in given:
                answers[question.name] = given[question.name]
                continue
            default = question.default_for(answers)
            if question.name == "framework":
                show(describe(recommend(answers)))
            answers[question.name] = _ask_one(question, default, answers)
    except KeyboardInterrupt:
        raise Cancelled("cancelled; nothing was written") from None
    return answers
