"""Marketplace: browse and search templates, open one, fork or buy it, rate and review it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from agentops_pipelines.marketplace import forks, ratings
from agentops_pipelines.marketplace.catalog import download
from agentops_pipelines.marketplace.errors import MarketplaceError
from agentops_pipelines.marketplace.models import TemplateKind
from agentops_pipelines.marketplace.preview import PREVIEW_NOTE, for_viewer
from agentops_pipelines.marketplace.sanitize import escape_markdown
from agentops_pipelines.marketplace.store_factory import billing_entitlement
from streamlit_app import access
from streamlit_app import marketplace_data as data

access.require_page(__file__)  # the role auth.policy.PAGES declares, checked here too
st.title("Marketplace")
url = data.db_url()
user, workspace = data.identity()
if not data.marketplace_enabled(url, workspace):
    st.info(f"The marketplace is disabled for workspace {workspace!r}; an admin can enable it.")
    st.stop()
sf = data.store(url)

for note in data.load_notifications(url, workspace):
    with st.expander(
        f"Upstream update: {note.slug} {note.from_version} -> {note.to_version}", expanded=False
    ):
        st.code(forks.fork_diff(sf, note.slug, workspace) or "(no text change)", language="diff")
        if st.button("Update fork", key=f"update-{note.id}"):
            forks.update_fork(sf, note.slug, workspace)
            data.changed()
            st.rerun()

workspace_forks = data.load_forks(url, workspace)
if workspace_forks:
    with st.expander(f"Forks in workspace {workspace!r} ({len(workspace_forks)})"):
        for f in workspace_forks:
            state = f"behind (upstream {f.latest_version})" if f.behind else "up to date"
            st.markdown(f"`{f.slug}` at {f.upstream_version} · {state} · by {f.forked_by}")

cols = st.columns([3, 2, 1, 1, 1])
query = cols[0].text_input("Search templates", placeholder="e.g. password reset, backfill")
kind = cols[1].selectbox(
    "Kind",
    [None, *TemplateKind],
    format_func=lambda k: "All kinds" if k is None else data.KIND_LABELS[k],
)
pricing = cols[2].selectbox("Price", [None, "free", "paid"], format_func=lambda p: p or "Any")
sort = cols[3].selectbox("Sort", ["popular", "newest", "rating"])
tag = cols[4].text_input("Tag")
cards = data.load_cards(
    url, query, kind.value if kind else None, pricing, sort, tag.strip() or None
)

if not cards:
    st.info("No published template matches. Clear the filters, or upload one on the Upload page.")
    st.stop()

grid = st.columns(3)
for i, card in enumerate(cards):
    with grid[i % 3].container(border=True):
        st.markdown(f"**{escape_markdown(card.title)}**")
        st.caption(
            f"{data.KIND_LABELS[card.kind]} · {data.price_label(card.price_cents)} · "
            f"v{card.latest_version} · {data.rating_label(card)} · {card.downloads} downloads"
        )
        st.write(card.description)
        if card.tags:
            st.caption(" ".join(f"#{t}" for t in card.tags))

st.divider()
by_slug = {c.slug: c for c in cards}
slug = st.selectbox(
    "Template", list(by_slug), format_func=lambda s: f"{by_slug[s].title} ({s})", key="mp_open"
)
card = by_slug[slug]
detail = data.load_detail(url, slug)
st.header(escape_markdown(detail.title))
st.caption(
    f"by {detail.author} · {detail.license} · {data.price_label(detail.price_cents)} · "
    f"{detail.forks} forks · {data.rating_label(detail)}"
)

actions = st.columns(4)
if actions[0].button("Fork into workspace", key="mp_fork"):
    try:
        info = forks.fork(sf, slug, workspace, user, billing_entitlement(sf))
        data.changed()
        st.success(f"Forked {slug} {info.upstream_version} into workspace {workspace!r}")
    except MarketplaceError as err:
        st.error(str(err))
if detail.price_cents > 0 and actions[1].button(
    f"Buy for {data.price_label(detail.price_cents)}", key="mp_buy"
):
    try:
        st.link_button("Continue to checkout", data.start_purchase(url, workspace, card))
    except (RuntimeError, ValueError) as err:
        st.info(str(err))
if actions[2].button("Download", key="mp_download"):
    try:
        row, _ = download(sf, slug, user, workspace, entitled=billing_entitlement(sf))
        st.download_button("Save markdown", row.content, file_name=f"{slug}-{row.version}.md")
    except MarketplaceError as err:
        st.error(str(err))

content, versions, reviews = st.tabs(["Content", "Versions", "Reviews"])
with content:
    shown = for_viewer(detail, workspace, user, billing_entitlement(sf))
    if shown.preview:
        st.info(f"{PREVIEW_NOTE} ({data.price_label(detail.price_cents)})")
    st.markdown(shown.content, unsafe_allow_html=False)  # sanitised: raw HTML removed
with versions:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "version": v.version,
                    "published": v.published_at,
                    "changelog": v.changelog,
                    "sha256": v.sha256[:12],
                }
                for v in detail.versions
            ]
        ),
        hide_index=True,
    )
with reviews:
    if not detail.reviews:
        st.caption("No reviews yet.")
    for review in detail.reviews:
        stars = f"{review.stars}/5 · " if review.stars else ""
        st.markdown(f"**{review.user}** · {stars}{review.updated_at:%Y-%m-%d}")
        st.markdown(review.body, unsafe_allow_html=False)
        if review.reply:
            st.caption(f"Author reply: {review.reply}")
        if user == detail.author:
            answer = st.text_input(f"Reply to {review.user}", key=f"reply-{review.id}")
            if st.button("Send reply", key=f"send-reply-{review.id}") and answer.strip():
                try:
                    ratings.reply(sf, review.id, user, answer)
                    data.changed()
                    st.rerun()
                except MarketplaceError as err:
                    st.error(str(err))
    with st.form("mp_review_form"):
        stars_given = st.slider("Your rating", 1, 5, 5)
        text = st.text_area("Your review (optional)")
        if st.form_submit_button("Submit rating"):
            try:
                ratings.rate(sf, slug, user, stars_given)
                if text.strip():
                    saved = ratings.review(sf, slug, user, text)
                    if saved.status != "published":
                        st.error(f"Review not published: {ratings.review_reason(sf, saved.id)}")
                data.changed()
                st.success("Thanks, saved.")
            except MarketplaceError as err:
                st.error(str(err))
