"""Observability (feature `observability`): Prometheus metrics, OpenTelemetry traces and JSON
logs from a live production server, each on only when its setting is set.

Each starter is rendered with `observability` on PostgreSQL and served by its production
server (2 workers, so the metrics must cover both) with METRICS_ENABLED, METRICS_TOKEN,
LOG_FORMAT=json and an OTLP endpoint: an HTTP receiver in this process that decodes the
exporter's protobuf. A second server of the same render without those settings shows that
nothing is on by default.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue
from prometheus_client.parser import text_string_to_metric_families

from tests.contract.client import assert_error_body
from tests.contract.conftest import server_params
from tests.contract.servers import (
    RunningStarter,
    Starter,
    database_url,
    prepare,
    serve,
    server_env,
    site_url,
)
from tests.starters import commands
from tests.support import free_port, run

pytestmark = pytest.mark.slow

# The starters that are observable; the others' tests skip, saying so.
SERVING_OBSERVABILITY: tuple[str, ...] = ("django", "flask", "fastapi")
SERVICE_NAME = "blog-contract"
METRICS_TOKEN = secrets.token_urlsafe(24)
ARTICLE_ROUTE = "/api/articles/{slug}"
WAIT_SECONDS = 15.0


@dataclass(frozen=True)
class ReceivedSpan:
    service: str
    trace_id: bytes
    name: str
    kind: int
    attributes: dict[str, Any]


def _value(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    return None if kind is None else getattr(value, kind)


@dataclass
class SpanReceiver:
    """What an OTLP/HTTP collector would receive on /v1/traces."""

    port: int
    spans: list[ReceivedSpan] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def take(self, body: bytes) -> None:
        request = ExportTraceServiceRequest.FromString(body)
        received = []
        for resource_spans in request.resource_spans:
            resource = {a.key: _value(a.value) for a in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    attributes = {a.key: _value(a.value) for a in span.attributes}
                    received.append(
                        ReceivedSpan(
                            str(resource.get("service.name")),
                            span.trace_id,
                            span.name,
                            span.kind,
                            attributes,
                        )
                    )
        with self.arrived:
            self.spans.extend(received)
            self.arrived.notify_all()

    def wait_for(self, found: Any, timeout: float = WAIT_SECONDS) -> Any:
        """The first non-empty result of `found(spans)`, waiting up to `timeout` s."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while not (result := found(list(self.spans))):
                left = deadline - time.monotonic()
                assert left > 0, f"no such span within {timeout} s; got {self.names()}"
                self.arrived.wait(left)
        return result

    def names(self) -> list[str]:
        return sorted({f"{span.service}:{span.name}" for span in self.spans})


@contextlib.contextmanager
def span_receiver() -> Iterator[SpanReceiver]:
    receiver = SpanReceiver(free_port())

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path == "/v1/traces":
                receiver.take(body)
            answer = ExportTraceServiceResponse().SerializeToString()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            del format, args

    server = ThreadingHTTPServer(("127.0.0.1", receiver.port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module", params=server_params(databases=("postgresql",)))
def starter(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Starter:
    framework, database = request.param
    if framework not in SERVING_OBSERVABILITY:
        pytest.skip(f"the {framework} starter has no observability yet")
    workdir = tmp_path_factory.mktemp(f"observability-{framework}-{database}")
    return prepare(framework, database, workdir, extra_features=["observability"])


@pytest.fixture(scope="module")
def receiver() -> Iterator[SpanReceiver]:
    with span_receiver() as started:
        yield started


@pytest.fixture(scope="module")
def plain_env(starter: Starter) -> Iterator[dict[str, str]]:
    """The render's production settings on a migrated database, nothing observable set."""
    with database_url(starter) as url:
        env = server_env(starter, url)
        run(commands(starter.framework).migrate, cwd=starter.project_dir, env=env)
        yield env


@pytest.fixture(scope="module")
def observed(
    starter: Starter, plain_env: dict[str, str], receiver: SpanReceiver
) -> Iterator[RunningStarter]:
    port = free_port()
    env = {
        **plain_env,
        "SITE_URL": site_url(port),
        "METRICS_ENABLED": "true",
        "METRICS_TOKEN": METRICS_TOKEN,
        "LOG_FORMAT": "json",
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
        "OTEL_SERVICE_NAME": SERVICE_NAME,
        "OTEL_BSP_SCHEDULE_DELAY": "200",
    }
    with serve(starter, env, port=port) as server:
        yield RunningStarter(starter, server, env)


def scrape(observed: RunningStarter) -> str:
    response = httpx.get(
        f"{observed.base_url}/metrics",
        headers={"Authorization": f"Bearer {METRICS_TOKEN}"},
        timeout=15,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain"), response.headers
    return response.text


def samples(text: str, name: str, **labels: str) -> list[tuple[dict[str, str], float]]:
    return [
        (sample.labels, sample.value)
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    ]


def total(text: str, name: str, **labels: str) -> float:
    return sum(value for _labels, value in samples(text, name, **labels))


def each_on_its_own_connection(observed: RunningStarter, paths: list[str]) -> None:
    """One connection per request, so the server's workers share them out."""
    for path in paths:
        httpx.get(f"{observed.base_url}{path}", timeout=15)


def test_metrics_need_the_token(observed: RunningStarter) -> None:
    anonymous = httpx.get(f"{observed.base_url}/metrics", timeout=15)
    wrong = httpx.get(
        f"{observed.base_url}/metrics", headers={"Authorization": "Bearer nope"}, timeout=15
    )

    for response in (anonymous, wrong):
        assert response.status_code == 401, response.text
        assert_error_body(response)
        assert "http_requests_total" not in response.text


def test_requests_are_counted_by_route_template_over_every_worker(
    observed: RunningStarter,
) -> None:
    before = total(scrape(observed), "http_requests_total", route=ARTICLE_ROUTE, status="404")
    marker = secrets.token_hex(4)

    each_on_its_own_connection(observed, [f"/api/articles/missing-{marker}-{n}" for n in range(20)])
    after_text = scrape(observed)

    counted = total(after_text, "http_requests_total", route=ARTICLE_ROUTE, status="404")
    assert counted - before == 20
    assert samples(after_text, "http_requests_total", route=ARTICLE_ROUTE, method="GET")
    assert marker not in after_text, "a raw path became a label"


def test_unmatched_paths_share_one_label(observed: RunningStarter) -> None:
    before = total(scrape(observed), "http_requests_total", route="unmatched")
    marker = secrets.token_hex(4)

    each_on_its_own_connection(observed, [f"/no-such-{marker}-{n}" for n in range(3)])
    after_text = scrape(observed)

    assert total(after_text, "http_requests_total", route="unmatched") - before == 3
    assert marker not in after_text


def test_latency_is_a_histogram_by_route(observed: RunningStarter) -> None:
    name = "http_request_duration_seconds_count"
    before = total(scrape(observed), name, route="/api/articles", method="GET")

    each_on_its_own_connection(observed, ["/api/articles"] * 5)
    after_text = scrape(observed)

    assert total(after_text, name, route="/api/articles", method="GET") - before == 5
    buckets = samples(after_text, "http_request_duration_seconds_bucket", route="/api/articles")
    assert any(labels.get("le") == "+Inf" for labels, _value in buckets)


def test_scrapes_are_not_counted_and_the_pool_is_reported(observed: RunningStarter) -> None:
    scrape(observed)
    text = scrape(observed)

    assert not samples(text, "http_requests_total", route="/metrics")
    states = {labels.get("state") for labels, _value in samples(text, "db_pool_connections")}
    assert {"in_use", "idle"} <= states, states


def test_a_request_is_traced_with_its_route_and_its_query(
    observed: RunningStarter, receiver: SpanReceiver
) -> None:
    response = httpx.get(f"{observed.base_url}/api/articles", timeout=15)
    assert response.status_code == 200

    def request_spans(spans: list[ReceivedSpan]) -> list[ReceivedSpan]:
        return [
            span
            for span in spans
            if span.service == SERVICE_NAME and span.attributes.get("http.route") == "/api/articles"
        ]

    request_span = receiver.wait_for(request_spans)[0]

    def query_spans(spans: list[ReceivedSpan]) -> list[ReceivedSpan]:
        database_keys = {"db.system", "db.system.name"}
        return [
            span
            for span in spans
            if span.trace_id == request_span.trace_id and database_keys & set(span.attributes)
        ]

    assert receiver.wait_for(query_spans), receiver.names()


def test_every_log_line_is_json_and_requests_carry_their_id(observed: RunningStarter) -> None:
    request_id = f"obs-{secrets.token_hex(6)}"
    response = httpx.get(
        f"{observed.base_url}/api/health", headers={"X-Request-ID": request_id}, timeout=15
    )
    assert response.headers["x-request-id"] == request_id

    deadline = time.monotonic() + WAIT_SECONDS
    while not (lines := [r for r in log_records(observed) if r.get("request_id") == request_id]):
        assert time.monotonic() < deadline, observed.server.output()
        time.sleep(0.2)

    access = [r for r in lines if r.get("path") == "/api/health"]
    assert access, lines
    assert access[0]["method"] == "GET"
    assert int(access[0]["status"]) == 200
    assert float(access[0]["duration_ms"]) >= 0
    for record in log_records(observed):
        assert {"time", "level", "logger", "message"} <= set(record), record


def log_records(observed: RunningStarter) -> list[dict[str, Any]]:
    records = []
    for line in observed.server.log.read_text(errors="replace").splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            pytest.fail(f"a log line that is not JSON: {line!r}")
        assert isinstance(record, dict), line
        records.append(record)
    return records


def test_without_its_settings_nothing_is_on(
    starter: Starter, plain_env: dict[str, str], receiver: SpanReceiver
) -> None:
    port = free_port()
    # Named, so that its spans would stand out among the observed server's late batches.
    env = {**plain_env, "SITE_URL": site_url(port), "OTEL_SERVICE_NAME": "blog-plain"}
    with serve(starter, env, port=port) as server:
        metrics = httpx.get(f"{server.base_url}/metrics", timeout=15)
        httpx.get(f"{server.base_url}/api/articles", timeout=15)
        time.sleep(1.0)
        log = server.output()

    assert metrics.status_code == 404
    assert not [span for span in receiver.spans if span.service == "blog-plain"]
    assert not any(line.startswith("{") for line in log.splitlines()), log
