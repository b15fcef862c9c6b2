"""A pathological spec fails alone, with a message naming the line, instead of hanging a parse."""

from __future__ import annotations

import pytest

from agentops_pipelines.specs.models import SpecInputError
from agentops_pipelines.specs.parsing import parse_spec
from agentops_pipelines.specs.parsing.budget import ParseBudget

SOUND = "# Exports\n\n## Requirements\n- R1: The system shall export CSV [see notes].\n"


def test_runs_of_unclosed_brackets_are_refused_by_line():
    text = "# Hostile\n\nIntro paragraph.\n\n" + "[!" * 10_000  # 20 KB: seconds of markdown-it
    with pytest.raises(SpecInputError) as err:
        parse_spec("specs/hostile.md", text)
    message = str(err.value)
    assert message.startswith("specs/hostile.md:")
    assert "line 5" in message and "never closed" in message and "\\[" in message


@pytest.mark.parametrize(
    "pattern", ["[", "[a]([", "[x]\n[", "![", "[ "], ids=["open", "link", "lines", "image", "space"]
)
def test_every_unclosed_bracket_shape_is_caught_before_parsing(pattern):
    with pytest.raises(SpecInputError, match="never closed"):
        parse_spec("p.md", "# T\n\n" + pattern * 5_000, budget=ParseBudget(seconds=60))


def test_brackets_that_close_escaped_or_fenced_are_fine():
    closed = "- [x] done [link](http://a) [NEEDS CLARIFICATION: who?]\n" * 300
    escaped = "Literal \\[ brackets " * 400
    fenced = "```\n" + "[" * 5_000 + "\n```\n"
    text = (
        f"# T\n\n## Requirements\n- R1: The system shall work.\n\n{closed}\n{escaped}\n\n{fenced}"
    )
    doc = parse_spec("ok.md", text)
    assert doc.requirements


def test_a_paragraph_break_resets_the_count():
    text = "# T\n\n- R1: The system shall work.\n\n" + ("[" * 150 + "\n\n") * 20
    assert parse_spec("ok.md", text).requirements


def test_the_time_budget_stops_a_slow_parse_that_passed_the_prescan():
    budget = ParseBudget(seconds=0.2, max_unclosed_brackets=10**9)
    with pytest.raises(SpecInputError) as err:
        parse_spec("slow.md", "# T\n\n" + "[!" * 60_000, budget=budget)
    assert "0.2 s budget" in str(err.value) and "AGENTOPS_SPEC_PARSE_SECONDS" in str(err.value)


def test_text_over_the_size_budget_is_refused_before_parsing():
    with pytest.raises(SpecInputError, match="parse budget"):
        parse_spec("big.md", SOUND + "x" * 200, budget=ParseBudget(max_chars=100))


def test_the_deadline_rule_does_not_change_the_parse():
    doc = parse_spec("ok.md", SOUND)
    assert [r.text for r in doc.requirements] == ["The system shall export CSV [see notes]."]
