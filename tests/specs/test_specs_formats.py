"""Each format parsed from small inline fixtures: kinds, IDs, criteria, clarifications, spans."""

from __future__ import annotations

import textwrap

from agentops_pipelines.specs.models import RequirementKind, SourceInfo, SpecFormat
from agentops_pipelines.specs.parsing import parse_spec
from agentops_pipelines.specs.parsing.ids import sha256
from tests.conftest import EXAMPLE_SPECS as EXAMPLES

SPEC_KIT = textwrap.dedent(
    """\
    # Feature Specification: Invoices

    ## User Scenarios & Testing

    ### User Story 1 - Send an invoice (Priority: P1)

    A clerk sends an invoice to a customer.

    **Why this priority**: It is how we get paid.

    **Acceptance Scenarios**:

    1. **Given** a draft invoice, **When** the clerk sends it,
       **Then** the customer gets an email (FR-001)
    2. **Given** a sent invoice, **When** it is opened, **Then** its status is viewed

    ---

    ### User Story 2 - Void an invoice (Priority: P2) 🎯 MVP

    A clerk voids a wrong invoice.

    **Acceptance Scenarios**:

    1. **Given** a sent invoice, **When** the clerk voids it,
       **Then** FR-001 email is recalled and FR-002 applies

    ### Edge Cases

    - What happens when the email bounces?

    ## Requirements

    ### Functional Requirements

    - **FR-001**: System MUST email the invoice to the customer.
    - **FR-002**: System SHOULD keep an audit trail for [NEEDS CLARIFICATION: how long?]
    - **FR-010**: Users MUST be able to download a PDF.

    ## Success Criteria

    - **SC-001**: 95% of invoices are delivered within 1 minute.
    """
)


def test_spec_kit_stories_requirements_and_success_criteria() -> None:
    doc = parse_spec("invoices/spec.md", SPEC_KIT)
    assert doc.format is SpecFormat.SPEC_KIT
    assert doc.title == "Feature Specification: Invoices"
    assert [r.id for r in doc.requirements] == [
        "US-1",
        "US-2",
        "FR-001",
        "FR-002",
        "FR-010",
        "SC-001",
    ]
    us1 = doc.requirement("US-1")
    assert us1.kind is RequirementKind.USER_STORY and us1.id_source == "author"
    assert (us1.title, us1.priority, us1.text) == (
        "Send an invoice",
        "P1",
        "A clerk sends an invoice to a customer.",
    )
    assert [c.id for c in us1.acceptance_criteria] == ["US-1.AC-1", "US-1.AC-2"]
    assert {c.style for c in us1.acceptance_criteria} == {"given_when_then"}
    assert us1.acceptance_criteria[0].text.startswith("Given a draft invoice, When the clerk")
    assert us1.acceptance_criteria[0].span.start_line == 13
    us2 = doc.requirement("US-2")
    assert (us2.title, us2.priority) == ("Void an invoice 🎯 MVP", "P2")
    fr1 = doc.requirement("FR-001")
    assert fr1.kind is RequirementKind.FUNCTIONAL and fr1.modal == "MUST"
    assert fr1.text == "System MUST email the invoice to the customer."
    assert len(fr1.acceptance_criteria) == 2  # US-1 scenario 1 and US-2 scenario 1 name it
    fr2 = doc.requirement("FR-002")
    assert fr2.modal == "SHOULD" and fr2.clarifications == ["how long?"]
    assert len(fr2.acceptance_criteria) == 1
    assert doc.requirement("FR-010").acceptance_criteria == []  # FR-001 must not match FR-010
    sc1 = doc.requirement("SC-001")
    assert sc1.kind is RequirementKind.SUCCESS_CRITERION
    # spec-kit: an SC is a measurable outcome, not a criterion of itself; scenarios live under
    # the user stories, so FR/SC bullets without a scenario naming them are not flagged
    assert sc1.acceptance_criteria == []
    codes = {(f.code, f.requirement_id) for f in doc.findings}
    assert ("missing-acceptance-criteria", "FR-010") not in codes
    assert ("missing-acceptance-criteria", "SC-001") not in codes
    assert ("unresolved-clarification", "FR-002") in codes
    assert ("missing-acceptance-criteria", "FR-001") not in codes


KIRO = textwrap.dedent(
    """\
    # Requirements Document

    ## Introduction

    Exports reports.

    ## Requirements

    ### Requirement 1: Export

    **User Story:** As an analyst, I want to export reports, so that I can share them.

    #### Acceptance Criteria

    1. WHEN the analyst clicks export THE SYSTEM SHALL produce a CSV file
    2. IF the report is empty THEN THE SYSTEM SHALL show a notice
       - with a link to the filters

    ### Requirement 2: Schedule

    **User Story:** As an analyst, I want scheduled exports.

    #### Acceptance Criteria

    3. WHILE a schedule is active THE SYSTEM SHALL export daily
    """
)

KIRO_ZH = textwrap.dedent(
    """\
    # 需求文档

    ## 需求

    ### 需求 1：导出报表

    **用户故事：** 作为分析师，我希望导出报表。

    #### 验收标准

    1. THE 系统 SHALL 生成 CSV 文件
    2. WHEN 报表为空 THE 系统 SHALL 显示提示
    """
)


def test_kiro_requirements_with_ears_criteria() -> None:
    doc = parse_spec("reports/requirements.md", KIRO)
    assert doc.format is SpecFormat.KIRO
    assert [r.id for r in doc.requirements] == ["REQ-1", "REQ-2"]
    req1 = doc.requirement("REQ-1")
    assert req1.title == "Export" and req1.modal == "SHALL"
    assert req1.text == "As an analyst, I want to export reports, so that I can share them."
    assert req1.section_path == ["Requirements Document", "Requirements"]
    assert [c.id for c in req1.acceptance_criteria] == ["REQ-1.AC-1", "REQ-1.AC-2"]
    assert {c.style for c in req1.acceptance_criteria} == {"ears"}
    assert req1.acceptance_criteria[1].text.endswith("with a link to the filters")
    assert (req1.span.start_line, req1.span.end_line) == (9, 17)
    # the author's numbering is kept
    assert [c.id for c in doc.requirement("REQ-2").acceptance_criteria] == ["REQ-2.AC-3"]


def test_kiro_chinese_headings() -> None:
    doc = parse_spec("reports/requirements.md", KIRO_ZH)
    assert doc.format is SpecFormat.KIRO
    (req,) = doc.requirements
    assert (req.id, req.title, req.text) == ("REQ-1", "导出报表", "作为分析师，我希望导出报表。")
    assert [c.text for c in req.acceptance_criteria] == [
        "THE 系统 SHALL 生成 CSV 文件",
        "WHEN 报表为空 THE 系统 SHALL 显示提示",
    ]


OPENSPEC = textwrap.dedent(
    """\
    # Archive Specification

    ## Purpose
    Moves finished changes.

    ## Requirements
    ### Requirement: Change Selection
    The command SHALL support interactive selection.

    #### Scenario: Interactive selection
    - **WHEN** no change name is given
    - **THEN** show a list
    - **AND** let the user pick one

    #### Scenario: Direct selection
    - **WHEN** a name is given
    - **THEN** use it

    ```text
    #### Scenario: not a real one
    ```

    ### Requirement: Confirmation
    The command MUST ask before moving files.
    """
)


def test_openspec_requirements_and_scenarios() -> None:
    doc = parse_spec("cli-archive/spec.md", OPENSPEC)
    assert doc.format is SpecFormat.OPENSPEC
    assert len(doc.requirements) == 2
    sel, conf = doc.requirements
    assert sel.id_source == "derived" and sel.id.startswith("REQ-") and len(sel.id) == 12
    assert sel.title == "Change Selection" and sel.modal == "SHALL"
    assert sel.text == "The command SHALL support interactive selection."
    assert [(c.id, c.title, c.style) for c in sel.acceptance_criteria] == [
        (f"{sel.id}.AC-1", "Interactive selection", "when_then"),
        (f"{sel.id}.AC-2", "Direct selection", "when_then"),
    ]
    assert sel.acceptance_criteria[0].text == (
        "WHEN no change name is given\nTHEN show a list\nAND let the user pick one"
    )
    assert conf.modal == "MUST" and conf.acceptance_criteria == []


PLAIN = textwrap.dedent(
    """\
    # Billing

    Intro text that will not be a requirement? It is: it says will.

    ## Payments

    - R1: The system shall accept card payments.
      - Visa and Mastercard are accepted
      - Declines show a reason
    - REQ-12 Refunds must be possible within 30 days.
    - [API-7] The API should return JSON.
    - NFR-3. Pages will load in under 2 seconds.
    - A plain bullet with no modal verb.
    - Receipts are emailed; they MUST include VAT.

    Acceptance criteria:

    - a VAT line is printed
    - totals match

    ## Scenarios

    The invoice shall be archived.

    - Given an invoice
    - When it is paid
    - Then it is archived
    """
)


def test_plain_markdown_requirements() -> None:
    doc = parse_spec("billing.md", PLAIN, SourceInfo(root="/specs", path="billing.md"))
    assert doc.format is SpecFormat.PLAIN
    assert doc.source is not None and doc.source.path == "billing.md"
    ids = [r.id for r in doc.requirements]
    assert ids[1:5] == ["R1", "REQ-12", "API-7", "NFR-3"]
    assert doc.requirements[0].id_source == "derived"  # the intro paragraph says "will"
    r1 = doc.requirement("R1")
    assert r1.text == "The system shall accept card payments." and r1.modal == "SHALL"
    assert r1.section_path == ["Billing", "Payments"]
    assert [c.text for c in r1.acceptance_criteria] == [
        "Visa and Mastercard are accepted",
        "Declines show a reason",
    ]
    assert doc.requirement("API-7").modal == "SHOULD"
    vat = doc.requirements[5]
    assert vat.text == "Receipts are emailed; they MUST include VAT." and vat.modal == "MUST"
    assert [c.text for c in vat.acceptance_criteria] == ["a VAT line is printed", "totals match"]
    archived = doc.requirements[6]
    assert archived.text == "The invoice shall be archived."
    assert [c.style for c in archived.acceptance_criteria] == ["given_when_then"] + [
        "when_then"
    ] * 2
    assert len(doc.requirements) == 7


def test_document_fields_title_hash_and_sections() -> None:
    doc = parse_spec("billing/spec.md", PLAIN)
    assert doc.content_hash == sha256(PLAIN)
    assert [s.title for s in doc.sections] == ["Billing", "Payments", "Scenarios"]
    payments = doc.sections[1]
    assert payments.path == ["Billing", "Payments"] and payments.level == 2
    assert payments.text.startswith("- R1: The system shall")
    assert (payments.span.start_line, payments.span.end_line) == (5, 19)
    untitled = parse_spec("billing/spec.md", "- It shall work.\n")
    assert untitled.title == "billing"
    assert parse_spec("notes/payments.md", "- It shall work.\n").title == "payments"


def test_format_is_detected_from_content_not_file_name() -> None:
    assert parse_spec("requirements.md", OPENSPEC).format is SpecFormat.OPENSPEC
    assert parse_spec("spec.md", KIRO).format is SpecFormat.KIRO
    assert parse_spec("README.md", SPEC_KIT).format is SpecFormat.SPEC_KIT
    assert parse_spec("spec.md", PLAIN).format is SpecFormat.PLAIN


def test_crlf_text_parses_like_lf() -> None:
    assert parse_spec("a.md", KIRO.replace("\n", "\r\n")).requirements == (
        parse_spec("a.md", KIRO).requirements
    )


def test_kiro_variant_without_acceptance_heading_uses_bullets_as_criteria() -> None:
    text = (
        "# Requirements\n\n## Requirements\n\n### Requirement 1: Scaffold CLI\n"
        "- Provide the `scaffold` command.\n- Require `--spec`.\n\n"
        "### Requirement 2: Output\n\nThe tool SHALL write files.\n"
    )
    doc = parse_spec("r.md", text)
    assert doc.format is SpecFormat.KIRO
    req1, req2 = doc.requirements
    assert (req1.text, [c.text for c in req1.acceptance_criteria]) == (
        "Scaffold CLI",
        ["Provide the scaffold command.", "Require --spec."],
    )
    assert [c.id for c in req1.acceptance_criteria] == ["REQ-1.AC-1", "REQ-1.AC-2"]
    assert req2.text == "The tool SHALL write files." and req2.acceptance_criteria == []


def test_plain_heading_with_author_id_owns_its_bullets() -> None:
    text = (
        "# Spec\n\n## Requirements\n\n### R1. Projection must be tracked\n"
        "- SCE must keep it in Git.\n- The path must be committed.\n\n"
        "### R2. Stay aligned\n\nMutations refresh the projection.\n\n## Notes\n\n- It will rain.\n"
    )
    doc = parse_spec("r.md", text)
    assert doc.format is SpecFormat.PLAIN
    assert [r.id for r in doc.requirements][:2] == ["R1", "R2"]
    r1, r2, rain = doc.requirements
    assert r1.title == "Projection must be tracked" and r1.modal == "MUST"
    assert len(r1.acceptance_criteria) == 2 and r1.section_path == ["Spec", "Requirements"]
    assert r2.text == "Mutations refresh the projection." and r2.acceptance_criteria == []
    assert rain.id_source == "derived" and rain.section_path == ["Spec", "Notes"]


def test_kiro_generic_heading_gives_way_to_the_feature_folder() -> None:
    """Every Kiro file starts with "# Requirements Document": the folder names the feature."""
    text = (EXAMPLES / "auth-login-mfa" / "requirements.md").read_text()
    assert text.startswith("# Requirements Document")
    assert parse_spec("auth-login-mfa/requirements.md", text).title == "auth-login-mfa"
    # A specific H1 is kept; a generic one with no folder to fall back on is kept too.
    assert parse_spec("x/requirements.md", "# Invoice export\n").title == "Invoice export"
    assert parse_spec("requirements.md", "# Requirements Document\n").title == (
        "Requirements Document"
    )
