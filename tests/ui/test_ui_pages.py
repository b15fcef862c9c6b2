"""Every Streamlit page, and the app's routing, run headless through AppTest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from ui_seed import (
    APP_DIR,
    PAGES_DIR,
    REQUIREMENT_WITHOUT_CRITERIA,
    SEEDED_TITLES,
    SPEC_WITHOUT_CRITERIA,
)

# Generous: the first run imports pydantic/pandas on a machine shared with other test runs.
TIMEOUT = 60
PAGE_FILES = sorted(PAGES_DIR.glob("*.py"))


def _run(path: Path) -> AppTest:
    at = AppTest.from_file(str(path), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_pages_are_discovered() -> None:
    assert PAGES_DIR / "specs.py" in PAGE_FILES


@pytest.mark.parametrize("page", PAGE_FILES, ids=[p.stem for p in PAGE_FILES])
def test_ui_page_runs_without_exception(page: Path, seeded_env: dict[str, str]) -> None:
    _run(page)


def test_ui_app_routes_to_specs_page(seeded_env: dict[str, str]) -> None:
    at = _run(APP_DIR / "app.py")
    assert [t.value for t in at.title] == ["Specs"]
    assert len(at.dataframe[0].value) == len(SEEDED_TITLES)


def test_ui_specs_page_table_lists_titles_and_counts(seeded_env: dict[str, str]) -> None:
    at = _run(PAGES_DIR / "specs.py")
    table = at.dataframe[0].value.set_index("spec")
    assert sorted(table["title"]) == sorted(SEEDED_TITLES)
    assert table.loc["billing-invoices/spec.md", "requirements"] == 3
    assert table.loc["billing-invoices/spec.md", "criteria"] == 4
    assert table.loc["billing-invoices/spec.md", "commit"] == "01234567"
    assert table.loc["billing-invoices/spec.md", "checks"] == "all 3 passed"
    assert table.loc[SPEC_WITHOUT_CRITERIA, "criteria"] == 1
    assert table.loc[SPEC_WITHOUT_CRITERIA, "checks"] == "2 warnings"


def test_ui_specs_page_detail_warns_about_missing_criteria(seeded_env: dict[str, str]) -> None:
    at = _run(PAGES_DIR / "specs.py")
    at.selectbox[0].select(SPEC_WITHOUT_CRITERIA).run()
    assert not at.exception
    assert at.subheader[0].value == "Team invitations"
    warnings = [w.value for w in at.warning]
    assert any(
        "acceptance_criteria_present" in w and REQUIREMENT_WITHOUT_CRITERIA in w for w in warnings
    )
    assert any("clarifications_resolved" in w for w in warnings)
    assert f"{REQUIREMENT_WITHOUT_CRITERIA} has no acceptance criteria" in warnings
    infos = [i.value for i in at.info]
    assert any("How long before an invitation expires?" in i for i in infos)
    markdown = [m.value for m in at.markdown]
    assert any("First version of this spec" in m for m in markdown)


def test_ui_specs_page_shows_last_change(seeded_env: dict[str, str]) -> None:
    at = _run(PAGES_DIR / "specs.py")
    assert at.subheader[0].value == "Billing invoices"
    markdown = [m.value for m in at.markdown]
    assert "Added (1): FR-003" in markdown
    assert "Changed (1): FR-001" in markdown
    assert "Removed (1): FR-009" in markdown
    (changes,) = [df.value for df in at.dataframe if "change" in df.value.columns]
    rows = {r["id"]: r for r in changes.to_dict("records")}
    assert rows["FR-003"] == {
        "change": "added",
        "id": "FR-003",
        "text": "Credit notes, for refunds",
        "before": "",
    }
    assert rows["FR-001"]["text"] == "Issue invoices monthly, in EUR"
    assert rows["FR-001"]["before"] == "Issue invoices quarterly"
    assert rows["FR-009"]["change"] == "removed"
    assert rows["FR-009"]["before"] == "Keep invoices forever"


def test_ui_specs_page_filters_by_format(seeded_env: dict[str, str]) -> None:
    at = _run(PAGES_DIR / "specs.py")
    at.multiselect[0].set_value(["kiro"]).run()
    assert not at.exception
    assert list(at.dataframe[0].value["title"]) == ["Team invitations"]
    assert at.subheader[0].value == "Team invitations"


def test_ui_specs_page_empty_state_says_how_to_ingest(empty_env: Path) -> None:
    at = _run(PAGES_DIR / "specs.py")
    text = " ".join(i.value for i in at.info)
    assert "make demo" in text
    assert "agentops ingest PATH" in text
    assert not at.dataframe


def test_ui_specs_page_reports_unreadable_artefact(seeded_env: dict[str, str]) -> None:
    root = Path(seeded_env["AGENTOPS_ARTEFACT_ROOT"])
    (root / "spec_document" / "broken.json").write_text("{not json", encoding="utf-8")
    at = _run(PAGES_DIR / "specs.py")
    errors = [e.value for e in at.error]
    assert any("broken.json" in e and "agentops ingest" in e for e in errors)
    assert len(at.dataframe[0].value) == len(SEEDED_TITLES)


@pytest.mark.parametrize(
    ("present", "expected_title"),
    [("specs.py", "Specs"), ("plan_builder.py", "Stand-in page")],
)
def test_ui_app_leaves_out_pages_whose_file_is_missing(
    present: str, expected_title: str, seeded_env: dict[str, str], tmp_path: Path
) -> None:
    """A copy of the app with one page file only still routes; were the missing page kept, the
    default (first) page would be a file that is not there and the run would fail."""
    app_copy = tmp_path / "app_copy"
    (app_copy / "app_pages").mkdir(parents=True)
    shutil.copy(APP_DIR / "app.py", app_copy / "app.py")
    page = app_copy / "app_pages" / present
    page.write_text(f"import streamlit as st\n\nst.title({expected_title!r})\n", encoding="utf-8")
    at = _run(app_copy / "app.py")
    assert [t.value for t in at.title] == [expected_title]


def test_ui_specs_page_warns_when_plan_and_qa_are_from_an_older_version(
    seeded_env: dict[str, str],
) -> None:
    import os

    from agentops_pipelines.artefacts import ArtefactStore

    store = ArtefactStore(Path(seeded_env["AGENTOPS_ARTEFACT_ROOT"]))
    doc_time = store.path_for("spec_document", SPEC_WITHOUT_CRITERIA).stat().st_mtime
    for kind in ("technical_plan", "qa_scores", "pull_request"):
        path = store.write_text(kind, SPEC_WITHOUT_CRITERIA, "{}")
        os.utime(path, (doc_time - 60, doc_time - 60))  # built before the last edit
    at = AppTest.from_file(str(PAGES_DIR / "specs.py"), default_timeout=3 * TIMEOUT)
    at.run()
    at.selectbox[0].select(SPEC_WITHOUT_CRITERIA).run()
    assert not at.exception
    banner = [w.value for w in at.warning if "older version" in w.value]
    assert banner and "technical_plan, qa_scores, pull_request" in banner[0]
    assert "Dagster UI" in banner[0]


def test_ui_specs_page_banner_gives_the_failure_reason_and_retries(
    seeded_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real failed run of the spec's partition: the banner says why; Retry asks the Dagster
    webserver for a new run and, with none listening, says so instead of failing silently."""
    import os
    import socket

    import dagster as dg

    from agentops_pipelines.artefacts import ArtefactStore

    store = ArtefactStore(Path(seeded_env["AGENTOPS_ARTEFACT_ROOT"]))
    doc_time = store.path_for("spec_document", SPEC_WITHOUT_CRITERIA).stat().st_mtime
    for kind in ("technical_plan", "qa_scores", "pull_request"):
        path = store.write_text(
            kind, SPEC_WITHOUT_CRITERIA, '{"spec_content_hash": "abcdef012345"}'
        )
        os.utime(path, (doc_time - 60, doc_time - 60))

    @dg.asset(partitions_def=dg.DynamicPartitionsDefinition(name="spec"), name="qa_scores")
    def qa_scores() -> None:
        raise RuntimeError("sandbox exited with code 137 (out of memory)")

    with dg.DagsterInstance.get() as instance:
        instance.add_dynamic_partitions("spec", [SPEC_WITHOUT_CRITERIA])
        dg.materialize(
            [qa_scores],
            instance=instance,
            partition_key=SPEC_WITHOUT_CRITERIA,
            raise_on_error=False,
        )
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("AGENTOPS_DAGSTER_URL", f"http://127.0.0.1:{port}")
    at = AppTest.from_file(str(PAGES_DIR / "specs.py"), default_timeout=3 * TIMEOUT)
    at.run()
    at.selectbox[0].select(SPEC_WITHOUT_CRITERIA).run()
    assert not at.exception, [e.value for e in at.exception]
    (banner,) = [w.value for w in at.warning if "Downstream not current" in w.value]
    assert "built from version abcdef01" in banner
    assert "failed in qa_scores: RuntimeError: sandbox exited with code 137" in banner
    at.button(key="spec_retry").click().run()
    assert any("Could not queue a new run" in e.value for e in at.error)
