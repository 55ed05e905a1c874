"""copier.yml as data: its defaults and validators, and its agreement with the Python side."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from copier._main import Worker
from jinja2 import Environment

from generator.errors import InvalidAnswer
from generator.questionnaire import by_name, complete, load, parse_data
from generator.recommend import recommend
from tests.support import REPO_ROOT

SPEC = yaml.safe_load((REPO_ROOT / "copier.yml").read_text())
INPUTS = by_name()


@pytest.fixture(scope="module")
def copier_jinja() -> Iterator[Environment]:
    """Copier's own Jinja environment for this template, as `copier copy` builds it."""
    worker = Worker(src_path=str(REPO_ROOT), dst_path=Path("unused"), vcs_ref="HEAD", quiet=True)
    with worker:
        yield worker.jinja_env


def every_recommendation_input() -> Iterator[dict[str, Any]]:
    features = INPUTS["features"].values
    subsets = itertools.chain.from_iterable(
        itertools.combinations(features, size) for size in range(len(features) + 1)
    )
    for kind, chosen, concurrency, team in itertools.product(
        INPUTS["app_kind"].values,
        list(subsets),
        INPUTS["concurrency"].values,
        INPUTS["team_experience"].values,
    ):
        yield {
            "app_kind": kind,
            "features": list(chosen),
            "concurrency": concurrency,
            "team_experience": team,
        }


def test_copier_default_agrees_with_the_cli_for_every_combination(
    copier_jinja: Environment,
) -> None:
    default = copier_jinja.from_string(SPEC["framework"]["default"])
    combinations = list(every_recommendation_input())
    assert len(combinations) == 10 * 2**7 * 2 * 4
    disagreements = [
        answers
        for answers in combinations
        if default.render(**answers).strip() != recommend(answers).framework
    ]
    assert disagreements == []


def copier_default(answers: dict[str, Any], name: str) -> Any:
    """The default Copier itself computes for question `name` after `answers`."""
    worker = Worker(
        src_path=str(REPO_ROOT),
        dst_path=Path("unused"),
        data=answers,
        defaults=True,
        vcs_ref="HEAD",
        quiet=True,
        pretend=True,
    )
    with worker:
        worker._ask()
        return worker.answers.combined[name]


def test_copier_default_features_agree_with_the_cli_for_every_app_kind() -> None:
    disagreements = {}
    for kind in INPUTS["app_kind"].values:
        by_copier = copier_default({"app_kind": kind}, "features")
        by_cli = complete({"app_kind": kind})["features"]
        if by_copier != by_cli:
            disagreements[kind] = (by_copier, by_cli)
    assert disagreements == {}


@pytest.mark.parametrize(
    ("app_kind", "features"),
    [
        ("api", ["accounts", "api_docs", "observability"]),
        ("realtime", ["accounts", "api_docs", "websockets", "observability"]),
        ("web_app", ["admin", "accounts", "html_pages", "api_docs", "jobs", "observability"]),
        ("ecommerce", ["admin", "accounts", "html_pages", "api_docs", "jobs", "observability"]),
        ("cms", ["admin", "accounts", "html_pages", "api_docs", "jobs", "observability"]),
        ("internal_tool", ["admin", "accounts", "html_pages", "api_docs"]),
        ("learning", ["accounts", "api_docs"]),
    ],
)
def test_default_features_follow_the_app_kind(app_kind: str, features: list[str]) -> None:
    assert complete({"app_kind": app_kind})["features"] == features


def test_default_features_can_be_unticked() -> None:
    assert complete({"app_kind": "cms", "features": []})["features"] == []
    assert copier_default({"app_kind": "cms", "features": ["accounts"]}, "features") == ["accounts"]


def test_framework_help_shows_the_recommendation_and_its_cited_reasons(
    copier_jinja: Environment,
) -> None:
    answers = {
        "app_kind": "cms",
        "features": ["admin"],
        "concurrency": "low",
        "team_experience": "none",
    }
    shown = copier_jinja.from_string(SPEC["framework"]["help"]).render(**answers)
    assert "Recommended: Django" in shown
    for reason in recommend(answers).reasons:
        assert reason.text in shown
        assert reason.source in shown


def test_every_question_has_a_type_and_a_help() -> None:
    for name, spec in SPEC.items():
        if not name.startswith("_"):
            assert {"type", "help"} <= set(spec), name


def test_public_keys_are_the_documented_ones() -> None:
    assert [question.name for question in load()] == [
        "project_name",
        "project_slug",
        "package_name",
        "description",
        "author_name",
        "author_email",
        "app_kind",
        "features",
        "concurrency",
        "team_experience",
        "framework",
        "database",
    ]


def test_defaults_derive_names_from_the_project_name() -> None:
    answers = complete({"project_name": "  Café Orders API! "})
    assert answers["project_slug"] == "caf-orders-api"
    assert answers["package_name"] == "caf_orders_api"
    assert answers["database"] == "sqlite"


def test_the_default_framework_is_the_recommendation() -> None:
    answers = complete({"app_kind": "realtime", "features": ["websockets"]})
    assert answers["framework"] == "fastapi"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("project_slug", "My_Service", "kebab-case"),
        ("project_slug", "-service", "kebab-case"),
        ("package_name", "my-service", "snake_case"),
        ("package_name", "1service", "snake_case"),
        ("package_name", "config", "shadow"),
        ("author_email", "not-an-email", "name@example.com"),
        ("project_name", "   ", "must not be empty"),
        ("app_kind", "blog", "must be one of"),
        ("framework", "rails", "must be one of"),
        ("database", "mysql", "must be one of"),
        ("concurrency", "extreme", "must be one of"),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(key: str, value: str, message: str) -> None:
    with pytest.raises(InvalidAnswer, match=message):
        complete(parse_data([f"{key}={value}"]))


def test_unknown_features_are_refused() -> None:
    with pytest.raises(InvalidAnswer, match="takes any of"):
        complete(parse_data(["features=admin,graphql"]))


def test_features_parse_from_a_list_or_commas() -> None:
    assert parse_data(["features=[admin, accounts]"])["features"] == ["admin", "accounts"]
    assert parse_data(["features=admin, accounts"])["features"] == ["admin", "accounts"]
    assert parse_data(["features="])["features"] == []


def test_unknown_keys_and_malformed_pairs_are_refused() -> None:
    with pytest.raises(InvalidAnswer, match="unknown question 'colour'"):
        parse_data(["colour=blue"])
    with pytest.raises(InvalidAnswer, match="key=value"):
        parse_data(["framework"])


def app_kind_table() -> dict[str, list[str]]:
    """README's "What the app kind changes": app kind -> the features ticked by default."""
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme.split("### What the app kind changes", 1)[1].split("\n### ", 1)[0]
    rows = [line.split("|")[1:3] for line in section.splitlines() if line.startswith("| `")]
    return {kind.strip().strip("`"): features.strip().split(", ") for kind, features in rows}


def test_the_readme_table_of_app_kinds_is_what_the_questionnaire_does() -> None:
    table = app_kind_table()
    assert sorted(table) == sorted(INPUTS["app_kind"].values)
    assert {kind: complete({"app_kind": kind})["features"] for kind in table} == table
