"""decode_spec / parse_spec reject inputs no parser can use, naming the spec and the problem."""

from __future__ import annotations

import pytest

from agentops_pipelines.specs.models import SpecInputError
from agentops_pipelines.specs.parsing import MAX_SPEC_BYTES, decode_spec, parse_spec

SPEC_ID = "billing/spec.md"


def _reject(data: bytes) -> SpecInputError:
    with pytest.raises(SpecInputError) as info:
        decode_spec(SPEC_ID, data)
    assert SPEC_ID in str(info.value)
    assert info.value.spec_id == SPEC_ID
    return info.value


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf\n"])
def test_empty_or_whitespace_is_rejected(data: bytes) -> None:
    assert "empty" in str(_reject(data))


def test_nul_bytes_are_binary() -> None:
    err = _reject(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary" in str(err) and "NUL" in str(err)


def test_utf16_gets_its_own_advice() -> None:
    err = _reject("# Spec\nIt shall work.\n".encode("utf-16"))
    assert "UTF-16" in str(err) and "iconv" in str(err)


def test_mostly_non_text_without_nul_is_binary() -> None:
    data = bytes(range(1, 32)) * 50 + b"# T\nThe system shall work.\n"
    assert "binary" in str(_reject(data))


def test_random_high_bytes_are_binary() -> None:
    data = bytes((i * 97 + 13) % 255 + 1 for i in range(4000))
    assert "binary" in str(_reject(data))


def test_invalid_utf8_names_the_offset() -> None:
    data = "# Título\nThe system shall work.\n".encode() + b"caf\xe9 ok\n"
    err = _reject(data)
    offset = data.index(b"\xe9")
    assert "UTF-8" in str(err) and f"offset {offset}" in str(err)


def test_twenty_megabytes_is_rejected_with_size_and_limit() -> None:
    data = b"- The system shall scale.\n" * (20_000_000 // 26 + 1)
    err = _reject(data)
    assert f"{len(data):,}" in str(err)
    assert f"{MAX_SPEC_BYTES:,}" in str(err) and "5 MiB" in str(err)


def test_bom_is_stripped_and_crlf_normalised() -> None:
    text = decode_spec(SPEC_ID, b"\xef\xbb\xbf# Title\r\n\r\n- It shall work.\r\n")
    assert text == "# Title\n\n- It shall work.\n"


def test_limit_is_inclusive() -> None:
    data = b"x" * (MAX_SPEC_BYTES - 1) + b"\n"
    assert len(decode_spec(SPEC_ID, data)) == MAX_SPEC_BYTES


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
def test_unclosed_fence_names_its_line(fence: str) -> None:
    text = f"# Spec\n\n- The system shall work.\n\n{fence}python\nprint('x')\n\n## More\n"
    with pytest.raises(SpecInputError) as info:
        parse_spec(SPEC_ID, text)
    message = str(info.value)
    assert SPEC_ID in message and "never closed" in message and "line 5" in message


def test_closed_fences_are_accepted_even_at_end_of_file() -> None:
    text = "# Spec\n\n- The system shall work.\n\n~~~\ncode\n~~~"
    assert len(parse_spec(SPEC_ID, text).requirements) == 1
    text = "# Spec\n\n- The system shall work.\n\n```\n``\n`````\n"
    assert len(parse_spec(SPEC_ID, text).requirements) == 1


def test_a_short_closing_marker_does_not_close_a_long_fence() -> None:
    with pytest.raises(SpecInputError, match="line 3"):
        parse_spec(SPEC_ID, "# Spec\n\n````\ncode\n```\n")


def test_duplicate_author_ids_name_both_lines() -> None:
    text = (
        "# Spec\n\n## Functional Requirements\n\n"
        "- **FR-001**: System MUST log in.\n"
        "- **FR-002**: System MUST log out.\n"
        "- **FR-001**: System MUST remember me.\n"
    )
    with pytest.raises(SpecInputError) as info:
        parse_spec(SPEC_ID, text)
    message = str(info.value)
    assert SPEC_ID in message and "FR-001" in message
    assert "line 5" in message and "line 7" in message


def test_duplicate_kiro_requirement_numbers_are_rejected() -> None:
    text = (
        "# Requirements\n\n### Requirement 1: A\n\n**User Story:** As a user, I want A.\n\n"
        "### Requirement 1: B\n\n**User Story:** As a user, I want B.\n"
    )
    with pytest.raises(SpecInputError, match="REQ-1.*line 3.*line 7"):
        parse_spec(SPEC_ID, text)


def test_no_requirements_is_a_warning_not_an_error() -> None:
    doc = parse_spec(SPEC_ID, "# Notes\n\nJust some background prose.\n")
    assert doc.requirements == []
    assert [(f.code, f.severity) for f in doc.findings] == [("no-requirements", "warning")]
