"""deploy/k8s (kustomize) and deploy/helm: rendered and checked against the Kubernetes OpenAPI
schemas that kubernetes-validate ships (offline, strict: unknown fields fail), then against the
rules of our deployment (probes, resources, non-root, secrets only from Secrets, HPA)."""

from __future__ import annotations

import shutil
import subprocess

import kubernetes_validate
import pytest
import yaml

from tests.conftest import PROJECT_ROOT
from tests.deploy.kustomize import render

K8S = PROJECT_ROOT / "deploy" / "k8s"
HELM_VALUES = PROJECT_ROOT / "deploy" / "helm" / "dagster-values.yaml"
K8S_VERSION = "1.30.0"
WORKLOADS = {"Deployment", "Job"}


@pytest.fixture(scope="module")
def rendered() -> list[dict]:
    return render(K8S)


def _pod(doc: dict) -> dict:
    return doc["spec"]["template"]["spec"]


def _by_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def test_every_rendered_object_matches_the_kubernetes_schema(rendered) -> None:
    assert len(rendered) >= 10
    for doc in rendered:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_the_validator_rejects_what_kubernetes_would(rendered) -> None:
    broken = yaml.safe_load(yaml.safe_dump(_by_kind(rendered, "Deployment")["agentops-api"]))
    _pod(broken)["containers"][0]["readinessProbe"]["httpGett"] = {"path": "/"}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSION, strict=True)


def test_services_probes_resources_and_non_root(rendered) -> None:
    deployments = _by_kind(rendered, "Deployment")
    assert set(deployments) == {"agentops-api", "agentops-receiver", "agentops-streamlit"}
    for name, doc in deployments.items():
        pod = _pod(doc)
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        for container in pod["containers"]:
            for probe in ("readinessProbe", "livenessProbe"):
                assert probe in container, f"{name}: no {probe}"
            assert {"requests", "limits"} <= set(container["resources"]), name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert container["image"].startswith("registry.example.com/agentops-app:")
            assert not container["image"].endswith(":latest")
    services = _by_kind(rendered, "Service")
    for name, svc in services.items():
        target = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert svc["spec"]["selector"].items() <= target.items(), f"{name} selects no pod"
    assert all(
        d["metadata"]["namespace"] == "agentops" for d in rendered if d["kind"] != "Namespace"
    )


def test_secrets_come_only_from_kubernetes_secrets(rendered) -> None:
    assert not [d for d in rendered if d["kind"] == "Secret"], "a Secret is committed"
    for doc in rendered:
        if doc["kind"] not in WORKLOADS:
            continue
        for container in _pod(doc)["containers"]:
            refs = [e.get("secretRef", {}).get("name") for e in container.get("envFrom", [])]
            assert "agentops-secrets" in refs, doc["metadata"]["name"]
            for env in container.get("env", []):
                assert "value" not in env or not any(
                    word in env["name"] for word in ("SECRET", "TOKEN", "PASSWORD", "KEY", "DB_URL")
                ), f"{env['name']} set in plain text"
    config = _by_kind(rendered, "ConfigMap")["agentops-config"]["data"]
    assert not any(w in k for k in config for w in ("SECRET", "TOKEN", "PASSWORD", "DB_URL"))


def test_hpa_scales_the_api_and_the_migration_is_a_job(rendered) -> None:
    [hpa] = _by_kind(rendered, "HorizontalPodAutoscaler").values()
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "agentops-api",
    }
    assert 2 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    [job] = _by_kind(rendered, "Job").values()
    assert _pod(job)["containers"][0]["command"] == ["agentops", "db", "upgrade"]
    claims = {
        v["persistentVolumeClaim"]["claimName"]
        for d in rendered
        if d["kind"] == "Deployment"
        for v in _pod(d).get("volumes", [])
    }
    assert claims == set(_by_kind(rendered, "PersistentVolumeClaim"))


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
def test_rendering_matches_kubectl_kustomize(rendered) -> None:
    done = subprocess.run(["kubectl", "kustomize", str(K8S)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    theirs = [d for d in yaml.safe_load_all(done.stdout) if d]

    def key(d: dict) -> tuple:
        images = sorted(c["image"] for c in _containers_of(d))
        return (d["kind"], d["metadata"]["name"], d["metadata"].get("namespace"), tuple(images))

    assert sorted(map(key, theirs)) == sorted(map(key, rendered))


def _containers_of(doc: dict) -> list[dict]:
    spec = doc.get("spec", {})
    return (
        spec.get("template", {}).get("spec", {}).get("containers", []) if "template" in spec else []
    )


def test_helm_values_for_dagsters_chart() -> None:
    """The keys our values set exist in the dagster chart (1.13) with the types it expects."""
    values = yaml.safe_load(HELM_VALUES.read_text())
    [code] = values["dagster-user-deployments"]["deployments"]
    assert values["dagster-user-deployments"]["enabled"] is True
    assert code["codeServerArgs"][:2] == ["--module-name", "agentops_pipelines.definitions"]
    assert isinstance(code["port"], int) and code["image"]["tag"] not in ("", "latest")
    assert {"name": "agentops-secrets"} in code["envSecrets"]
    launcher = values["runLauncher"]
    assert launcher["type"] in ("K8sRunLauncher", "CeleryK8sRunLauncher")
    key = {"K8sRunLauncher": "k8sRunLauncher", "CeleryK8sRunLauncher": "celeryK8sRunLauncher"}
    assert {"name": "agentops-secrets"} in launcher["config"][key[launcher["type"]]]["envSecrets"]
    for volume in launcher["config"]["k8sRunLauncher"]["volumes"]:
        kubernetes_validate.validate(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "x"},
                "spec": {"containers": [{"name": "c", "image": "i"}], "volumes": [volume]},
            },
            K8S_VERSION,
            strict=True,
        )
    pg = values["postgresql"]
    assert pg["enabled"] is False and pg["postgresqlHost"] and pg["postgresqlDatabase"] == "dagster"
    assert "postgresqlPassword" not in pg  # from global.postgresqlSecretName, never in values
    assert values["global"]["postgresqlSecretName"]
    daemon = values["dagsterDaemon"]
    assert daemon["runCoordinator"]["type"] == "QueuedRunCoordinator"
    limits = daemon["runCoordinator"]["config"]["queuedRunCoordinator"]["tagConcurrencyLimits"]
    assert {"key", "limit"} <= set(limits[0])
    assert daemon["runRetries"] == {"enabled": True, "maxRetries": 2}
    # The same policy as the instance file the tests and compose use.
    instance = yaml.safe_load((PROJECT_ROOT / "deploy" / "dagster" / "dagster.yaml").read_text())
    ours = instance["run_coordinator"]["config"]["tag_concurrency_limits"]
    assert [limit["key"] for limit in ours] == [limit["key"] for limit in limits]
    assert instance["run_retries"]["max_retries"] == daemon["runRetries"]["maxRetries"]
