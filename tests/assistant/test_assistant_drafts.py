"""The offline (rule-drafted) acceptance criteria read as English for every sample requirement."""

from __future__ import annotations

import re

import pytest

from agentops_pipelines.assistant.drafts import criteria_lines, trigger
from agentops_pipelines.settings import BUNDLED_SPECS
from agentops_pipelines.specs.parsing.parse import parse_spec

SAMPLES = sorted(p.relative_to(BUNDLED_SPECS).as_posix() for p in BUNDLED_SPECS.glob("*/*.md"))


def _doc(spec_id: str):  # noqa: ANN202 - a SpecDocument
    return parse_spec(spec_id, (BUNDLED_SPECS / spec_id).read_text(encoding="utf-8"))


@pytest.mark.parametrize("spec_id", SAMPLES)
def test_no_user_asks_for_a_quality_or_for_the_systems_duty(spec_id: str) -> None:
    doc = _doc(spec_id)
    for req in doc.requirements:
        when = criteria_lines(doc, req)[0].when
        assert not re.search(r"asks to (be|have|my|an? |the )\b", when, re.I), (req.id, when)
        assert not re.match(r"an user|a operator|a customers", when), (req.id, when)


def test_triggers_follow_who_acts() -> None:
    account = _doc("account-settings-page/spec.md")
    assert (
        trigger(account.requirement("FR-005"))
        == "the page has to load fast and be user-friendly on mobile and desktop"
    )
    assert trigger(account.requirement("US-2")).startswith("a user changes their password")
    webhook = _doc("webhook-delivery/webhook-delivery.md")
    assert trigger(webhook.requirement("R8")).startswith("a customer asks to list the deliveries")
    assert trigger(webhook.requirement("R1")).startswith("the system has to deliver each event")
    logs = _doc("log-search-cli/spec.md")
    assert (
        trigger(logs.requirement("R7")) == "a user uses what R7 covers"
    )  # "should be easy to use"
    upload = _doc("file-upload-service/requirements.md")
    assert trigger(upload.requirement("REQ-1")) == "a user asks to start an upload for a file"
    assert trigger(upload.requirement("REQ-3")).startswith(
        "a user wants their file to be available"
    )
