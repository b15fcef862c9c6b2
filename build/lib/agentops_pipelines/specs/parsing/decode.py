"""Bytes -> text for a spec file, rejecting what no parser could use."""

from __future__ import annotations

from agentops_pipelines.specs.models import SpecInputError

MAX_SPEC_BYTES = 5 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}
_MAX_CONTROL_RATIO = 0.1


def decode_spec(spec_id: str, data: bytes) -> str:
    """Decode a spec file to text with LF line endings, or raise SpecInputError."""
    if len(data) > MAX_SPEC_BYTES:
        raise SpecInputError(
            spec_id,
            f"the file is {len(data):,} bytes ({len(data) / 2**20:.1f} MiB), over the "
            f"{MAX_SPEC_BYTES:,} byte ({MAX_SPEC_BYTES // 2**20} MiB) limit for a spec",
            "Split it into smaller spec files or move embedded data out of the markdown",
        )
    offset = 0
    if data.startswith(_BOM):
        data, offset = data[len(_BOM) :], len(_BOM)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise SpecInputError(
            spec_id,
            "the file is UTF-16 encoded, not UTF-8",
            "Re-save it as UTF-8 (e.g. `iconv -f utf-16 -t utf-8`)",
        )
    if b"\x00" in data:
        raise _binary(spec_id, f"it contains NUL bytes (first at byte {data.index(0) + offset})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _mostly_non_text(data):
            raise _binary(spec_id, "most of its bytes are not text") from None
        raise SpecInputError(
            spec_id,
            f"the file is not valid UTF-8 (invalid byte 0x{data[exc.start]:02x} at byte offset "
            f"{exc.start + offset})",
            "Re-save it as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)",
        ) from None
    if _control_ratio(text) > _MAX_CONTROL_RATIO:
        raise _binary(spec_id, "most of its characters are control characters")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SpecInputError(
            spec_id,
            "the file is empty or holds only whitespace",
            "Write the spec's requirements into it, or delete the file",
        )
    return text


def _binary(spec_id: str, why: str) -> SpecInputError:
    """One wording for every binary case, so users recognise it whichever test tripped."""
    return SpecInputError(
        spec_id,
        f"the file looks binary, not markdown: {why}",
        "Point the spec source at markdown files only (.md)",
    )


def _mostly_non_text(data: bytes) -> bool:
    """Tell random/binary bytes from a mostly-text file with one bad byte, for a better message."""
    sample = data[:8192]
    odd = sum(1 for b in sample if (b < 32 and b not in (9, 10, 12, 13)) or b == 127)
    high = sum(1 for b in sample if b >= 128)
    return (odd + high / 2) > 0.3 * max(len(sample), 1)


def _control_ratio(text: str) -> float:
    """Share of control characters in a sample; valid UTF-8 can still be binary junk."""
    sample = text[:8192]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in _ALLOWED_CONTROLS)
    return bad / len(sample)
