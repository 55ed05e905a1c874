"""Every framework renders cleanly across a pairwise matrix of answers.

The matrix covers every pair of (framework, database, each optional feature)
values at least once; each render must leave no template syntax behind, be
ruff-clean, and pass its own test suite.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from copier.errors import CopierError

from tests.support import FRAMEWORKS, ensure_venv, redis_url, render, run, starter_env

REDIS_DATABASE = 12
OPTIONAL_FEATURES = ("admin", "html_pages", "websockets", "jobs", "observability")
ANSWER_NAMES = (
    "project_name|project_slug|package_name|description|author_name|author_email|app_kind"
    "|features|concurrency|team_experience|framework|database|_copier_\\w+"
)
LEFTOVER = re.compile(
    r"\{\{-?\s*(" + ANSWER_NAMES + r")\b"
    r"|\{%-?\s*(if|for|elif|set|include|from)\b[^%]*\b(" + ANSWER_NAMES + r"|templates/_shared)\b"
)
TEXT_SUFFIXES = {
    ".py",
    ".md",
    ".toml",
    ".yml",
    ".yaml",
    ".cfg",
    ".ini",
    ".txt",
    ".html",
    ".example",
    "",
}


@dataclass(frozen=True)
class Combination:
    framework: str
    database: str
    features: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.framework}-{self.database}-{'+'.join(self.features) or 'bare'}"


def pairwise_matrix() -> list[Combination]:
    """Each framework with everything and with nothing, plus the mixed cases that complete
    the pairs (checked by test_the_matrix_covers_every_pair_of_values)."""
    everything = ("accounts", "api_docs", *OPTIONAL_FEATURES)
    combos = [Combination(framework, "sqlite", everything) for framework in FRAMEWORKS]
    combos += [Combination(framework, "postgresql", ()) for framework in FRAMEWORKS]
    return [
        *combos,
        Combination("flask", "sqlite", ("admin", "html_pages")),
        Combination("fastapi", "postgresql", ("websockets", "jobs", "observability")),
        Combination("django", "sqlite", ("websockets",)),
        Combination("django", "postgresql", ("admin", "jobs")),
        Combination("flask", "postgresql", ("html_pages", "observability")),
    ]


MATRIX = pairwise_matrix()


def test_the_matrix_covers_every_pair_of_values() -> None:
    def factors(combo: Combination) -> list[tuple[str, object]]:
        return [("framework", combo.framework), ("database", combo.database)] + [
            (feature, feature in combo.features) for feature in OPTIONAL_FEATURES
        ]

    seen = {pair for combo in MATRIX for pair in itertools.combinations(factors(combo), 2)}
    values: dict[str, list[object]] = {
        "framework": list(FRAMEWORKS),
        "database": ["sqlite", "postgresql"],
        **{feature: [True, False] for feature in OPTIONAL_FEATURES},
    }
    names = list(values)
    wanted = {
        ((a, x), (b, y))
        for a, b in itertools.combinations(names, 2)
        for x in values[a]
        for y in values[b]
    }
    assert wanted - seen == set()


@pytest.fixture(scope="module", params=MATRIX, ids=lambda combo: combo.id)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    combo: Combination = request.param
    destination = tmp_path_factory.mktemp("matrix") / combo.id
    return render(
        combo.framework, destination, database=combo.database, features=list(combo.features)
    )


def rendered_text_files(project: Path) -> list[Path]:
    return [
        path
        for path in project.rglob("*")
        if path.is_file() and (path.suffix in TEXT_SUFFIXES or path.name.startswith("."))
    ]


def test_no_template_syntax_is_left_behind(rendered: Path) -> None:
    leftovers = [
        f"{path.relative_to(rendered)}: {match.group(0)}"
        for path in rendered_text_files(rendered)
        for match in LEFTOVER.finditer(path.read_text(errors="replace"))
    ]
    assert leftovers == []
    assert list(rendered.rglob("*.jinja")) == []


def test_the_answers_file_records_the_render(rendered: Path) -> None:
    answers = (rendered / ".copier-answers.yml").read_text()
    assert "_src_path:" in answers
    assert "framework:" in answers


def test_the_render_is_ruff_clean(rendered: Path) -> None:
    ruff = Path(sys.executable).parent / "ruff"
    for command in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            [str(ruff), *command], cwd=rendered, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_the_render_passes_its_own_tests(rendered: Path) -> None:
    from tests.starters import commands

    framework, _, features = rendered.name.split("-", 2)
    python = ensure_venv(rendered)
    # The queue's and the fan-out's own tests need a real Redis, as the starter's CI gives them
    # (Django's suite finds its own at 127.0.0.1:6379 and keeps REDIS_URL for the server).
    needs_redis = framework != "django" and {"jobs", "websockets"} & set(features.split("+"))
    services = {"REDIS_URL": redis_url(REDIS_DATABASE)} if needs_redis else {}
    run(commands(framework).own_tests, cwd=rendered, env=starter_env(rendered, python, **services))


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"framework": "rails"}, "framework"),
        ({"database": "mysql"}, "database"),
        ({"features": ["admin", "graphql"]}, "features"),
        ({"package_name": "my-service"}, "snake_case"),
    ],
)
def test_unsupported_combinations_fail_before_writing(
    tmp_path: Path, answers: dict[str, object], message: str
) -> None:
    destination = tmp_path / "out"
    with pytest.raises((ValueError, CopierError), match=message):
        render(str(answers.pop("framework", "django")), destination, **answers)
    assert not destination.exists() or list(destination.iterdir()) == []
