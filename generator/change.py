"""Changing a generated project's answers: `stackpick add` / `remove` and `stackpick diff`."""

from __future__ import annotations

import difflib
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._jinja import REPO_ROOT
from .errors import InvalidAnswer
from .questionnaire import Answers, Question, by_name, complete
from .recommend import FRAMEWORK_NAMES, RECOMMENDATION_INPUTS, recommend
from .render import copy_template, files_in
from .report import Changes, changes_since_commit, next_steps
from .update import (
    NotUpdatable,
    check_updatable,
    conflicted_files,
    is_remote,
    recorded_answers,
    update,
)

FEATURES = "features"


def template_folder(source: str) -> Path:
    """Where the questionnaire of a project's template is read: its own folder when local,
    this checkout for a remote one."""
    local = None if is_remote(source) else Path(source).expanduser()
    return local.resolve() if local and (local / "copier.yml").is_file() else REPO_ROOT


def questions_of(source: str) -> dict[str, Question]:
    return by_name(template_folder(source))


def current_answers(recorded: Mapping[str, Any], questions: Mapping[str, Question]) -> Answers:
    return {name: value for name, value in recorded.items() if name in questions}


def edit_answers(
    answers: Mapping[str, Any], pairs: Sequence[str], questions: Mapping[str, Question]
) -> Answers:
    """`key=value` replaces an answer; for a multiselect, `key=+x` adds x and `key=-x` drops it."""
    edited = dict(answers)
    for pair in pairs:
        key, sep, value = (part.strip() for part in pair.partition("="))
        if not sep or not key:
            raise InvalidAnswer(f"--data takes key=value, key=+item or key=-item (got '{pair}')")
        if key not in questions:
            raise InvalidAnswer(
                f"unknown question '{key}'; the questions are: {', '.join(questions)}"
            )
        question = questions[key]
        if question.multiselect and value[:1] in {"+", "-"}:
            edited[key] = _toggled(question, list(edited.get(key) or []), value)
        else:
            edited[key] = question.parse(value)
    return edited


def _toggled(question: Question, selected: list[str], edits: str) -> list[str]:
    chosen = set(selected)
    for item in (part.strip() for part in edits.split(",")):
        if item[:1] == "+":
            chosen.add(item[1:])
        elif item[:1] == "-":
            chosen.discard(item[1:])
        elif item:
            raise InvalidAnswer(
                f"{question.name}=+x,-y edits take + or - on every item (got '{item}')"
            )
    unknown = sorted(chosen - set(question.values))
    if unknown:
        raise InvalidAnswer(
            f"{question.name} takes any of {', '.join(question.values)} (got {', '.join(unknown)})"
        )
    return question.in_choice_order(sorted(chosen))


# --- add / remove ------------------------------------------------------------------------------


def changed_features(
    recorded: Mapping[str, Any],
    requested: Sequence[str],
    questions: Mapping[str, Question],
    *,
    adding: bool,
) -> list[str]:
    """The features after adding or removing `requested`; refuses what cannot be done."""
    feature_question = questions[FEATURES]
    valid = feature_question.values
    frameworks = questions["framework"].values if "framework" in questions else []
    have = list(recorded.get(FEATURES) or [])
    for name in requested:
        if name in frameworks or name.startswith("framework"):
            raise NotUpdatable(
                f"'{name}' is a framework, not a feature: a project's framework cannot change in "
                "place (its code is written for it); render a new project with "
                f"stackpick new DEST -d framework=... and move your code over"
            )
        if name not in valid:
            raise InvalidAnswer(f"unknown feature '{name}'; the features are: {', '.join(valid)}")
        if adding and name in have:
            raise InvalidAnswer(f"the project already has {name}; its features: {', '.join(have)}")
        if not adding and name not in have:
            raise InvalidAnswer(
                f"the project does not have {name}; its features: {', '.join(have) or 'none'}"
            )
    chosen = set(have) | set(requested) if adding else set(have) - set(requested)
    return feature_question.in_choice_order(sorted(chosen))


@dataclass(frozen=True)
class Outcome:
    project: Path
    features: list[str]
    changes: Changes
    conflicts: list[str]
    notes: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)


def change_features(
    project: Path, requested: Sequence[str], *, adding: bool, lock: bool = True
) -> Outcome:
    """Re-render the project at its own template version with features added or removed."""
    project = project.expanduser().resolve()
    recorded = check_updatable(project, {})
    if not requested:
        raise InvalidAnswer("name at least one feature")
    questions = questions_of(str(recorded["_src_path"]))
    features = changed_features(recorded, requested, questions, adding=adding)
    commit = recorded.get("_commit")
    updated = update(
        project, {FEATURES: features}, vcs_ref=str(commit) if commit else None, lock=lock
    )
    changes = changes_since_commit(updated.project)
    notes = [*updated.notes, *_recommendation_note(recorded, features)]
    return Outcome(
        project=updated.project,
        features=features,
        changes=changes,
        conflicts=conflicted_files(updated.project),
        notes=notes,
        next_steps=next_steps(updated.project, changes),
    )


def _recommendation_note(recorded: Mapping[str, Any], features: list[str]) -> list[str]:
    if not all(name in recorded for name in RECOMMENDATION_INPUTS):
        return []
    picked = recommend({**recorded, FEATURES: features}).framework
    if picked == recorded.get("framework"):
        return []
    current = FRAMEWORK_NAMES.get(str(recorded.get("framework")), str(recorded.get("framework")))
    return [
        f"With these features stackpick would now recommend {FRAMEWORK_NAMES[picked]}; the "
        f"project stays on {current} (a framework cannot change in place)."
    ]


# --- diff --------------------------------------------------------------------------------------


def diff_project(project: Path, pairs: Sequence[str]) -> str:
    """A unified diff from the project's recorded answers to the edited ones; touches nothing."""
    if not pairs:
        raise InvalidAnswer("diff needs at least one --data change, like features=+admin")
    project = project.expanduser().resolve()
    recorded = recorded_answers(project)
    source = str(recorded["_src_path"])
    questions = questions_of(source)
    template = template_folder(source)
    before = complete(current_answers(recorded, questions), template)
    after = complete(edit_answers(before, pairs, questions), template)
    if after.get("framework") != before.get("framework"):
        raise NotUpdatable(
            "the framework cannot change in place; render a new project with stackpick new"
        )
    commit = recorded.get("_commit")
    with tempfile.TemporaryDirectory(prefix="stackpick-diff-") as scratch:
        old, new = Path(scratch) / "a", Path(scratch) / "b"
        copy_template(source, old, before, str(commit) if commit else None)
        copy_template(source, new, after, str(commit) if commit else None)
        return unified_diff(old, new)


def _lines(path: Path) -> list[str] | None:
    try:
        return path.read_text().splitlines(keepends=True)
    except UnicodeDecodeError:
        return None


def unified_diff(before: Path, after: Path) -> str:
    """Every file that differs between two renders, as `git diff` would show them."""
    old_files, new_files = files_in(before), files_in(after)
    chunks: list[str] = []
    for name in sorted(old_files | new_files):
        old = before / name if name in old_files else None
        new = after / name if name in new_files else None
        if old and new and old.read_bytes() == new.read_bytes():
            continue
        chunks.append(_file_diff(name, old, new))
    return "".join(chunks)


def _file_diff(name: str, old: Path | None, new: Path | None) -> str:
    old_lines = _lines(old) if old else []
    new_lines = _lines(new) if new else []
    if old_lines is None or new_lines is None:
        return f"Binary files a/{name} and b/{name} differ\n"
    lines = difflib.unified_diff(
        old_lines,
        new_lines,
        fromfile=f"a/{name}" if old else "/dev/null",
        tofile=f"b/{name}" if new else "/dev/null",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
