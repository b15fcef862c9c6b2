"""Patches apply strictly in memory; paths cannot leave the workspace; validation per file."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentops_pipelines.codegen import FileChange, PatchError, PatchProposal, apply_proposal
from agentops_pipelines.codegen.validate import change_problems

ORIGINAL = "def total(items):\n    return len(items)\n\n\ndef label():\n    return 'x'\n"
DIFF = """--- a/pkg/calc.py
+++ b/pkg/calc.py
@@ -1,2 +1,2 @@
 def total(items):
-    return len(items)
+    return sum(items)
"""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/calc.py").write_text(ORIGINAL)
    return tmp_path


def test_a_clean_diff_applies_without_writing(ws: Path) -> None:
    changes = apply_proposal(ws, PatchProposal(summary="sum", diff=DIFF))
    assert changes["pkg/calc.py"] == ORIGINAL.replace("len(items)", "sum(items)")
    assert (ws / "pkg/calc.py").read_text() == ORIGINAL  # nothing written before validation


def test_a_miscounted_hunk_applies_where_its_context_is_unique(ws: Path) -> None:
    shifted = DIFF.replace("@@ -1,2 +1,2 @@", "@@ -3,2 +3,2 @@")
    changes = apply_proposal(ws, PatchProposal(summary="sum", diff=shifted))
    assert "return sum(items)" in (changes["pkg/calc.py"] or "")


def test_a_hunk_whose_context_is_not_in_the_file_is_rejected(ws: Path) -> None:
    stale = DIFF.replace(" def total(items):", " def total(rows):")
    with pytest.raises(PatchError, match=r"pkg/calc.py: hunk 1 .* does not match"):
        apply_proposal(ws, PatchProposal(summary="stale", diff=stale))


def test_new_files_and_whole_file_answers(ws: Path) -> None:
    new = "--- /dev/null\n+++ b/pkg/new.py\n@@ -0,0 +1,1 @@\n+VALUE = 1\n"
    changes = apply_proposal(
        ws,
        PatchProposal(
            summary="add", diff=new, files=[FileChange(path="README.md", content="# hi\n")]
        ),
    )
    assert changes == {"pkg/new.py": "VALUE = 1\n", "README.md": "# hi\n"}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("../outside.py", "outside the repository"),
        ("/etc/passwd", "must be relative"),
        (".github/workflows/ci.yml", "protected"),
    ],
)
def test_paths_outside_the_workspace_or_protected_are_refused(ws: Path, path, message) -> None:
    with pytest.raises(PatchError, match=message):
        apply_proposal(ws, PatchProposal(summary="x", files=[FileChange(path=path, content="x")]))


def test_garbage_and_empty_answers_are_rejected(ws: Path) -> None:
    with pytest.raises(PatchError, match="changes no file"):
        apply_proposal(ws, PatchProposal(summary="nothing"))
    with pytest.raises(PatchError, match="holds no file changes|does not parse"):
        apply_proposal(ws, PatchProposal(summary="x", diff="this is not a diff\n"))
    with pytest.raises(PatchError, match="does not exist"):
        apply_proposal(ws, PatchProposal(summary="x", diff=DIFF.replace("calc.py", "gone.py")))


def test_validation_names_parse_and_lint_failures(ws: Path) -> None:
    problems = change_problems(
        {
            "a.py": "def f(:\n",
            "b.py": "import os\n",  # F401 unused import
            "c.ts": "export function (: {\n",
            "d.json": "{",
            "ok.py": "def f() -> int:\n    return 1\n",
            "ok.tsx": "export const B = () => <b>x</b>;\n",
            "gone.py": None,
        },
        ws,
    )
    assert len(problems) == 4
    assert problems[0].startswith("a.py: does not parse as Python (line 1")
    assert problems[1].startswith("b.py: ruff check failed") and "F401" in problems[1]
    assert problems[2].startswith("c.ts: does not parse as typescript")
    assert problems[3].startswith("d.json: not valid JSON")


def test_a_write_onto_a_folder_is_refused_before_anything_is_written(ws: Path) -> None:
    from agentops_pipelines.codegen.patching import write_changes
    from agentops_pipelines.codegen.workspace import WorkspaceError

    with pytest.raises(WorkspaceError, match="pkg: a folder"):
        write_changes(ws, {"a_first.py": "X = 1\n", "pkg": "oops\n"})
    assert not (ws / "a_first.py").exists()


def test_a_symlink_cannot_carry_a_write_out_of_the_workspace(ws: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (ws / "link").symlink_to(outside, target_is_directory=True)
    with pytest.raises(PatchError, match="outside the workspace"):
        apply_proposal(
            ws, PatchProposal(summary="x", files=[FileChange(path="link/x.py", content="")])
        )
