"""`stackpick web`: every endpoint over real HTTP on 127.0.0.1, bad requests, zip safety."""

from __future__ import annotations

import io
import shlex
import signal
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from generator.errors import InvalidAnswer
from generator.questionnaire import complete, load, parse_data
from generator.web import RenderedFile, RenderFailed, Renders, safe_member, zip_of
from tests.generator.helpers import answers_of, stackpick
from tests.support import REPO_ROOT


@pytest.fixture(scope="module")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=120) as created:
        yield created


def error_of(response: httpx.Response) -> str:
    message: str = response.json()["error"]
    return message


def test_the_page_and_its_static_files_are_served(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert '<script src="/static/app.js">' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for name in ("app.js", "style.css"):
        assert client.get(f"/static/{name}").status_code == 200


def test_questions_are_copier_yml_s(client: httpx.Client) -> None:
    shown = client.get("/api/questions").json()["questions"]
    assert [question["name"] for question in shown] == [question.name for question in load()]
    features = next(question for question in shown if question["name"] == "features")
    assert features["multiselect"] is True
    assert [choice["value"] for choice in features["choices"]][:2] == ["admin", "accounts"]


def test_evaluate_completes_the_answers_and_recommends(client: httpx.Client) -> None:
    body = client.get("/api/evaluate", params={"app_kind": "cms"}).json()
    assert body["answers"] == complete({"app_kind": "cms"})
    assert body["recommendation"]["framework"] == "django"
    assert body["recommendation"]["reasons"][0]["source"].startswith("Pillai Infotech")
    assert body["overridden"] is False
    assert body["help"]["framework"].startswith("Which framework? Recommended: Django")


def test_an_override_is_shown(client: httpx.Client) -> None:
    body = client.get("/api/evaluate", params={"app_kind": "cms", "framework": "flask"}).json()
    assert body["overridden"] is True
    assert body["recommendation"]["framework"] == "django"


@pytest.mark.parametrize(
    "pair",
    [
        "project_slug=My_Service",
        "author_email=nobody",
        "features=admin,blockchain",
        "app_kind=blog",
    ],
)
def test_a_bad_answer_is_400_with_the_cli_s_message(client: httpx.Client, pair: str) -> None:
    key, _, value = pair.partition("=")
    with pytest.raises(InvalidAnswer) as refused:
        complete(parse_data([pair]))
    for endpoint in ("/api/evaluate", "/api/tree", "/api/download"):
        response = client.get(endpoint, params={key: value})
        assert response.status_code == 400
        assert error_of(response) == str(refused.value)


@pytest.mark.parametrize(
    ("request_args", "status", "message"),
    [
        ({"method": "GET", "url": "/api/evaluate?colour=blue"}, 400, "unknown question 'colour'"),
        ({"method": "POST", "url": "/api/evaluate"}, 405, "not allowed"),
        ({"method": "GET", "url": "/api/nothing"}, 404, "not found"),
        ({"method": "GET", "url": f"/api/evaluate?project_name={'x' * 300}"}, 400, "at most"),
        ({"method": "GET", "url": "/api/file?path=../../etc/passwd"}, 404, "has no file"),
        (
            {"method": "GET", "url": "/api/questions", "headers": {"Host": "evil.example"}},
            403,
            "only on 127.0.0.1",
        ),
    ],
)
def test_invalid_requests_get_4xx_json_and_no_traceback(
    client: httpx.Client, request_args: dict[str, object], status: int, message: str
) -> None:
    response = client.request(**request_args)  # type: ignore[arg-type]
    assert response.status_code == status
    assert message in error_of(response).lower() or message in error_of(response)
    assert "Traceback" not in response.text


def test_explore_lists_the_files_and_shows_one(client: httpx.Client, web_scratch: Path) -> None:
    tree = client.get("/api/tree", params={"framework": "flask"}).json()
    assert not list(web_scratch.glob("stackpick-web-*")), "a render's folder was left behind"
    assert tree["root"] == "my-service"
    assert "README.md" in tree["files"]
    assert ".copier-answers.yml" in tree["files"]
    shown = client.get("/api/file", params={"framework": "flask", "path": "README.md"}).json()
    assert shown["binary"] is False
    assert shown["content"].startswith("# My Service")
    missing = client.get("/api/file", params={"framework": "flask", "path": "nope.txt"})
    assert missing.status_code == 404


def test_download_is_a_zip_named_after_the_project_whose_entries_stay_inside(
    client: httpx.Client,
) -> None:
    params = {"project_name": "Orders", "framework": "flask"}
    response = client.get("/api/download", params=params)
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="orders.zip"'
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    tree = client.get("/api/tree", params=params).json()["files"]
    assert sorted(names) == sorted(f"orders/{name}" for name in tree)
    for name in names:
        assert name.startswith("orders/")
        assert ".." not in Path(name).parts
        assert not name.startswith("/")


def test_the_share_link_round_trips_and_its_commands_render_the_same(
    client: httpx.Client, tmp_path: Path
) -> None:
    chosen = {"project_name": "Shop Front", "app_kind": "ecommerce", "features": "admin,accounts"}
    body = client.get("/api/evaluate", params=chosen).json()
    shared = dict(parse_qsl(urlsplit(body["share"]).query, keep_blank_values=True))
    again = client.get("/api/evaluate", params=shared).json()
    assert again["answers"] == body["answers"]
    assert client.get(body["share"]).status_code == 200

    command = shlex.split(body["commands"]["stackpick"])
    assert command[:3] == ["stackpick", "new", "shop-front"]
    rendered = stackpick("new", str(tmp_path / "shop-front"), *command[3:], "--no-lock")
    assert rendered.returncode == 0, rendered.stderr
    recorded = answers_of(tmp_path / "shop-front")
    assert {key: recorded[key] for key in body["answers"]} == body["answers"]

    copier = shlex.split(body["commands"]["copier"])
    copier[0] = str(Path(sys.executable).parent / "copier")
    by_copier_folder = tmp_path / "by-copier"
    by_copier_folder.mkdir()
    copied = subprocess.run(
        copier, cwd=by_copier_folder, capture_output=True, text=True, timeout=300, check=False
    )
    assert copied.returncode == 0, copied.stderr
    by_copier = answers_of(by_copier_folder / "shop-front")
    assert {key: by_copier[key] for key in body["answers"]} == body["answers"]


def test_zip_member_names_cannot_leave_their_folder() -> None:
    for name in ("../escape", "/etc/passwd", "a/../../b", "", "a\\..\\b"):
        with pytest.raises(Exception, match="leaves its folder"):
            safe_member(name)
    archive = zip_of("root", {"a/b.txt": RenderedFile(b"x", 0o100644)})
    assert zipfile.ZipFile(io.BytesIO(archive)).namelist() == ["root/a/b.txt"]


def test_a_render_past_its_deadline_is_stopped_and_its_folder_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(RenderFailed, match="took over"):
        Renders(REPO_ROOT, timeout=0.05).files(complete({}))
    assert not list(tmp_path.glob("stackpick-web-*")), "the render's folder was left behind"


def test_ctrl_c_stops_the_server_quietly() -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "web", "--port", "0"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert server.stdout is not None
    url = server.stdout.readline().split()[2]
    assert httpx.get(url + "api/questions", timeout=30).status_code == 200
    server.send_signal(signal.SIGINT)
    _, errors = server.communicate(timeout=15)
    assert server.returncode == 0
    assert "Traceback" not in errors
