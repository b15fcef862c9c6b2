"""The AgentOps Streamlit app: routing only. Pages live in `streamlit_app/app_pages/`."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

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
    ],
}


def build_pages(pages_dir: Path = PAGES_DIR) -> dict[str, list[st.Page]]:
    sections: dict[str, list[st.Page]] = {}
    for section, entries in NAVIGATION.items():
        pages = [
            st.Page(pages_dir / file, title=title, icon=icon)
            for file, title, icon in entries
            if (pages_dir / file).exists()
        ]
        if pages:
            sections[section] = pages
    return sections


# No page_icon: a Material favicon is fetched from a CDN, which offline installs cannot reach.
st.set_page_config(page_title="AgentOps", layout="wide")
st.navigation(build_pages()).run()
