"""Spec -> code repository links: glob matching, relative paths, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentops_pipelines.links import CodeLinksError, ci_results_dir, linked_repo
from agentops_pipelines.settings import load_settings


def _links(tmp_path: Path, body: str) -> Path:
    (tmp_path / "config").mkdir()
    path = tmp_path / "config" / "code_links.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_first_matching_glob_wins_and_relative_paths_resolve_from_project_root(
    tmp_path: Path,
) -> None:
    path = _links(
        tmp_path,
        "links:\n  - spec: 'orders-api/*'\n    repo: examples/repos/orders\n"
        "  - spec: '*'\n    repo: /srv/fallback\n",
    )
    assert linked_repo("orders-api/spec.md", path) == tmp_path / "examples" / "repos" / "orders"
    assert linked_repo("other/spec.md", path) == Path("/srv/fallback")


def test_no_file_or_no_match_means_no_repo(tmp_path: Path) -> None:
    assert linked_repo("a/spec.md", tmp_path / "missing.yaml") is None
    path = _links(tmp_path, "links:\n  - spec: 'b/*'\n    repo: x\n")
    assert linked_repo("a/spec.md", path) is None


def test_invalid_file_names_the_file_and_the_expected_shape(tmp_path: Path) -> None:
    path = _links(tmp_path, "links:\n  - spec: 'a/*'\n")
    with pytest.raises(CodeLinksError, match="(?s)code_links.yaml.*spec: <glob"):
        linked_repo("a/spec.md", path)


def test_ci_results_dir_is_one_folder_per_spec(tmp_path: Path) -> None:
    settings = load_settings({"AGENTOPS_HOME": str(tmp_path)})
    assert ci_results_dir(settings, "orders-api/spec.md") == (
        tmp_path / "ci_results" / "orders-api__spec.md"
    )
