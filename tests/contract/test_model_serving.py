"""CONTRACT.md "Model serving" (app kind `ml_serving`): the model, predictions, 422s, readiness.

One ml_serving render per starter and database, its model trained by the starter's own
`train` command and served by its production server (2 workers); a second server on an
empty MODEL_DIR shows that a missing model is reported, not fatal.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.contract.client import assert_error_body, assert_validation_error
from tests.contract.conftest import server_params
from tests.contract.servers import (
    RunningStarter,
    Starter,
    migrated_server,
    prepare,
    server_env,
)
from tests.starters import commands
from tests.support import run

pytestmark = pytest.mark.slow

# The starters that serve a model; the others' tests skip, saying so.
SERVING_MODEL = ("django", "fastapi", "flask")
FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
SETOSA = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}


@pytest.fixture(scope="module", params=server_params())
def starter(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Starter:
    framework, database = request.param
    if framework not in SERVING_MODEL:
        pytest.skip(f"the {framework} starter does not serve a model yet")
    workdir = tmp_path_factory.mktemp(f"model-serving-{framework}-{database}")
    return prepare(framework, database, workdir, app_kind="ml_serving")


@pytest.fixture(scope="module")
def served(starter: Starter) -> Iterator[RunningStarter]:
    model_dir = starter.project_dir / "models"
    env = server_env(starter, "sqlite:///unused.sqlite3", MODEL_DIR=str(model_dir))
    run(commands(starter.framework).train, cwd=starter.project_dir, env=env)
    with migrated_server(starter, MODEL_DIR=str(model_dir)) as live:
        yield live


@pytest.fixture(scope="module")
def http(served: RunningStarter) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served.base_url, timeout=30) as client:
        yield client


def predict(http: httpx.Client, instances: object) -> httpx.Response:
    return http.post("/api/predict", json={"instances": instances})


def test_the_model_describes_itself(http: httpx.Client, served: RunningStarter) -> None:
    response = http.get("/api/model")

    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    assert set(body) == {"name", "version", "trained_at", "features", "metrics"}
    current = Path(served.env["MODEL_DIR"]) / "current"
    assert body["version"] == current.read_text().strip()
    assert body["features"] == FEATURES
    assert body["metrics"]["accuracy"] > 0.8
    assert http.get("/api/health/ready").json()["model"] == "ok"


def test_predicts_one_row(http: httpx.Client) -> None:
    response = predict(http, [SETOSA])

    assert response.status_code == 200
    assert response.json()["predictions"] == ["setosa"]
    assert response.json()["model_version"] == http.get("/api/model").json()["version"]


def test_predicts_a_hundred_rows_in_order(http: httpx.Client) -> None:
    virginica = {"sepal_length": 7.7, "sepal_width": 3.0, "petal_length": 6.1, "petal_width": 2.3}

    response = predict(http, [SETOSA, virginica] * 50)

    assert response.status_code == 200
    assert response.json()["predictions"] == ["setosa", "virginica"] * 50


@pytest.mark.parametrize(
    ("instances", "field"),
    [
        ([{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4}], "petal_width"),
        ([{**SETOSA, "colour": 1.0}], "colour"),
        ([{**SETOSA, "sepal_width": "wide"}], "sepal_width"),
        ([{**SETOSA, "sepal_width": None}], "sepal_width"),
        ([], "instances"),
        ([SETOSA] * 1001, "instances"),
    ],
    ids=["missing", "extra", "non-numeric", "null", "zero-rows", "1001-rows"],
)
def test_bad_instances_are_422(http: httpx.Client, instances: object, field: str) -> None:
    assert_validation_error(predict(http, instances), field, "body")


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e400"])
def test_nan_and_infinity_are_refused(http: httpx.Client, value: str) -> None:
    row = '{"sepal_length": ' + value + ', "sepal_width": 1, "petal_length": 1, "petal_width": 1}'
    body = '{"instances": [' + row + "]}"

    response = http.post("/api/predict", content=body, headers={"Content-Type": "application/json"})

    assert response.status_code in {400, 422}, response.text
    assert_error_body(response)


def test_without_a_model_it_is_not_ready_and_predict_is_503(
    starter: Starter, tmp_path: Path
) -> None:
    with (
        migrated_server(starter, MODEL_DIR=str(tmp_path)) as bare,
        httpx.Client(base_url=bare.base_url, timeout=30) as client,
    ):
        ready = client.get("/api/health/ready")
        predicted = client.post("/api/predict", json={"instances": [SETOSA]})

    assert ready.status_code == 503
    assert ready.json()["model"] == "missing"
    assert ready.json()["status"] == "unavailable"
    assert ready.json()["database"] == "ok"
    assert predicted.status_code == 503
    assert_error_body(predicted)
    assert predicted.headers["content-type"].startswith("application/json")
