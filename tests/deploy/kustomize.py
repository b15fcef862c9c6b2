"""Render deploy/k8s the way `kubectl kustomize` does for the features we use: resources,
namespace, labels (metadata only) and image overrides. CI machines have no kubectl; where one
is installed, tests compare this rendering with its output."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

CLUSTER_SCOPED = {"Namespace", "PersistentVolume", "ClusterRole", "ClusterRoleBinding"}


def _containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spec = doc.get("spec", {})
    pod = spec.get("template", {}).get("spec", {}) if "template" in spec else spec
    return list(pod.get("containers", [])) + list(pod.get("initContainers", []))


def render(folder: Path) -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text())
    images = {i["name"]: i for i in kustomization.get("images", [])}
    labels: dict[str, str] = {}
    for entry in kustomization.get("labels", []):
        labels.update(entry.get("pairs", {}))
    namespace = kustomization.get("namespace")
    out = []
    for resource in kustomization["resources"]:
        for raw in yaml.safe_load_all((folder / resource).read_text()):
            if not raw:
                continue
            doc = copy.deepcopy(raw)
            meta = doc.setdefault("metadata", {})
            if namespace and doc["kind"] not in CLUSTER_SCOPED:
                meta["namespace"] = namespace
            meta["labels"] = {**meta.get("labels", {}), **labels}
            for container in _containers(doc):
                override = images.get(container["image"].split(":")[0])
                if override:
                    container["image"] = f"{override['newName']}:{override['newTag']}"
            out.append(doc)
    return out
