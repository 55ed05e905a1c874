"""`stackpick web`: the questionnaire as a local page, served on 127.0.0.1 unless told otherwise.

Every endpoint is a GET without side effects (nothing to forge across sites); answers
are checked with the questionnaire's own validators before anything renders; each render
runs in a child process with a time limit, in a temporary folder that is then removed.
"""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import shlex
import socket
import sys
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, jsonify, request, send_from_directory
from werkzeug.exceptions import BadRequest, Forbidden, HTTPException, NotFound
from werkzeug.serving import make_server

from . import cli
from ._jinja import REPO_ROOT
from .errors import StackpickError
from .questionnaire import Answers, Question, by_name, complete, load
from .recommend import FRAMEWORK_NAMES, RECOMMENDATION_INPUTS, recommend
from .render import files_in

STATIC = Path(__file__).resolve().parent / "static"
RENDER_TIMEOUT_SECONDS = 60
MAX_QUERY_BYTES = 4096
MAX_ANSWER_CHARACTERS = 200
CACHED_RENDERS = 4
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
NOT_ANSWERS = {"path"}

CHILDREN = multiprocessing.get_context("forkserver")
CHILDREN.set_forkserver_preload(["generator.cli"])


@dataclass(frozen=True)
class RenderedFile:
    content: bytes
    mode: int


Files = dict[str, RenderedFile]


class Renders:
    """Renders by answers, made in a child process with a deadline; the last few kept in memory."""

    def __init__(self, template: Path, timeout: float = RENDER_TIMEOUT_SECONDS) -> None:
        self.template = template
        self.timeout = timeout
        self._cache: OrderedDict[str, Files] = OrderedDict()
        self._lock = threading.Lock()

    def files(self, answers: Answers) -> Files:
        key = json.dumps(answers, sort_keys=True)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        rendered = self._render(answers)
        with self._lock:
            self._cache[key] = rendered
            while len(self._cache) > CACHED_RENDERS:
                self._cache.popitem(last=False)
        return rendered

    def _render(self, answers: Answers) -> Files:
        with tempfile.TemporaryDirectory(prefix="stackpick-web-") as scratch:
            destination = Path(scratch) / str(answers["project_slug"])
            self._run_new(destination, answers)
            return {
                name: RenderedFile(
                    (destination / name).read_bytes(), (destination / name).stat().st_mode
                )
                for name in sorted(files_in(destination))
            }

    def _run_new(self, destination: Path, answers: Answers) -> None:
        """`stackpick new` in a child process, so a render past its deadline can be stopped.

        The child is forked from a server process that has already imported the generator and
        Copier, so a render pays neither an interpreter start nor those imports.
        """
        argv = [str(destination), "--defaults", "--no-lock", "--template", str(self.template)]
        argv += [f"--data={pair}" for pair in data_pairs(answers)]
        receiving, sending = CHILDREN.Pipe(duplex=False)
        child = CHILDREN.Process(target=new_in_child, args=(["new", *argv], sending), daemon=True)
        child.start()
        sending.close()
        try:
            if not receiving.poll(self.timeout):
                raise RenderFailed(f"rendering took over {self.timeout:g} s and was stopped")
            code, message = receiving.recv()
        except EOFError:
            code, message = 1, "rendering failed"
        finally:
            receiving.close()
            if child.is_alive():
                child.kill()
            child.join()
        if code != 0:
            raise RenderFailed(message.removeprefix("stackpick: error: ") or "rendering failed")


def new_in_child(argv: list[str], reply: Connection) -> None:
    """Run `stackpick new` and send back its exit code and the last line it wrote to stderr."""
    silent = os.open(os.devnull, os.O_WRONLY)
    os.dup2(silent, 1)
    os.dup2(silent, 2)  # Copier's git subprocesses would print to the server's terminal.
    said = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(said):
        try:
            code = cli.main(argv)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        except Exception as error:  # the page shows it; the server stays up
            code, said = 1, io.StringIO(f"rendering failed: {error}")
    last = said.getvalue().strip().splitlines()[-1:] or [""]
    reply.send((code, last[0]))
    reply.close()


class RenderFailed(StackpickError):
    """A render that did not finish in time or failed in Copier."""


def data_pairs(answers: Mapping[str, Any]) -> list[str]:
    """`key=value` answers as the CLI and Copier read them (lists as YAML flow lists)."""
    return [f"{name}={_as_text(value)}" for name, value in answers.items()]


def _as_text(value: Any) -> str:
    return "[" + ", ".join(value) + "]" if isinstance(value, list) else str(value)


def distinct_answers(answers: Answers, template: Path) -> Answers:
    """Only the answers that differ from the defaults the earlier answers lead to."""
    distinct: Answers = {}
    so_far: Answers = {}
    for question in load(template):
        value = answers[question.name]
        if value != question.default_for(so_far):
            distinct[question.name] = value
        so_far[question.name] = value
    return distinct


def query_of(answers: Mapping[str, Any]) -> str:
    return urlencode(
        {
            name: ",".join(value) if isinstance(value, list) else value
            for name, value in answers.items()
        }
    )


def commands_for(answers: Answers, template: Path) -> dict[str, str]:
    distinct = distinct_answers(answers, template)
    slug = str(answers["project_slug"])
    data = [f"-d {shlex.quote(pair)}" for pair in data_pairs(distinct)]
    copier_data = [f"--data {shlex.quote(pair)}" for pair in data_pairs(distinct)]
    return {
        "stackpick": " ".join(["stackpick new", shlex.quote(slug), "--defaults", *data]),
        "copier": " ".join(
            [
                "copier copy --vcs-ref HEAD --defaults",
                *copier_data,
                shlex.quote(str(template)),
                shlex.quote(slug),
            ]
        ),
    }


def question_json(question: Question) -> dict[str, Any]:
    return {
        "name": question.name,
        "choices": [{"label": label, "value": value} for label, value in question.choices.items()],
        "multiselect": question.multiselect,
        "text": not question.choices,
    }


def help_texts(answers: Answers, template: Path) -> dict[str, str]:
    """Each question's help as the CLI shows it for these answers."""
    return {question.name: question.help_for(answers) for question in load(template)}


def safe_member(name: str) -> str:
    """A zip entry name that stays inside its folder, or a refusal."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not name:
        raise BadRequest(f"refusing a file name that leaves its folder: {name!r}")
    return path.as_posix()


def zip_of(root: str, files: Files) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rendered in files.items():
            entry = zipfile.ZipInfo(f"{safe_member(root)}/{safe_member(name)}")
            entry.external_attr = (rendered.mode & 0o777) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, rendered.content)
    return buffer.getvalue()


class Site:
    """The page's endpoints over one template: answers in the query string, JSON out."""

    def __init__(self, template: Path, *, loopback_only: bool) -> None:
        self.template = template
        self.loopback_only = loopback_only
        self.renders = Renders(template)
        self.questions = by_name(template)

    def answers_from_request(self) -> Answers:
        if len(request.query_string) > MAX_QUERY_BYTES:
            raise BadRequest(f"the answers take more than {MAX_QUERY_BYTES} bytes")
        given: Answers = {}
        for name, value in request.args.items():
            if name in NOT_ANSWERS:
                continue
            if name not in self.questions:
                known = ", ".join(self.questions)
                raise BadRequest(f"unknown question '{name}'; the questions are: {known}")
            if len(value) > MAX_ANSWER_CHARACTERS:
                raise BadRequest(f"{name} takes at most {MAX_ANSWER_CHARACTERS} characters")
            given[name] = self.questions[name].parse(value)
        try:
            return complete(given, self.template)
        except StackpickError as error:
            raise BadRequest(str(error)) from None

    def refuse_foreign_hosts(self) -> None:
        """Another Host header means a page elsewhere reached us by DNS rebinding."""
        if self.loopback_only and request.host.rsplit(":", 1)[0].strip("[]") not in LOOPBACK:
            raise Forbidden("this page answers only on 127.0.0.1 or localhost")

    def index(self) -> Response:
        return send_from_directory(STATIC, "index.html")

    def questions_json(self) -> Response:
        return jsonify(questions=[question_json(question) for question in self.questions.values()])

    def evaluate(self) -> Response:
        answers = self.answers_from_request()
        picked = recommend({name: answers[name] for name in RECOMMENDATION_INPUTS})
        query = query_of(distinct_answers(answers, self.template))
        return jsonify(
            answers=answers,
            recommendation=picked.as_json(),
            names=FRAMEWORK_NAMES,
            overridden=answers["framework"] != picked.framework,
            query=query,
            share=f"/?{query}" if query else "/",
            help=help_texts(answers, self.template),
            commands=commands_for(answers, self.template),
        )

    def tree(self) -> Response:
        answers = self.answers_from_request()
        return jsonify(root=answers["project_slug"], files=list(self.renders.files(answers)))

    def file(self) -> Response:
        answers = self.answers_from_request()
        path = request.args.get("path", "")
        found = self.renders.files(answers).get(path)
        if found is None:
            raise NotFound(f"the render has no file {path!r}")
        try:
            return jsonify(path=path, content=found.content.decode(), binary=False)
        except UnicodeDecodeError:
            return jsonify(path=path, content="", binary=True)

    def download(self) -> Response:
        answers = self.answers_from_request()
        root = str(answers["project_slug"])
        return Response(
            zip_of(root, self.renders.files(answers)),
            mimetype="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{root}.zip"'},
        )


def harden(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def http_error(error: HTTPException) -> tuple[Response, int]:
    return jsonify(error=error.description), error.code or 500


def render_failed(error: RenderFailed) -> tuple[Response, int]:
    return jsonify(error=str(error)), 422


def unexpected(error: Exception) -> tuple[Response, int]:
    print(f"stackpick web: {type(error).__name__}: {error}", file=sys.stderr)
    return jsonify(error=f"internal error: {type(error).__name__}"), 500


def create_app(template: Path = REPO_ROOT, *, loopback_only: bool = True) -> Flask:
    """The page and its JSON endpoints; `loopback_only` also refuses other Host headers."""
    app = Flask(__name__, static_folder=str(STATIC), static_url_path="/static")
    site = Site(template, loopback_only=loopback_only)
    app.before_request(site.refuse_foreign_hosts)
    app.after_request(harden)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(RenderFailed, render_failed)
    app.register_error_handler(Exception, unexpected)
    routes = {
        "/": site.index,
        "/api/questions": site.questions_json,
        "/api/evaluate": site.evaluate,
        "/api/tree": site.tree,
        "/api/file": site.file,
        "/api/download": site.download,
    }
    for rule, view in routes.items():
        app.add_url_rule(rule, view.__name__, view, methods=["GET"])
    return app


def free_port(host: str, wanted: int) -> int:
    """`wanted` when nothing listens there, else a port the system picks."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, wanted))
        except OSError:
            probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def serve(*, host: str = "127.0.0.1", port: int = 0, template: Path = REPO_ROOT) -> None:
    app = create_app(template, loopback_only=host in LOOPBACK)
    try:
        server = make_server(host, free_port(host, port), app, threaded=True)
    except OSError as error:
        raise StackpickError(f"cannot listen on {host}:{port} ({error.strerror})") from None
    shown = f"[{host}]" if ":" in host else host
    print(f"stackpick web: http://{shown}:{server.port}/ (Ctrl-C to stop)", flush=True)
    server.serve_forever()  # werkzeug's: Ctrl-C ends it quietly and closes the socket
