"""How pages fit a laptop's screen. Beside the sidebar a 1024-pixel window leaves the page
about 720 pixels, of which Streamlit's wide layout gave 160 to its side margins: maps and
tables were squeezed into 560. The sidebar is narrower (``SIDEBAR_PX``), below ``NARROW_PX``
the margins shrink, and columns marked with ``stacked_when_narrow`` go one under the other
instead of side by side."""

from __future__ import annotations

import streamlit as st

NARROW_PX = 1280  # a window narrower than this is a laptop's (1024, 1152, 1280 less a border)
# The sidebar as wide as its longest page name ("Agencies and agreements") needs, not
# Streamlit's 300 pixels: on a 1024-pixel screen each pixel it gives up goes to the page.
SIDEBAR_PX = 256
# What a 1024-pixel window leaves a table beside that sidebar.
LAPTOP_TABLE_PX = 720


def fit_the_screen() -> None:
    """The page starts under the toolbar, not 100 pixels below it, and its side margins narrow
    on a laptop's screen: the room goes to the maps and tables."""
    st.html(
        "<style>[data-testid='stMainBlockContainer'] {padding-top: 4.5rem;}"
        f"@media (max-width: {NARROW_PX - 1}px) {{"
        "[data-testid='stMainBlockContainer'] {padding-left: 1.5rem; padding-right: 1.5rem;}}"
        "</style>"
    )


def stacked_when_narrow(key: str) -> None:
    """The columns inside the container ``key`` stand one under the other on a window narrower
    than ``NARROW_PX``, each as wide as the container (side by side they were too narrow to
    read); on a wider window they stay side by side."""
    st.html(
        f"<style>@media (max-width: {NARROW_PX - 1}px) {{"
        f".st-key-{key} [data-testid='stHorizontalBlock'] {{flex-wrap: wrap;}}"
        f".st-key-{key} [data-testid='stColumn'] {{flex: 1 1 100%; min-width: 100%;}}"
        "}}</style>"
    )
