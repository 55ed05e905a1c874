"""Property-based fuzzing of each live starter from its own OpenAPI document (Schemathesis).

Two peer users: A fuzzes every operation with valid and invalid data (no server
error; responses, status codes, headers and content types as documented;
invalid data rejected; authentication not ignored); B fuzzes
PATCH and DELETE aimed at A's articles and must never succeed (object-level
authorization). Examples are bounded so a starter takes well under two minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks

from tests.contract.client import Account, ContractClient

pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 15}
PEER_EXAMPLES = 20
CHECKS = [
    checks.not_a_server_error,
    checks.response_schema_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.negative_data_rejection,
    checks.status_code_conformance,
    checks.ignored_auth,
]
ARTICLE_PATH = "/api/articles/{slug}"


@dataclass(frozen=True)
class Peers:
    owner: Account
    peer: Account
    published: dict[str, Any]
    draft: dict[str, Any]


@pytest.fixture(scope="module")
def peers(api: ContractClient) -> Peers:
    owner, peer = api.register(), api.register()
    published = api.create_article(owner, published=True)
    draft = api.create_article(owner, published=False)
    return Peers(owner, peer, published, draft)


@pytest.fixture(scope="module")
def schema(api: ContractClient) -> Any:
    loaded = schemathesis.openapi.from_url(f"{api.base_url}/api/openapi.json", timeout=15)
    assert loaded.get_base_url().startswith(api.base_url), loaded.get_base_url()
    return loaded


def operations(schema: Any) -> list[Any]:
    found = [result.ok() for result in schema.get_all_operations()]
    assert found, "the OpenAPI document has no operations"
    return found


def run_examples(strategy: Any, examples: int, test: Callable[[Any], None]) -> None:
    @hypothesis.settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=strategy)
    def examples_pass(case: Any) -> None:
        test(case)

    examples_pass()


def collect_failure(
    failures: list[str], label: str, strategy: Any, examples: int, test: Callable[[Any], None]
) -> None:
    try:
        run_examples(strategy, examples, test)
    except Unsatisfiable:
        return  # nothing about this operation can be made invalid: no negative examples exist
    except (Exception, BaseExceptionGroup) as error:  # report it, then test the next operation
        failures.append(f"{label}: {type(error).__name__}: {str(error)[:1500]}")


def test_fuzzing_finds_no_failures(api: ContractClient, schema: Any) -> None:
    failures: list[str] = []
    calls: list[int] = []
    caller: Account

    def call(case: Any) -> None:
        response = case.call_and_validate(headers=caller.headers, checks=CHECKS, timeout=30)
        calls.append(response.status_code)

    for operation in operations(schema):
        # An account of its own per operation: fuzzing logout or a password change ends the
        # caller's session, which must not starve the operations after it (or other tests).
        caller = api.register()
        for mode, examples in EXAMPLES_PER_OPERATION.items():
            strategy = operation.as_strategy(generation_mode=mode)
            label = f"{api.label} {operation.method.upper()} {operation.full_path} [{mode.value}]"
            collect_failure(failures, label, strategy, examples, call)
    assert not failures, "\n\n".join(failures)
    assert len(calls) >= 5 * len(operations(schema)), f"only {len(calls)} requests were made"


def article_operations(schema: Any) -> list[Any]:
    chosen = [
        operation
        for operation in operations(schema)
        if operation.full_path.endswith("/articles/{slug}")
        and operation.method.lower() in {"patch", "delete"}
    ]
    assert len(chosen) == 2, [f"{o.method} {o.full_path}" for o in operations(schema)]
    return chosen


def test_a_peer_never_modifies_anothers_articles(
    api: ContractClient, peers: Peers, schema: Any
) -> None:
    failures: list[str] = []

    def call(case: Any) -> None:
        response = case.call(headers=peers.peer.headers, timeout=30)
        case.validate_response(response, checks=[checks.not_a_server_error])
        assert not 200 <= response.status_code < 300, (
            f"{case.method} {case.formatted_path} as a peer answered {response.status_code}"
        )

    for operation in article_operations(schema):
        for article in (peers.published, peers.draft):
            strategy = operation.as_strategy(path_parameters={"slug": article["slug"]})
            label = f"{api.label} {operation.method.upper()} {article['slug']} by a peer"
            collect_failure(failures, label, strategy, PEER_EXAMPLES, call)
    for article in (peers.published, peers.draft):
        current = api.http.get(f"/api/articles/{article['slug']}", headers=peers.owner.headers)
        assert current.status_code == 200, f"{article['slug']} is gone: {current.status_code}"
        assert current.json() == article, "a peer changed the owner's article"
    assert not failures, "\n\n".join(failures)
