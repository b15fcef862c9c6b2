"""Derived requirement IDs survive reordering and edits elsewhere; collisions are numbered."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from agentops_pipelines.specs.parsing import derived_id, normalise, parse_spec
from agentops_pipelines.specs.parsing.ids import sha256

STATEMENTS = [
    "The system shall export invoices as PDF.",
    "Refunds must be processed within 30 days.",
    "The API should answer within 200 ms.",
    "Users will receive a receipt by email.",
    "Admins shall be able to void an invoice.",
    "Reports must include VAT totals.",
]


def _plain(statements: list[str], intro: str = "") -> str:
    return "# Billing\n\n" + intro + "\n\n" + "\n".join(f"- {s}" for s in statements) + "\n"


def _ids_by_text(text: str) -> dict[str, str]:
    return {r.text: r.id for r in parse_spec("billing.md", text).requirements}


def test_derived_id_is_req_plus_sha256_prefix_of_normalised_text() -> None:
    expected = "REQ-" + sha256("the api should answer within 200 ms")[:8]
    assert derived_id("The  API should answer, within 200 ms!", set()) == expected
    assert normalise("  Hello,\tWORLD!! ") == "hello world"


@settings(max_examples=40, deadline=None)
@given(st.permutations(STATEMENTS))
def test_ids_do_not_depend_on_order(order: list[str]) -> None:
    assert _ids_by_text(_plain(order)) == _ids_by_text(_plain(STATEMENTS))


@settings(max_examples=40, deadline=None)
@given(
    st.text(alphabet="abcdefgh ", max_size=40),
    st.integers(min_value=0, max_value=len(STATEMENTS) - 1),
)
def test_ids_do_not_depend_on_unrelated_edits(intro: str, edited: int) -> None:
    before = _ids_by_text(_plain(STATEMENTS))
    changed = list(STATEMENTS)
    changed[edited] = changed[edited].replace(".", " and logs it.")
    after = _ids_by_text(_plain(changed, intro=intro))
    for text in STATEMENTS:
        if text != STATEMENTS[edited]:
            assert after[text] == before[text]


def test_formatting_only_edits_keep_the_id_and_hash() -> None:
    a = parse_spec("a.md", "- The system shall export PDFs.\n").requirements[0]
    b = parse_spec("a.md", "- The  system SHALL export **PDFs**!\n").requirements[0]
    assert (a.id, a.content_hash) == (b.id, b.content_hash)


def test_collisions_get_numbered_suffixes_in_order() -> None:
    text = "# A\n\n- It shall work.\n\n## B\n\n- It shall work.\n\n## C\n\n- it SHALL work!\n"
    ids = [r.id for r in parse_spec("a.md", text).requirements]
    base = derived_id("It shall work.", set())
    assert ids == [base, f"{base}-2", f"{base}-3"]


def test_openspec_ids_come_from_titles_so_text_edits_keep_them() -> None:
    spec = "## Requirements\n### Requirement: Export\nThe tool SHALL export {what}.\n"
    one = parse_spec("s.md", spec.format(what="CSV")).requirements[0]
    two = parse_spec("s.md", spec.format(what="CSV and JSON")).requirements[0]
    assert one.id == two.id == derived_id("Export", set())
    assert one.content_hash != two.content_hash


def test_criterion_change_changes_the_content_hash() -> None:
    base = "- The system shall export.\n  - {c}\n"
    one = parse_spec("s.md", base.format(c="a CSV file is written")).requirements[0]
    two = parse_spec("s.md", base.format(c="a JSON file is written")).requirements[0]
    assert one.id == two.id and one.content_hash != two.content_hash
