"""Property: hostile input to the spec parser, the JUnit parser and the upload reader either
parses or raises the module's own error naming the input; never another exception."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from agentops_pipelines.marketplace.errors import UploadRejected
from agentops_pipelines.marketplace.upload import validate_upload
from agentops_pipelines.qa.junit import JUnitFormatError, parse_junit
from agentops_pipelines.specs.models import SpecInputError
from agentops_pipelines.specs.parsing import decode_spec, parse_spec
from agentops_pipelines.specs.parsing.budget import ParseBudget
from tests.fuzz.fuzz_settings import fuzz

MARKDOWN_PIECES = [
    "[",
    "]",
    "(",
    ")",
    "!",
    "*",
    "_",
    "`",
    "```",
    "#",
    "> ",
    "- ",
    "1. ",
    "|",
    "\n",
    "\n\n",
    " ",
    "a",
    "SHALL",
    "<b>",
    "\\",
    "&#91;",
    "[NEEDS CLARIFICATION: x]",
]
SMALL_BUDGET = ParseBudget(seconds=2.0)


@fuzz
@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=400), st.integers(1, 40))
def test_spec_parser_parses_or_refuses(pieces: list[str], repeat: int) -> None:
    text = "".join(pieces) * repeat
    try:
        parse_spec("fuzz/spec.md", text, budget=SMALL_BUDGET)
    except SpecInputError as err:
        assert err.spec_id == "fuzz/spec.md" and err.fix


@fuzz
@given(st.binary(max_size=2048))
def test_spec_decoder_decodes_or_refuses(data: bytes) -> None:
    try:
        decode_spec("fuzz/raw.md", data)
    except SpecInputError as err:
        assert str(err).startswith("fuzz/raw.md:")


JUNIT_PIECES = [
    "<testsuites>",
    "</testsuites>",
    "<testsuite name='s' tests='x'>",
    "</testsuite>",
    "<testcase name='c' time='1e999'/>",
    "<testcase>",
    "</testcase>",
    "<failure message='m'>",
    "</failure>",
    "<skipped type='pytest.xfail'/>",
    "<properties><property name='p'/></properties>",
    "<system-out>",
    "</system-out>",
    "<?xml version='1.0' encoding='x-fuzz'?>",
    "<!DOCTYPE x [<!ENTITY a 'b'>]>",
    "&a;",
    "<![CDATA[",
    "]]>",
    "\x00",
    "é",
]


@fuzz
@given(st.lists(st.sampled_from(JUNIT_PIECES), max_size=200), st.integers(1, 30))
def test_junit_parser_parses_or_raises_junit_format_error(pieces: list[str], repeat: int) -> None:
    data = ("".join(pieces) * repeat).encode("utf-8")
    try:
        parse_junit(data, "fuzz.xml")
    except JUnitFormatError as err:
        assert str(err).startswith("fuzz.xml:")


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


TEMPLATE = (
    b"---\ntitle: Fuzz template\nkind: spec_template\nlicense: MIT\nversion: 1.0.0\n"
    b"description: A template made by the fuzzer.\n---\n# Body\n"
)


@fuzz
@given(
    st.dictionaries(
        st.sampled_from(["template.md", "../x.md", "/abs.md", "a\\b.md", "d/template.md", "x.exe"]),
        st.one_of(st.just(TEMPLATE), st.binary(max_size=512)),
        max_size=4,
    ),
    st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=8),
)
def test_upload_reader_accepts_or_rejects_every_zip(files, flips) -> None:
    payload = bytearray(_zip(files))
    for position, value in flips:  # corrupt some bytes of the archive
        if payload:
            payload[position % len(payload)] = value
    try:
        validate_upload("fuzz.zip", bytes(payload))
    except UploadRejected as err:
        assert err.problems


@fuzz
@given(st.binary(max_size=4096))
def test_upload_reader_handles_any_markdown_bytes(data: bytes) -> None:
    try:
        validate_upload("fuzz.md", TEMPLATE[:60] + data)
    except UploadRejected as err:
        assert err.problems
