"""The AgentOps Streamlit app: routing only. Pages live in `streamlit_app/app_pages/`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from agentops_pipelines.settings import get_settings
from streamlit_app import access, github_session

PAGES_DIR = Path(__file__).parent / "app_pages"

# Section -> pages as (file in app_pages/, title, icon). A new page is one line here; a page whose
# file is not there yet (another branch still writing it) is left out instead of breaking the app.
NAVIGATION: dict[str, list[tuple[str, str, str]]] = {
    "Specs": [
        ("specs.py", "Specs", ":material/description:"),
    ],
    "Planning": [
        ("plan_builder.py", "Plan builder", ":material/account_tree:"),
    ],
    "Assistant": [
        ("specgpt.py", "SpecGPT", ":material/forum:"),
    ],
    "Quality": [
        ("qa.py", "QA dashboard", ":material/fact_check:"),
    ],
    "Delivery": [
        ("git.py", "Git", ":material/merge:"),
        ("llm_ops.py", "LLM routing", ":material/alt_route:"),
    ],
    "Marketplace": [
        ("marketplace.py", "Browse templates", ":material/storefront:"),
        ("marketplace_upload.py", "Upload", ":material/upload:"),
        ("marketplace_moderation.py", "Moderation", ":material/gavel:"),
        ("billing.py", "Billing", ":material/payments:"),
    ],
    "Reports": [
        ("kpi.py", "KPI & costs", ":material/monitoring:"),
        ("audit.py", "Audit log", ":material/policy:"),
    ],
}


def build_pages(
    pages_dir: Path = PAGES_DIR, allowed: Callable[[str], bool] = lambda _: True
) -> dict[str, list[st.Page]]:
    sections: dict[str, list[st.Page]] = {}
    for section, entries in NAVIGATION.items():
        pages = [
            st.Page(pages_dir / file, title=title, icon=icon)
            for file, title, icon in entries
            if (pages_dir / file).exists() and allowed(file)
        ]
        if pages:
            sections[section] = pages
    return sections


def main() -> None:
    # No page_icon: a Material favicon is fetched from a CDN, which offline installs cannot reach.
    st.set_page_config(page_title="AgentOps", layout="wide")
    github_session.handle_return()  # GitHub sent the browser back (sign-in, App install)
    # Pages a signed-in member's role does not open are not routed at all (auth/policy.py).
    principal = access.current_principal()
    if principal is None:
        st.navigation([st.Page(access.sign_in_page, title="Sign in")]).run()
        return
    workspace = get_settings().workspace
    visible = build_pages(allowed=lambda f: access.page_status(principal, f, workspace) == 200)
    if not visible:

        def no_access() -> None:
            access.refused_page(access.page_status(principal, "specs.py", workspace), principal)

        st.navigation([st.Page(no_access, title="No access")]).run()
        return
    access.identity_sidebar(principal)
    github_session.show_flash()
    st.navigation(visible).run()


if __name__ == "__main__":  # streamlit run (and AppTest) execute the script as __main__
    main()
