"""Answers in, a cited framework recommendation out. Pure: no I/O beyond reading the rules."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ._jinja import rules_module

FRAMEWORKS = ("django", "flask", "fastapi")
FRAMEWORK_NAMES = {"django": "Django", "flask": "Flask", "fastapi": "FastAPI"}
RECOMMENDATION_INPUTS = ("app_kind", "features", "concurrency", "team_experience")


@dataclass(frozen=True)
class Reason:
    text: str
    source: str


@dataclass(frozen=True)
class Recommendation:
    framework: str
    scores: dict[str, int]
    reasons: tuple[Reason, ...]
    matched_rules: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "scores": self.scores,
            "reasons": [asdict(reason) for reason in self.reasons],
        }


def recommend(answers: Mapping[str, Any]) -> Recommendation:
    """The framework the guides point to for these answers, with the reasons why."""
    verdict = json.loads(
        str(
            rules_module().evaluate(
                answers["app_kind"],
                list(answers.get("features") or []),
                answers["concurrency"],
                answers["team_experience"],
            )
        )
    )
    return Recommendation(
        framework=verdict["framework"],
        scores={name: int(verdict["scores"][name]) for name in FRAMEWORKS},
        reasons=tuple(Reason(**reason) for reason in verdict["reasons"]),
        matched_rules=tuple(verdict["matched"]),
    )


def rules() -> Sequence[Mapping[str, Any]]:
    """The decision rules as data (for documentation and tests)."""
    found: Sequence[Mapping[str, Any]] = rules_module().RULES
    return found


def articles() -> Mapping[str, Mapping[str, str]]:
    found: Mapping[str, Mapping[str, str]] = rules_module().ARTICLES
    return found
