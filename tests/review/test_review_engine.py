"""The model-free review on a real sample repo (logq) and its spec: each harmful change is
flagged on its diff line with its requirement; harmless ones are not."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_repos import LOGQ_SPEC, branch, sample_repo

from agentops_pipelines.review.checkout import CheckoutError, checkout_pull
from agentops_pipelines.review.diff import parse_diff
from agentops_pipelines.review.engine import ReviewInput, review_pull
from agentops_pipelines.specs.parsing import parse_spec

TEST = "tests/test_search.py"
SEARCH = "logq/search.py"


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return sample_repo(tmp_path_factory.mktemp("logq") / "repo")


def review(repo: Path, tmp_path: Path, name: str, edits, run_tests: bool = False):
    base, head = branch(repo, name, edits)
    co = checkout_pull(str(repo), 1, base, head, tmp_path / "work")
    spec = parse_spec("log-search-cli/spec.md", LOGQ_SPEC.read_text())
    return review_pull(
        ReviewInput(
            repo="acme/logq",
            number=1,
            base_sha=co.merge_base,
            head_sha=head,
            base_dir=co.base_dir,
            head_dir=co.head_dir,
            diff=co.diff,
            specs=[spec],
            run_tests=run_tests,
        )
    ), parse_diff(co.diff)


def test_weakened_assert_lands_on_its_line_with_its_requirement(repo, tmp_path) -> None:
    report, diff = review(
        repo,
        tmp_path,
        "weaken",
        {TEST: lambda s: s.replace("assert len(lines) == 3", "assert len(lines) >= 1")},
    )
    (weak,) = [f for f in report.findings if f.kind == "assert_weakened"]
    added = next(ln for ln in diff[0].lines if ln.kind == "added")
    assert (weak.file, weak.line, weak.position) == (TEST, added.new_line, added.position)
    assert weak.requirement_id == "R1" and "R1" in report.must_regressed
    assert [r.id for r in report.requirements] == ["R1"]


def test_removed_and_skipped_tests(repo, tmp_path) -> None:
    def edit(text: str) -> str:
        text = text.replace(
            '@pytest.mark.requirement("R2")\ndef test_pattern',
            '@pytest.mark.skip\n@pytest.mark.requirement("R2")\ndef test_pattern',
        )
        start = text.index("def test_r1_reads_standard_input_without_paths")
        end = text.index("\n\n\n", start)
        return text[:start] + text[end + 3 :]

    report, _ = review(repo, tmp_path, "remove", {TEST: edit})
    kinds = {(f.kind, f.requirement_id) for f in report.findings}
    assert ("test_removed", "R1") in kinds and ("test_skipped", "R2") in kinds
    removed = next(f for f in report.findings if f.kind == "test_removed")
    assert removed.line is None and removed.old_line and removed.position


def test_code_citing_a_requirement_changed_without_test(repo, tmp_path) -> None:
    report, _ = review(
        repo,
        tmp_path,
        "untested",
        {
            SEARCH: lambda s: s.replace(
                '"""Read .gz files transparently (R8)."""',
                '"""Read .gz files transparently (R8)."""\n    path = Path(str(path))',
            )
        },
    )
    (finding,) = [f for f in report.findings if f.kind == "requirement_changed_untested"]
    assert finding.requirement_id == "R8" and finding.file == SEARCH and finding.position
    assert report.flagged


def test_neutral_refactor_and_docs_only_are_not_flagged(repo, tmp_path) -> None:
    def rename(text: str) -> str:
        return text.replace(
            '"""Read .gz files transparently (R8)."""',
            '"""Read .gz files transparently (R8): gzip or plain text."""',
        )

    report, _ = review(
        repo, tmp_path, "docs", {SEARCH: rename, "README.md": lambda s: s + "\nMore docs.\n"}
    )
    assert not report.flagged, report.findings
    assert "R8" in {r.id for r in report.requirements}


def test_sandbox_reports_newly_failing_test_and_completion_drop(repo, tmp_path) -> None:
    broken = {
        SEARCH: lambda s: s.replace('ALIASES = {"warning": "warn"', 'ALIASES = {"warning": "debug"')
    }
    report, _ = review(repo, tmp_path, "broken", broken, run_tests=True)
    assert report.tests.ran, report.tests.reason
    assert report.tests.newly_failing, report.tests
    failing = [f for f in report.findings if f.kind == "newly_failing"]
    assert failing and failing[0].requirement_id == "R4" and failing[0].file == SEARCH
    (completion,) = report.completion
    assert (
        completion.measured and completion.head < completion.base and "R4" in completion.regressed
    )


def test_unknown_commit_is_a_clear_error(repo, tmp_path) -> None:
    with pytest.raises(CheckoutError, match="not on"):
        checkout_pull(str(repo), 1, "1" * 40, "2" * 40, tmp_path / "w")
