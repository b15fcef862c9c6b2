"""PNG charts for the weekly report: plotly figures rendered by kaleido through a local Chromium.

kaleido 1.x drives an installed Chrome/Chromium (it no longer bundles one); we point it at the
Debian chromium when BROWSER_PATH is unset (settings: `warehouse.browser_path`). When no browser
can start (a slim container), the report falls back to interactive HTML charts with plotly.js
inlined, which also works offline; the Markdown then says the PNGs are missing and why.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from agentops_pipelines.settings import DEBIAN_CHROMIUM

__all__ = ["DEBIAN_CHROMIUM", "ChartRenderError", "interactive_html", "render_pngs"]


class ChartRenderError(RuntimeError):
    """No PNG could be rendered (no browser, or the browser failed)."""


def render_pngs(figures: dict[str, go.Figure], browser: Path | None = None) -> dict[str, bytes]:
    """Render every figure to PNG with one browser session (`browser`: kaleido's own search
    when None)."""
    if not figures:
        return {}
    try:
        import kaleido

        options = {"path": str(browser)} if browser is not None else {}
        kaleido.start_sync_server(silence_warnings=True, **options)
        try:
            with warnings.catch_warnings():
                # plotly says per-call options are ignored while a server runs: expected here.
                warnings.simplefilter("ignore", UserWarning)
                return {
                    name: pio.to_image(fig, format="png", width=900, height=420)
                    for name, fig in figures.items()
                }
        finally:
            kaleido.stop_sync_server(silence_warnings=True)
    except Exception as exc:  # kaleido raises several types for a missing/broken browser
        raise ChartRenderError(
            f"PNG charts could not be rendered ({type(exc).__name__}: {exc}); install chromium "
            "or set BROWSER_PATH to a Chrome binary"
        ) from exc


def interactive_html(figures: dict[str, go.Figure]) -> dict[str, str]:
    """The fallback: HTML fragments, plotly.js inlined once (no CDN, so it works offline)."""
    fragments = {}
    for index, (name, fig) in enumerate(figures.items()):
        fragments[name] = pio.to_html(fig, full_html=False, include_plotlyjs=index == 0)
    return fragments
