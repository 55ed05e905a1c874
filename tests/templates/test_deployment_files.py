"""Every render's Dockerfile and CI workflow pass the linters a security review would run.

hadolint (Dockerfile rules), zizmor (GitHub Actions: pinned actions, token
permissions, credential persistence, injection) and the rules they leave to us:
base images pinned by digest, a HEALTHCHECK, a numeric non-root user.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.support import FRAMEWORKS, render

DIGEST_PINNED = re.compile(r"^FROM [\w./:-]+@sha256:[0-9a-f]{64}( AS \w+)?$")
SHA_PINNED = re.compile(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install the dev extras (pip install -e '.[dev]')")
    return found


@pytest.fixture(
    scope="module",
    params=[(fw, db) for fw in FRAMEWORKS for db in ("sqlite", "postgresql")],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    framework, database = request.param
    return render(framework, tmp_path_factory.mktemp(framework) / "project", database=database)


def assert_clean(project: Path, *argv: str) -> None:
    result = subprocess.run(
        [tool(argv[0]), *argv[1:]], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_finds_nothing(rendered: Path) -> None:
    assert_clean(rendered, "hadolint", "--no-color", "Dockerfile")


def test_zizmor_finds_nothing(rendered: Path) -> None:
    assert_clean(
        rendered, "zizmor", "--offline", "--no-progress", "--format", "plain", ".github/workflows"
    )


def test_base_images_are_pinned_by_digest(rendered: Path) -> None:
    froms = [
        line
        for line in (rendered / "Dockerfile").read_text().splitlines()
        if line.startswith("FROM ")
    ]
    assert froms
    for line in froms:
        assert DIGEST_PINNED.match(line), line


def test_the_image_checks_its_health_and_runs_unprivileged(rendered: Path) -> None:
    dockerfile = (rendered / "Dockerfile").read_text()
    assert "HEALTHCHECK " in dockerfile
    assert "/api/health" in dockerfile.split("HEALTHCHECK ", 1)[1]
    users = re.findall(r"^USER (\S+)$", dockerfile, flags=re.MULTILINE)
    assert users, "no USER line"
    assert users[-1].split(":")[0].isdigit(), users[-1]
    assert users[-1].split(":")[0] != "0", users[-1]


def test_workflow_actions_are_pinned_to_commits(rendered: Path) -> None:
    workflow = (rendered / ".github" / "workflows" / "ci.yml").read_text()
    uses = [line.strip().removeprefix("- ") for line in workflow.splitlines() if "uses:" in line]
    assert uses
    for line in uses:
        assert SHA_PINNED.match(line), line
    assert re.search(r"^permissions:\n  contents: read$", workflow, flags=re.MULTILINE)
    assert workflow.count("persist-credentials: false") == workflow.count("actions/checkout@")


def test_every_starter_uses_the_same_base_image_and_action_pins(tmp_path: Path) -> None:
    """One digest and one set of pins to bump, whichever framework a project was made with."""
    pins: dict[str, set[str]] = {}
    for framework in FRAMEWORKS:
        project = render(framework, tmp_path / framework)
        dockerfile = (project / "Dockerfile").read_text()
        workflow = (project / ".github" / "workflows" / "ci.yml").read_text()
        images = re.findall(r"^FROM (\S+)", dockerfile, flags=re.MULTILINE)
        actions = re.findall(r"uses: (\S+)", workflow)
        pins[framework] = set(images) | set(actions)
    assert len({frozenset(found) for found in pins.values()}) == 1, pins


# --- beyond one machine: compose, Kubernetes, the image's health -----------------------

K8S_KINDS = {
    "Namespace",
    "ConfigMap",
    "Deployment",
    "Service",
    "Job",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
    "NetworkPolicy",
}


MIGRATE_COMMANDS = {
    "django": ["python", "manage.py", "migrate", "--noinput"],
    "flask": ["flask", "--app", "blog_service", "db", "upgrade"],
    "fastapi": ["alembic", "upgrade", "head"],
}


def framework_of(project: Path) -> str:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return str(answers["framework"])


# Beside the plain render, one with every feature that changes what is deployed.
DEPLOYED_FEATURES = ("websockets", "jobs", "observability")
WORKER_COMMANDS = {
    "django": ["celery", "-A", "config", "worker", "--loglevel", "INFO"],
    "flask": ["celery", "-A", "blog_service.jobs", "worker", "--loglevel", "INFO"],
    "fastapi": ["arq", "blog_service.jobs.WorkerSettings"],
}
SCHEDULER_OPTIONS = ["--beat", "--schedule", "/tmp/celerybeat-schedule"]


@pytest.fixture(
    scope="module",
    params=[(fw, full) for fw in FRAMEWORKS for full in (False, True)],
    ids=lambda p: f"{p[0]}-{'full' if p[1] else 'plain'}",
)
def deployable(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    framework, full = request.param
    features = ["accounts", "api_docs", *(DEPLOYED_FEATURES if full else ())]
    return render(framework, tmp_path_factory.mktemp(framework) / "project", features=features)


def features_of(project: Path) -> list[str]:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return list(answers["features"])


def deployments(project: Path) -> dict[str, dict[str, Any]]:
    """The Deployments by their component label: web, and with jobs worker (and scheduler)."""
    return {
        doc["metadata"]["labels"]["app.kubernetes.io/component"]: doc
        for doc in manifests(project)
        if doc["kind"] == "Deployment"
    }


def manifests(project: Path) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = []
    for path in sorted((project / "deploy" / "k8s").glob("*.yaml")):
        if path.name != "kustomization.yaml":
            documents += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return documents


def kustomize_build(project: Path) -> str | None:
    if (kubectl := shutil.which("kubectl")) is not None:
        argv = [kubectl, "kustomize", "deploy/k8s"]
    elif (kustomize := shutil.which("kustomize")) is not None:
        argv = [kustomize, "build", "deploy/k8s"]
    else:
        return None
    result = subprocess.run(argv, cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_every_manifest_is_valid_kubernetes(deployable: Path, tmp_path: Path) -> None:
    files = sorted(str(p) for p in (deployable / "deploy" / "k8s").glob("*.yaml"))
    files.remove(str(deployable / "deploy" / "k8s" / "kustomization.yaml"))
    assert_clean(deployable, "kubernetes-validate", "--strict", *files)
    built = kustomize_build(deployable)
    if built is not None:
        (tmp_path / "built.yaml").write_text(built)
        assert_clean(deployable, "kubernetes-validate", "--strict", str(tmp_path / "built.yaml"))
        assert {doc["kind"] for doc in yaml.safe_load_all(built)} == K8S_KINDS


def test_the_kustomization_lists_every_manifest(deployable: Path) -> None:
    kustomization = yaml.safe_load((deployable / "deploy/k8s/kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    present = {p.name for p in (deployable / "deploy" / "k8s").glob("*.yaml")}
    assert listed == present - {"kustomization.yaml"}
    assert {doc["kind"] for doc in manifests(deployable)} == K8S_KINDS


def test_the_pods_run_hardened_and_probed(deployable: Path) -> None:
    workloads = [doc for doc in manifests(deployable) if doc["kind"] in {"Deployment", "Job"}]
    by_kind = {doc["kind"]: doc for doc in workloads}
    for workload in workloads:
        pod = workload["spec"]["template"]["spec"]
        assert pod["automountServiceAccountToken"] is False
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        (container,) = pod["containers"]
        security = container["securityContext"]
        assert security["readOnlyRootFilesystem"] is True
        assert security["allowPrivilegeEscalation"] is False
        assert security["capabilities"]["drop"] == ["ALL"]
        assert {"requests", "limits"} <= container["resources"].keys()
        assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
        assert {"secretRef": {"name": "blog-service-secrets"}} in container["envFrom"]
    job = by_kind["Job"]["spec"]["template"]["spec"]["containers"][0]
    assert job["command"] == MIGRATE_COMMANDS[framework_of(deployable)]
    web = deployments(deployable)["web"]["spec"]["template"]["spec"]["containers"][0]
    assert web["livenessProbe"]["httpGet"]["path"] == "/api/health"
    assert web["readinessProbe"]["httpGet"]["path"] == "/api/health/ready"


def test_jobs_run_in_workers_and_in_one_scheduler(deployable: Path) -> None:
    framework = framework_of(deployable)
    by_component = deployments(deployable)
    compose = yaml.safe_load((deployable / "compose.yaml").read_text())["services"]
    if "jobs" not in features_of(deployable):
        assert set(by_component) == {"web"}
        assert not {"worker", "scheduler"} & compose.keys()
        return
    expected = {"web", "worker", "scheduler"} if framework != "fastapi" else {"web", "worker"}
    assert set(by_component) == expected
    worker = by_component["worker"]["spec"]["template"]["spec"]["containers"][0]
    assert worker["command"] == WORKER_COMMANDS[framework]
    assert "exec" in worker["livenessProbe"]
    assert "exec" in worker["readinessProbe"]
    assert compose["worker"]["command"] == WORKER_COMMANDS[framework]
    assert compose["worker"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }
    assert "/api/health" not in " ".join(compose["worker"]["healthcheck"]["test"])
    if framework == "fastapi":
        return
    scheduler = by_component["scheduler"]
    assert scheduler["spec"]["replicas"] == 1
    assert scheduler["spec"]["strategy"] == {"type": "Recreate"}
    command = scheduler["spec"]["template"]["spec"]["containers"][0]["command"]
    assert command == [*WORKER_COMMANDS[framework][:4], *SCHEDULER_OPTIONS, "--loglevel", "INFO"]
    assert compose["scheduler"]["command"] == command
    assert "deploy" not in compose["scheduler"]


def test_the_workers_open_their_metrics_port_only_with_observability(deployable: Path) -> None:
    features = features_of(deployable)
    if "jobs" not in features:
        return
    observed = "observability" in features
    compose = yaml.safe_load((deployable / "compose.yaml").read_text())["services"]
    workers = [name for name in ("worker", "scheduler") if name in compose]
    for name, deployment in deployments(deployable).items():
        if name in workers:
            (container,) = deployment["spec"]["template"]["spec"]["containers"]
            expected = [{"name": "metrics", "containerPort": 9100}] if observed else None
            assert container.get("ports") == expected, name
    for name in workers:
        port = compose[name]["environment"].get("WORKER_METRICS_PORT")
        assert port == ("9100" if observed else None), name


def test_no_secret_value_is_committed(deployable: Path) -> None:
    assert not any(doc["kind"] == "Secret" for doc in manifests(deployable))
    settings = next(doc for doc in manifests(deployable) if doc["kind"] == "ConfigMap")["data"]
    assert not {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"} & settings.keys()


def test_checkov_fails_no_kubernetes_or_dockerfile_check(deployable: Path) -> None:
    config = yaml.safe_load((deployable / ".checkov.yaml").read_text())
    assert set(config["skip-check"]) <= {"CKV_K8S_43", "CKV_K8S_35"}, "every skip needs a reason"
    assert_clean(deployable, "checkov", "-d", "deploy/k8s", "--framework", "kubernetes", "--quiet")
    assert_clean(deployable, "checkov", "-f", "Dockerfile", "--framework", "dockerfile", "--quiet")


def test_hadolint_passes_the_dockerfile(deployable: Path) -> None:
    assert_clean(deployable, "hadolint", "--no-color", "Dockerfile")


def docker_compose_available() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(
        ["docker", "compose", "version"], capture_output=True, text=True, check=False
    )
    return probe.returncode == 0


def test_compose_starts_app_after_migrate_with_healthchecks(deployable: Path) -> None:
    compose = yaml.safe_load((deployable / "compose.yaml").read_text())
    services = compose["services"]
    assert {"app", "migrate", "db", "redis", "mail"} <= services.keys()
    assert services["app"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }
    for name in ("app", "db", "redis", "mail"):
        assert "test" in services[name]["healthcheck"], name
    assert "/api/health/ready" in " ".join(services["app"]["healthcheck"]["test"])
    assert services["mail"]["profiles"] == ["dev"]
    assert all("profiles" not in services[name] for name in ("app", "migrate", "db", "redis"))
    app = services["app"]["environment"]
    assert app["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert app["EMAIL_URL"].endswith("smtp://mail:1025}")
    assert services["app"]["read_only"] is True
    assert services["migrate"]["command"] == MIGRATE_COMMANDS[framework_of(deployable)]
    if docker_compose_available():
        env = {**os.environ, "SECRET_KEY": "compose-config-check"}
        result = subprocess.run(
            ["docker", "compose", "config", "--quiet"],
            cwd=deployable,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr


def container_engine_problem() -> str | None:
    if shutil.which("docker") is None:
        return "no container engine reachable: the docker CLI is not installed"
    if subprocess.run(["docker", "info"], capture_output=True, check=False).returncode != 0:
        return "no container engine reachable: docker info failed"
    return None


def test_the_image_builds_and_answers_the_health_checks(deployable: Path) -> None:
    if (problem := container_engine_problem()) is not None:
        pytest.skip(problem)
    tag = f"stackpick-check-{deployable.parent.name.lower()}"
    build = subprocess.run(
        ["docker", "build", "-t", tag, "."],
        cwd=deployable,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    run = subprocess.run(
        [
            "docker",
            "run",
            "-d",
            "--rm",
            "--read-only",
            "--tmpfs",
            "/tmp",
            "-p",
            "127.0.0.1::8000",
            "-e",
            "SECRET_KEY=container-health-check-key-0123456789abcdef",
            "-e",
            "DATABASE_URL=sqlite:////tmp/db.sqlite3",
            "-e",
            "SECURE_SSL_REDIRECT=false",
            tag,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    container = run.stdout.strip()
    try:
        port = (
            subprocess.run(
                ["docker", "port", container, "8000"], capture_output=True, text=True, check=True
            )
            .stdout.strip()
            .rsplit(":", 1)[1]
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                live = httpx.get(f"{base}/api/health", headers={"Host": "localhost"})
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        assert live.json() == {"status": "ok"}
        ready = httpx.get(f"{base}/api/health/ready", headers={"Host": "localhost"})
        assert ready.status_code in (200, 503)
    finally:
        subprocess.run(["docker", "rm", "-f", container], capture_output=True, check=False)
