from __future__ import annotations

from conftest import make_doc

from agentops_pipelines.retrieval.chunking import chunk_spec


def test_one_chunk_per_requirement_and_section_with_ids_and_paths() -> None:
    chunks = chunk_spec(make_doc("billing/spec.md"), workspace="acme")
    by_id = {c.chunk_id: c for c in chunks}
    assert set(by_id) == {
        "billing/spec.md#req:FR-001",
        "billing/spec.md#req:FR-002",
        "billing/spec.md#req:FR-003",
        "billing/spec.md#sec:Billing",
    }
    fr1 = by_id["billing/spec.md#req:FR-001"]
    assert fr1.requirement_ids == ["FR-001"]
    assert fr1.section_path == ["Billing", "Invoices"]
    assert fr1.workspace == "acme" and fr1.spec_id == "billing/spec.md"
    assert "PDF invoice" in fr1.text and "Billing > Invoices" in fr1.text


def test_ids_and_hashes_survive_an_unrelated_edit_and_line_shifts() -> None:
    before = {c.chunk_id: c.content_hash for c in chunk_spec(make_doc("billing/spec.md"))}
    edited = make_doc("billing/spec.md", edits={"FR-002": "Customers pay by card or SEPA."})
    for req in edited.requirements:  # everything moved down by 5 lines
        req.span.start_line += 5
    after = {c.chunk_id: c.content_hash for c in chunk_spec(edited)}
    assert set(after) == set(before)
    changed = [cid for cid in before if before[cid] != after[cid]]
    assert changed == ["billing/spec.md#req:FR-002"]


def test_a_duplicated_requirement_id_still_gets_unique_chunk_ids() -> None:
    doc = make_doc("auth/spec.md")
    doc.requirements.append(doc.requirements[0].model_copy(update={"text": "Second FR-001."}))
    ids = [c.chunk_id for c in chunk_spec(doc)]
    assert len(ids) == len(set(ids))
    assert "auth/spec.md#req:FR-001~2" in ids
