"""`stackpick` on the command line: flags without a terminal, and bad input."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.lock import uv_executable
from tests.generator.helpers import answers_of, stackpick, template_repository
from tests.support import REPO_ROOT


def test_recommend_prints_json_with_scores_and_cited_reasons() -> None:
    result = stackpick("recommend", "--data", "app_kind=ml_serving", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["framework"] == "fastapi"
    assert set(data["scores"]) == {"django", "flask", "fastapi"}
    assert data["reasons"][0]["source"].startswith("Pillai Infotech")


def test_recommend_prints_a_readable_explanation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", "-d", "app_kind=cms", "-d", "features=admin,html_pages"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("Recommended: Django")
    assert "source: Pillai Infotech" in shown


def test_new_without_a_terminal_renders_from_flags(tmp_path: Path) -> None:
    destination = tmp_path / "orders"
    result = stackpick(
        "new",
        str(destination),
        "-d",
        "project_name=Orders",
        "-d",
        "app_kind=internal_tool",
        "-d",
        "features=",
        "--no-lock",
    )
    assert result.returncode == 0, result.stderr
    answers = answers_of(destination)
    assert answers["framework"] == "flask"
    assert answers["project_slug"] == "orders"
    assert answers["features"] == []
    assert str(destination) in result.stdout


def test_new_honours_an_override_of_the_recommendation(tmp_path: Path) -> None:
    result = stackpick(
        "new", str(tmp_path / "x"), "-d", "app_kind=cms", "-d", "framework=fastapi", "--no-lock"
    )
    assert result.returncode == 0, result.stderr
    assert answers_of(tmp_path / "x")["framework"] == "fastapi"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["-d", "project_slug=Not A Slug"], "project_slug must be kebab-case"),
        (["-d", "author_email=nobody"], "author_email must look like"),
        (["-d", "framework=rails"], "framework must be one of django, flask, fastapi"),
        (["-d", "features=admin,blockchain"], "features takes any of"),
        (["-d", "flavour=vanilla"], "unknown question 'flavour'"),
        (["-d", "novalue"], "--data takes key=value"),
        (["--template", "/no/such/template"], "template not found"),
        (["--bogus-flag"], "unrecognized arguments"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    destination = tmp_path / "project"
    result = stackpick("new", str(destination), *arguments)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("stackpick: error: ")
    assert "Traceback" not in result.stderr
    assert not destination.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_non_empty_destination_is_refused_naming_the_files_it_would_touch(
    tmp_path: Path,
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / ".copier-answers.yml").write_text("my own answers")
    result = stackpick("new", str(tmp_path))
    assert result.returncode == 2
    assert "the starter would overwrite .copier-answers.yml;" in result.stderr
    assert "--keep-existing" in result.stderr
    assert result.stderr.count("\n") == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == [".copier-answers.yml", "notes.txt"]
    assert (tmp_path / ".copier-answers.yml").read_text() == "my own answers"


def test_a_non_empty_destination_without_overlap_is_refused_too(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = stackpick("new", str(tmp_path))
    assert result.returncode == 2
    assert "it holds notes.txt" in result.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


def test_keep_existing_adds_the_starter_and_keeps_every_existing_file(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "notes.txt").write_text("mine")
    (project / ".copier-answers.yml").write_text("my own answers")
    result = stackpick("new", str(project), "--keep-existing", "-d", "framework=flask", "--no-lock")
    assert result.returncode == 0, result.stderr
    assert "Kept your existing files as they were: .copier-answers.yml" in result.stdout
    assert (project / ".copier-answers.yml").read_text() == "my own answers"
    assert (project / "notes.txt").read_text() == "mine"
    assert len(list(project.rglob("*"))) > 2
    assert [path.name for path in tmp_path.iterdir()] == ["project"]


def test_an_empty_existing_destination_is_fine(tmp_path: Path) -> None:
    destination = tmp_path / "empty"
    destination.mkdir()
    assert stackpick("new", str(destination), "--no-lock").returncode == 0
    assert (destination / ".copier-answers.yml").is_file()


def test_a_file_as_destination_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("keep")
    result = stackpick("new", str(target))
    assert result.returncode == 2
    assert "is not a folder" in result.stderr
    assert target.read_text() == "keep"


def test_a_failed_render_leaves_nothing_behind(tmp_path: Path) -> None:
    broken = tmp_path / "broken-template"
    broken.mkdir()
    (broken / "copier.yml").write_text((REPO_ROOT / "copier.yml").read_text())
    destination = tmp_path / "out"
    result = stackpick("new", str(destination), "--template", str(broken))
    assert result.returncode == 2
    assert "rendering failed, nothing was written" in result.stderr
    assert result.stderr.count("\n") == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == ["broken-template"]


def test_missing_command_is_a_usage_error() -> None:
    result = stackpick()
    assert result.returncode == 2
    assert "see 'stackpick --help'" in result.stderr


def test_new_writes_a_current_uv_lock(tmp_path: Path) -> None:
    destination = tmp_path / "locked"
    result = stackpick("new", str(destination), "-d", "framework=flask")
    assert result.returncode == 0, result.stderr
    if "Could not lock" in result.stdout:
        pytest.skip(f"no package index reachable: {result.stdout}")
    assert "flask" in (destination / "uv.lock").read_text().lower()
    checked = subprocess.run(
        [uv_executable(), "lock", "--check", "--offline"],
        cwd=destination,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["locked"]


def test_no_lock_writes_no_lock_file(tmp_path: Path) -> None:
    result = stackpick("new", str(tmp_path / "unlocked"), "--no-lock")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "unlocked" / "uv.lock").exists()
    assert (tmp_path / "unlocked" / "pyproject.toml").is_file()


def test_a_lock_that_cannot_be_made_still_renders_and_says_so(tmp_path: Path) -> None:
    destination = tmp_path / "offline"
    unreachable = {"UV_DEFAULT_INDEX": "http://127.0.0.1:9/simple", "UV_NO_CACHE": "1"}
    result = stackpick("new", str(destination), env=unreachable)
    assert result.returncode == 0, result.stderr
    assert "Could not lock the dependencies" in result.stdout
    assert "`make setup` will lock them" in result.stdout
    assert (destination / "pyproject.toml").is_file()
    assert not (destination / "uv.lock").exists()


def test_a_render_of_uncommitted_template_changes_says_what_that_means(tmp_path: Path) -> None:
    template = template_repository(tmp_path / "template")
    (template / "NOTES.md").write_text("a local edit")
    result = stackpick("new", str(tmp_path / "out"), "--template", str(template), "--no-lock")
    assert result.returncode == 0, result.stderr
    assert "The template has uncommitted changes" in result.stdout
    clean = stackpick(
        "new",
        str(tmp_path / "clean"),
        "--template",
        str(template),
        "--vcs-ref",
        "v1.0.0",
        "--no-lock",
    )
    assert clean.returncode == 0, clean.stderr
    assert "The template has uncommitted changes" not in clean.stdout
