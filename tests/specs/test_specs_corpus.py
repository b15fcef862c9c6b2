"""Real specs from shared/data: every OpenSpec spec and the Kiro corpus parse without error.

Exact counts for named files were taken with grep, independently of the parser:
- OpenSpec requirements: `grep -c '^### Requirement:' FILE`; criteria (one per scenario):
  `grep -c '^#### Scenario:' FILE`. cli-validate has 32 scenario lines, but the one on line 40 sits
  inside a ``` fence (lines 39-44, an example of a misformatted spec), so 31 are real.
- Kiro requirements: `grep -cE '^### (Requirement [0-9]|需求 [0-9])' FILE`; criteria: the
  numbered EARS items, `grep -cE '^[0-9]+\\. ' FILE` (these files have no other numbered lists).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agentops_pipelines.specs.models import SpecDocument, SpecFormat, SpecInputError
from agentops_pipelines.specs.parsing import decode_spec, parse_spec

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "specs"
OPENSPEC = DATA / "openspec" / "specs"
KIRO = DATA / "kiro-spec-engine-sce" / ".sce" / "specs"
# Kiro files whose requirements are Chinese prose with no shall/must/should/will and no
# Kiro requirement headings: they parse, but into zero requirements (a warning).
KIRO_WITHOUT_REQUIREMENTS = {
    "08-00-document-lifecycle-management",
    "14-00-adopt-ux-improvement",
    "15-00-moltbot-research",
}
KIRO_EMPTY = {"12-00-grok-conversation-article"}  # a 0-byte file

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="shared/data is not beside the repo")


def _parse(path: Path) -> SpecDocument:
    spec_id = path.relative_to(DATA).as_posix()
    return parse_spec(spec_id, decode_spec(spec_id, path.read_bytes()))


def test_every_openspec_spec_parses() -> None:
    files = sorted(OPENSPEC.glob("*/spec.md"))
    assert len(files) == 36
    for path in files:
        doc = _parse(path)
        assert doc.format is SpecFormat.OPENSPEC, path
        assert doc.requirements, path
        assert all(r.acceptance_criteria for r in doc.requirements), path


def test_kiro_corpus_parses() -> None:
    files = sorted(KIRO.glob("*/requirements.md"))
    with_requirements = 0
    for path in files:
        name = path.parent.name
        if name in KIRO_EMPTY:
            with pytest.raises(SpecInputError, match="empty"):
                _parse(path)
            continue
        doc = _parse(path)
        if name in KIRO_WITHOUT_REQUIREMENTS:
            assert [f.code for f in doc.findings] == ["no-requirements"]
            continue
        assert doc.requirements, path
        with_requirements += 1
    assert with_requirements >= 100


@pytest.mark.parametrize(
    ("relative", "fmt", "requirements", "criteria"),
    [
        ("openspec/specs/cli-archive/spec.md", SpecFormat.OPENSPEC, 11, 38),
        ("openspec/specs/cli-show/spec.md", SpecFormat.OPENSPEC, 3, 9),
        ("openspec/specs/cli-validate/spec.md", SpecFormat.OPENSPEC, 12, 31),
        (
            "kiro-spec-engine-sce/.sce/specs/81-00-scene-diff/requirements.md",
            SpecFormat.KIRO,
            5,
            18,
        ),
        (
            "kiro-spec-engine-sce/.sce/specs/102-00-moqui-test-coverage-hardening/requirements.md",
            SpecFormat.KIRO,
            3,
            11,
        ),
        (
            "kiro-spec-engine-sce/.sce/specs/93-00-scene-ontology-enhancement/requirements.md",
            SpecFormat.KIRO,
            13,
            55,
        ),
    ],
)
def test_exact_counts(relative: str, fmt: SpecFormat, requirements: int, criteria: int) -> None:
    doc = _parse(DATA / relative)
    assert doc.format is fmt
    assert len(doc.requirements) == requirements
    assert doc.criteria_count == criteria


def test_kiro_chinese_ids_follow_author_numbering() -> None:
    doc = _parse(KIRO / "93-00-scene-ontology-enhancement" / "requirements.md")
    assert [r.id for r in doc.requirements] == [f"REQ-{n}" for n in range(1, 14)]
    assert doc.requirements[0].title == "OntologyGraph 核心数据结构"
    assert doc.requirements[0].acceptance_criteria[0].id == "REQ-1.AC-1"
    assert {c.style for r in doc.requirements for c in r.acceptance_criteria} <= {"ears", "bullet"}


def test_spec_kit_template_parses() -> None:
    doc = _parse(DATA / "github-spec-kit-templates" / "spec-template.md")
    assert doc.format is SpecFormat.SPEC_KIT
    kinds = [r.kind.value for r in doc.requirements]
    assert kinds.count("user_story") == 3
    assert kinds.count("functional") == 7
    assert kinds.count("success_criterion") == 4
    assert doc.requirement("FR-006").clarifications
