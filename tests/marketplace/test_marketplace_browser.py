"""Upload -> moderation -> published -> fork, clicked through in headless Chromium against
`streamlit run` (the pattern of tests/ui/test_ui_browser.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from marketplace_factories import template_md
from playwright.sync_api import Page, expect

from agentops_pipelines.marketplace import catalog, forks, moderation
from agentops_pipelines.marketplace.store_factory import marketplace_store
from tests.browser_support import require_chromium, streamlit_server

UI_TIMEOUT_MS = 60_000


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[str, str]]:
    require_chromium()
    home = tmp_path / "home"
    db_url = f"sqlite:///{home / 'app.db'}"
    env = {
        **os.environ,
        "AGENTOPS_HOME": str(home),
        "AGENTOPS_DB_URL": db_url,
        "AGENTOPS_ARTEFACT_ROOT": str(home / "artefacts"),
        "DAGSTER_HOME": str(home / "dagster"),
        "AGENTOPS_MODERATORS": "moderator",
        "AGENTOPS_DEV_ADMIN": "mona",  # signed in (dev mode): an owner, so also a moderator
    }
    env.pop("STRIPE_SECRET_KEY", None)
    with streamlit_server(env, tmp_path / "streamlit.log") as url:
        yield url, db_url


@pytest.mark.browser
def test_marketplace_browser_upload_moderate_publish_fork(
    app: tuple[str, str], page: Page, tmp_path: Path
) -> None:
    url, db_url = app
    page.set_default_timeout(UI_TIMEOUT_MS)
    expect.set_options(timeout=UI_TIMEOUT_MS)
    main = page.get_by_role("main")

    # Ada's upload (the upload page itself is covered by the AppTest tests); one browser session
    # is one signed-in person, so Mona moderates and forks.
    page.goto(f"{url}/marketplace_upload")
    expect(page.get_by_role("heading", name="Upload a template")).to_be_visible()
    moderation.submit(marketplace_store(db_url), "t.md", template_md().encode(), author="ada")

    page.goto(f"{url}/marketplace_moderation")
    expect(page.get_by_role("heading", name="Queue (1)")).to_be_visible()
    expect(main).to_contain_text("checkout-flow-spec@1.0.0")
    page.get_by_role("textbox", name="Reason").fill("clear and testable")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("heading", name="Queue (0)")).to_be_visible()
    page.screenshot(path=str(tmp_path / "moderation.png"), full_page=True)

    page.goto(f"{url}/marketplace")
    expect(main).to_contain_text("Checkout flow spec")
    page.get_by_role("combobox", name="Template").click()
    page.get_by_role("option", name="Checkout flow spec (checkout-flow-spec)").click()
    expect(page.get_by_role("heading", name="Checkout flow spec")).to_be_visible()
    page.get_by_role("button", name="Fork into workspace").click()
    expect(main).to_contain_text("Forked checkout-flow-spec 1.0.0 into workspace 'default'")
    shot = tmp_path / "forked.png"
    page.screenshot(path=str(shot), full_page=True, animations="disabled")
    assert shot.stat().st_size > 10_000

    sf = marketplace_store(db_url)
    assert catalog.get_template(sf, "checkout-flow-spec").status == "published"
    [fork] = forks.list_forks(sf, "default")
    assert (fork.slug, fork.forked_by, fork.upstream_version) == (
        "checkout-flow-spec",
        "mona",
        "1.0.0",
    )
