"""Upload a template: one markdown file with front matter, or a zip of a template folder."""

from __future__ import annotations

import streamlit as st

from agentops_pipelines.marketplace.errors import MarketplaceError
from agentops_pipelines.marketplace.frontmatter import EXAMPLE
from agentops_pipelines.marketplace.models import LICENSES
from agentops_pipelines.marketplace.moderation import submissions, submit
from agentops_pipelines.marketplace.sanitize import escape_markdown
from agentops_pipelines.marketplace.upload import MAX_MARKDOWN_BYTES, MAX_ZIP_BYTES
from streamlit_app import access
from streamlit_app import marketplace_data as data

access.require_page(__file__)  # the role auth.policy.PAGES declares, checked here too
st.title("Upload a template")
url = data.db_url()
user, workspace = data.identity()
if not data.marketplace_enabled(url, workspace):
    st.info(f"The marketplace is disabled for workspace {workspace!r}; an admin can enable it.")
    st.stop()

st.markdown(
    f"A `.md` file (up to {MAX_MARKDOWN_BYTES // 1024} KB) starting with front matter, or a "
    f"`.zip` (up to {MAX_ZIP_BYTES // 1024} KB) of a folder holding `template.md` and other "
    f"text files. Licences: {', '.join(LICENSES)}. Your first uploads are reviewed by a "
    "moderator before they are published."
)
st.code(EXAMPLE, language="yaml")

with st.form("mp_upload_form", clear_on_submit=False):
    # The widget counts whole megabytes; 1 MB is its smallest limit. The real limits (256 KB
    # markdown, 512 KB zip) are in the label and enforced on submit.
    uploaded = st.file_uploader(
        f"Template file (.md up to {MAX_MARKDOWN_BYTES // 1024} KB, "
        f".zip up to {MAX_ZIP_BYTES // 1024} KB)",
        type=["md", "markdown", "zip"],
        max_upload_size=1,
        key="mp_file",
    )
    pasted = st.text_area("...or paste the markdown", height=200, key="mp_paste")
    sent = st.form_submit_button("Submit template")

if sent:
    if uploaded is not None:
        name, payload = uploaded.name, uploaded.getvalue()
    elif pasted.strip():
        name, payload = "pasted.md", pasted.encode("utf-8")
    else:
        name, payload = "", b""
    if not payload:
        st.error("Nothing to upload: choose a file or paste the template markdown.")
    else:
        try:
            result = submit(data.store(url), name, payload, author=user)
            data.changed()
            st.success(f"{result.slug} {result.version}: {result.message}")
        except MarketplaceError as err:
            st.error("The upload was rejected. Fix these and upload again:")
            for problem in err.problems:
                st.markdown(f"- {problem}", unsafe_allow_html=False)

st.subheader("Your uploads")
mine = submissions(data.store(url), user)
if not mine:
    st.caption(f"No uploads by {user!r} yet.")
for item in mine:
    line = f"**{escape_markdown(item.title)}** `{item.slug}@{item.version}` · {item.status.value}"
    st.markdown(line)
    if item.note:
        st.caption(item.note)
