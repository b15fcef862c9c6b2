"""The SpecGPT page through AppTest: cited answers, planted gaps highlighted, accept/reject."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGE = Path(__file__).resolve().parents[2] / "streamlit_app" / "app_pages" / "specgpt.py"
TIMEOUT = 60


def run_page() -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def select_spec(at: AppTest, spec_id: str) -> AppTest:
    at.selectbox(key="specgpt_spec").set_value(spec_id).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning]
    parts += [str(df.value.to_dict("records")) for df in at.dataframe]
    return "\n".join(parts)


def test_assistant_page_answers_with_citations(specgpt_home: Path) -> None:
    at = run_page()
    at.text_input(key="specgpt_question").set_value("How many invitations can a workspace send?")
    at.button[0].click().run()
    assert not at.exception
    answer = "\n".join(m.value for m in at.markdown)
    assert "200 invitations per 24 hours" in answer
    assert "(/specgpt?spec=team-invitations%2Fspec.md&at=" in answer  # click-through link
    assert "team-invitations/spec.md §" in answer


def test_assistant_page_says_not_found(specgpt_home: Path) -> None:
    at = run_page()
    at.text_input(key="specgpt_question").set_value("How is the kitchen coffee machine descaled?")
    at.button[0].click().run()
    assert "not found in the specs" in "\n".join(m.value for m in at.markdown)


# The deliberate gaps of examples/README.md, as the page shows them.
PLANTED = {
    "billing-invoices/spec.md": [
        "unresolved_clarification: FR-006",
        "unresolved_clarification: FR-009",
    ],
    "account-settings-page/spec.md": [
        "missing_acceptance_criteria: US-3",
        "unresolved_clarification: FR-007",
        "unresolved_clarification: FR-008",
        "unmeasurable_nfr: SC-002",
        "'FR-005', 'smell': 'subjective_language', 'trigger': 'fast'",
        "'FR-009', 'smell': 'ambiguous_adverbs_adjectives', 'trigger': 'as appropriate'",
    ],
    "file-upload-service/requirements.md": [
        "missing_acceptance_criteria: REQ-4",
        "unmeasurable_nfr: REQ-7",
        "missing_security",
        "'REQ-3', 'smell': 'ambiguous_adverbs_adjectives', 'trigger': 'approximately'",
        "'REQ-5', 'smell': 'loophole', 'trigger': 'if possible'",
    ],
    "product-search/spec.md": [
        "missing_error_handling",
        "'smell': 'open_ended', 'trigger': 'etc.'",
        "'smell': 'vague_subject', 'trigger': 'it'",
        "'smell': 'open_ended', 'trigger': 'and/or'",
    ],
    "log-search-cli/spec.md": [
        "missing_acceptance_criteria: R5",
        "missing_acceptance_criteria: R7",
        "missing_acceptance_criteria: R8",
        "unmeasurable_nfr: NFR-1",
        "unmeasurable_nfr: NFR-3",
        "missing_error_handling",
        "'R9', 'smell': 'vague_subject', 'trigger': 'it'",
        "'NFR-2', 'smell': 'open_ended', 'trigger': 'and/or'",
    ],
}


@pytest.mark.parametrize("spec_id", sorted(PLANTED))
def test_assistant_page_finds_the_planted_gaps(specgpt_home: Path, spec_id: str) -> None:
    at = select_spec(run_page(), spec_id)
    text = page_text(at)
    for expected in PLANTED[spec_id]:
        assert expected in text, expected
    highlighted = next(m.value for m in at.markdown if "<mark" in m.value)
    assert 'title="' in highlighted


def test_assistant_page_accept_and_reject(specgpt_home: Path) -> None:
    spec_file = specgpt_home / "specs" / "log-search-cli" / "spec.md"
    before = spec_file.read_text()
    at = select_spec(run_page(), "log-search-cli/spec.md")
    at.button(key="specgpt_generate").click().run()
    assert not at.exception
    assert spec_file.read_text() == before  # proposing changes nothing
    codes = [c.value for c in at.code]
    assert codes and codes[0].startswith("--- a/log-search-cli/spec.md")
    at.button(key="accept-1").click().run()
    assert not at.exception
    assert "Given the preconditions of R5 hold" in spec_file.read_text()
    assert any("Accepted #1" in s.value for s in at.success)
    at.button(key="reject-2").click().run()
    assert any("needs a reason" in e.value for e in at.error)
    at.text_input(key="reason-2").set_value("too generic").run()
    at.button(key="reject-2").click().run()
    assert any("Rejected #2" in s.value for s in at.success)
    feedback = at.dataframe[-2].value.to_dict("records")
    assert feedback[0]["accepted"] == 1 and feedback[0]["rejected"] == 1


def test_assistant_page_says_when_there_is_nothing_to_suggest(specgpt_home: Path) -> None:
    at = select_spec(run_page(), "team-invitations/spec.md")  # a clean sample
    at.button(key="specgpt_generate").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Nothing to suggest for this spec" in i.value for i in at.info)
    at = select_spec(run_page(), "log-search-cli/spec.md")  # planted gaps
    at.button(key="specgpt_generate").click().run()
    assert any("suggestion(s) to review below" in m.value for m in at.success)


def test_assistant_page_runs_on_an_empty_store(empty_env: Path) -> None:
    at = run_page()
    assert any("No specs ingested yet" in i.value for i in at.info)


def test_assistant_page_respects_the_toggle(specgpt_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("AGENTOPS_SPECGPT_ENABLED", "false")
    at = run_page()
    assert any("switched off" in w.value for w in at.warning)


@pytest.fixture
def empty_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from assistant_home import point_env_at

    home = tmp_path / "empty"
    point_env_at(home, monkeypatch, "bm25")
    (home / "specs").mkdir(parents=True)
    return home
