"""The recommendation agrees with every row of the guides' decision tables.

Each row names its guide, the row as the guide writes it, the answers that
describe that row, and the frameworks the guide accepts. Where guides
disagree, the row carries the resolution and the test asserts it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator.recommend import FRAMEWORKS, Recommendation, articles, recommend, rules

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@dataclass(frozen=True)
class Row:
    guide: str
    row: str
    app_kind: str
    expected: frozenset[str]
    features: tuple[str, ...] = ()
    concurrency: str = "low"
    team_experience: str = "none"
    resolution: str = ""
    alternatives: frozenset[str] = field(default_factory=frozenset)

    def answers(self) -> dict[str, object]:
        return {
            "app_kind": self.app_kind,
            "features": list(self.features),
            "concurrency": self.concurrency,
            "team_experience": self.team_experience,
        }


def row(guide: str, text: str, app_kind: str, *expected: str, **details: object) -> Row:
    return Row(guide, text, app_kind, frozenset(expected), **details)  # type: ignore[arg-type]


FULL_STACK = ("admin", "accounts", "html_pages")
API_ONLY = ("accounts", "api_docs")

DECISION_TABLES = [
    # Pillai Infotech: "Decision Guide"
    row("pillai", "Full web application: Django", "web_app", "django", features=FULL_STACK),
    row("pillai", "REST/GraphQL API backend: FastAPI", "api", "fastapi", features=API_ONLY),
    row("pillai", "ML model serving: FastAPI", "ml_serving", "fastapi"),
    row("pillai", "Simple microservice: Flask or FastAPI", "microservice", "flask", "fastapi"),
    row("pillai", "CMS / content site: Django + Wagtail", "cms", "django", features=("admin",)),
    row("pillai", "Real-time WebSockets: FastAPI", "realtime", "fastapi", features=("websockets",)),
    row("pillai", "Prototype / hackathon: Django", "prototype", "django", features=("admin",)),
    row("pillai", "Choose Flask when: small internal tools", "internal_tool", "flask"),
    row(
        "pillai",
        "Choose Flask when: team has Flask expertise",
        "api",
        "flask",
        team_experience="flask",
    ),
    row("pillai", "Choose Django when: e-commerce", "ecommerce", "django"),
    # Abhishek: "The Verdict"
    row("abhishek", "Traditional Web App: Django", "web_app", "django", features=("html_pages",)),
    row("abhishek", "Simple REST API: Flask", "api", "flask"),
    row("abhishek", "High-Performance API: FastAPI", "api", "fastapi", concurrency="high"),
    row(
        "abhishek",
        "Microservices: FastAPI (performance + minimal footprint)",
        "microservice",
        "fastapi",
        concurrency="high",
        resolution="Pillai: a simple microservice is Flask or FastAPI; at high load FastAPI",
    ),
    row("abhishek", "Real-time Applications: FastAPI", "realtime", "fastapi"),
    row(
        "abhishek",
        "MVP/Prototype: Django for full-stack",
        "prototype",
        "django",
        features=FULL_STACK,
    ),
    row(
        "abhishek", "MVP/Prototype: FastAPI for API-only", "prototype", "fastapi", features=API_ONLY
    ),
    row(
        "abhishek",
        "Enterprise Application: Django",
        "web_app",
        "django",
        features=("admin", "accounts"),
    ),
    row("abhishek", "For learning purposes: Flask", "learning", "flask"),
    # Webandcrafts: use cases
    row("webandcrafts", "Django: Content Management Systems", "cms", "django"),
    row(
        "webandcrafts",
        "Django: E-commerce Platforms",
        "ecommerce",
        "django",
        features=("accounts",),
    ),
    row("webandcrafts", "Django: Social Networks", "web_app", "django", features=("accounts",)),
    row("webandcrafts", "Flask: RESTful APIs", "api", "flask"),
    row("webandcrafts", "Flask: Microservices", "microservice", "flask"),
    row("webandcrafts", "Flask: Educational Projects", "learning", "flask"),
    row(
        "webandcrafts",
        "Flask: Small to Medium-Sized Web Applications",
        "web_app",
        "django",
        resolution="Pillai and Abhishek: a web application is Django; Flask only as a micro API",
    ),
    row(
        "webandcrafts",
        "Flask: Prototyping",
        "prototype",
        "django",
        resolution="Pillai: a prototype is Django (admin saves hours), API-only one FastAPI",
    ),
    row("webandcrafts", "FastAPI: API Development", "api", "fastapi", features=("api_docs",)),
    row("webandcrafts", "FastAPI: Real-Time Applications", "realtime", "fastapi"),
    row(
        "webandcrafts",
        "FastAPI: High-Concurrency Projects",
        "microservice",
        "fastapi",
        concurrency="high",
    ),
    # Tech Job Finder: "Use Cases and Community"
    row("techjobfinder", "Django: content-heavy platforms", "cms", "django"),
    row("techjobfinder", "Django: e-commerce", "ecommerce", "django"),
    row("techjobfinder", "Flask: dashboards", "internal_tool", "flask"),
    row("techjobfinder", "Flask: lightweight services", "microservice", "flask"),
    row("techjobfinder", "FastAPI: high-performance APIs", "api", "fastapi", concurrency="high"),
    row("techjobfinder", "FastAPI: ML inference", "ml_serving", "fastapi"),
    row("techjobfinder", "FastAPI: microservices", "microservice", "fastapi", concurrency="high"),
    # Skolr: "Best for" and "When to choose"
    row(
        "skolr",
        "Django: admin-heavy systems",
        "internal_tool",
        "django",
        features=("admin", "accounts"),
    ),
    row("skolr", "Django: CMS, e-commerce", "ecommerce", "django", features=("admin",)),
    row(
        "skolr",
        "Flask: REST APIs, microservices, lightweight applications",
        "microservice",
        "flask",
    ),
    row("skolr", "FastAPI: ML model serving", "ml_serving", "fastapi", features=("api_docs",)),
    row(
        "skolr",
        "FastAPI: modern microservices where type safety matters",
        "microservice",
        "fastapi",
        features=("api_docs",),
    ),
    row(
        "skolr",
        "Learn Django first",
        "learning",
        "flask",
        resolution="Abhishek and Webandcrafts: Flask for learning; Skolr's Django counts less",
    ),
]


@pytest.mark.parametrize("case", DECISION_TABLES, ids=lambda case: f"{case.guide}: {case.row}")
def test_agrees_with_the_guides_decision_tables(case: Row) -> None:
    assert recommend(case.answers()).framework in case.expected


def test_every_guide_has_decision_rows() -> None:
    assert {case.guide for case in DECISION_TABLES} == set(articles())


def test_every_rule_cites_an_existing_seed_article_and_states_its_claim() -> None:
    known = articles()
    for rule in rules():
        assert rule["source"] in known, rule["id"]
        assert rule["claim"].strip(), rule["id"]
        assert rule["reason"].strip(), rule["id"]
        assert set(rule["weights"]) <= set(FRAMEWORKS), rule["id"]
    if SEEDS.is_dir():
        for article in known.values():
            assert (SEEDS / article["seed"]).is_file(), article["seed"]


def test_rule_ids_are_unique() -> None:
    ids = [rule["id"] for rule in rules()]
    assert len(ids) == len(set(ids))


def _verdict(**answers: object) -> Recommendation:
    base: dict[str, object] = {
        "app_kind": "api",
        "features": [],
        "concurrency": "low",
        "team_experience": "none",
    }
    return recommend({**base, **answers})


def test_reasons_support_the_recommended_framework_and_cite_their_guide() -> None:
    verdict = _verdict(app_kind="cms", features=["admin"])
    assert verdict.framework == "django"
    assert verdict.reasons, "a recommendation always says why"
    assert any("Wagtail" in reason.source for reason in verdict.reasons)
    assert all('"' in reason.source for reason in verdict.reasons)


def test_reasons_come_strongest_first() -> None:
    verdict = _verdict(app_kind="realtime", features=["api_docs"])
    assert verdict.reasons[0].text.startswith("Real-time")


def test_ties_go_to_the_framework_the_team_knows() -> None:
    tied = _verdict(app_kind="microservice", concurrency="high", features=["admin", "html_pages"])
    assert tied.scores["django"] == tied.scores["fastapi"]
    assert tied.framework == "django"
    knows_fastapi = _verdict(
        app_kind="microservice",
        features=["admin", "html_pages", "api_docs"],
        team_experience="fastapi",
    )
    assert knows_fastapi.framework == "fastapi"


def test_scores_are_reported_for_every_framework() -> None:
    assert set(_verdict().scores) == set(FRAMEWORKS)


def test_as_json_has_the_documented_shape() -> None:
    data = _verdict(app_kind="cms").as_json()
    assert set(data) == {"framework", "scores", "reasons"}
    assert all(set(reason) == {"text", "source"} for reason in data["reasons"])
