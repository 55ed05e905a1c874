"""The questionnaire in a real pseudo-terminal: `stackpick new` and plain `copier copy`."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pexpect
import pytest

from tests.generator.helpers import answers_of
from tests.support import REPO_ROOT

DOWN = "\x1b[B"
ENTER = "\r"
CLEAR_LINE = "\x15"
PROMPT_TIMEOUT = 30
PROMPTS = (
    "human name",
    "kebab-case",
    "snake_case",
    "One line",
    "Your name",
    "email address",
    "What are you building?",
    "What does it need?",
    "concurrent traffic",
    "already know well",
    "Which framework?",
    "database",
)


def spawn(command: list[str]) -> pexpect.spawn[str]:
    child = pexpect.spawn(
        command[0],
        command[1:],
        cwd=str(REPO_ROOT),
        encoding="utf-8",
        timeout=PROMPT_TIMEOUT,
        dimensions=(50, 200),
        env={"TERM": "xterm", "PATH": "/usr/bin:/bin", "PROMPT_TOOLKIT_NO_CPR": "1"},
    )
    child.logfile_read = sys.stdout
    return child


def answer(child: pexpect.spawn[str], prompt: str, keys: str = ENTER) -> None:
    child.expect_exact(prompt)
    child.send(keys)


def finish(child: pexpect.spawn[str]) -> None:
    child.expect(pexpect.EOF, timeout=120)
    child.close()
    assert child.exitstatus == 0


def test_stackpick_new_asks_once_shows_the_reasons_and_takes_an_override(tmp_path: Path) -> None:
    destination = tmp_path / "pty-demo"
    child = spawn([sys.executable, "-m", "generator", "new", str(destination)])
    answer(child, "human name", CLEAR_LINE + "Pty Demo" + ENTER)
    for prompt in PROMPTS[1:6]:
        answer(child, prompt)
    answer(
        child, "What are you building?", DOWN * 3 + ENTER
    )  # Content site / CMS, from API backend
    answer(child, "What does it need?")
    answer(child, "concurrent traffic")
    answer(child, "already know well")
    child.expect_exact("Recommended: Django")
    child.expect_exact("source: Pillai Infotech")
    answer(child, "Which framework?", DOWN + ENTER)  # Flask, overriding Django
    answer(child, "database")
    finish(child)
    answers = answers_of(destination)
    assert answers["project_slug"] == "pty-demo"
    assert answers["app_kind"] == "cms"
    assert answers["framework"] == "flask"


def test_stackpick_new_rejects_a_bad_answer_in_place(tmp_path: Path) -> None:
    destination = tmp_path / "retry"
    child = spawn([sys.executable, "-m", "generator", "new", str(destination)])
    answer(child, "human name")
    answer(child, "kebab-case", CLEAR_LINE + "Bad Slug" + ENTER)
    child.expect_exact("project_slug must be kebab-case")
    child.send(CLEAR_LINE + "good-slug" + ENTER)
    for prompt in PROMPTS[2:]:
        answer(child, prompt)
    finish(child)
    assert answers_of(destination)["project_slug"] == "good-slug"


def test_ctrl_c_cancels_without_writing(tmp_path: Path) -> None:
    destination = tmp_path / "cancelled"
    child = spawn([sys.executable, "-m", "generator", "new", str(destination)])
    answer(child, "human name", "\x03")
    child.expect_exact("cancelled; nothing was written")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert not destination.exists()


@pytest.mark.skipif(shutil.which("git") is None, reason="copier needs git")
def test_plain_copier_copy_works_interactively_without_trust(tmp_path: Path) -> None:
    copier = str(Path(sys.executable).parent / "copier")
    destination = tmp_path / "by-copier"
    child = spawn([copier, "copy", "--vcs-ref", "HEAD", str(REPO_ROOT), str(destination)])
    for prompt in PROMPTS[:-2]:
        answer(child, prompt)
    answer(child, "Recommended: FastAPI")
    answer(child, "database")
    finish(child)
    answers = answers_of(destination)
    assert answers["framework"] == "fastapi"
    assert answers["features"] == ["accounts", "api_docs", "observability"]


@pytest.mark.skipif(shutil.which("git") is None, reason="copier needs git")
def test_plain_copier_ticks_the_features_of_the_app_kind(tmp_path: Path) -> None:
    copier = str(Path(sys.executable).parent / "copier")
    destination = tmp_path / "cms-by-copier"
    child = spawn([copier, "copy", "--vcs-ref", "HEAD", str(REPO_ROOT), str(destination)])
    for prompt in PROMPTS[:6]:
        answer(child, prompt)
    answer(child, "What are you building?", DOWN * 3 + ENTER)  # Content site / CMS, from API
    answer(child, "What does it need?")
    for prompt in PROMPTS[8:]:
        answer(child, prompt)
    finish(child)
    answers = answers_of(destination)
    assert answers["app_kind"] == "cms"
    assert answers["features"] == [
        "admin",
        "accounts",
        "html_pages",
        "api_docs",
        "jobs",
        "observability",
    ]
    assert answers["framework"] == "django"
