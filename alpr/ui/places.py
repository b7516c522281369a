"""Finding a scene by its address or intersection: a type-ahead over the places the agency
loaded (``alpr places import``), answered offline."""

from __future__ import annotations

import streamlit as st

from alpr.governance.places import MAX_FIND_CHARS, PlaceMatch, find_places
from alpr.ui.context import runtime
from alpr.ui.session import kept_field

MATCHES = 8


def address_finder(*, key: str, keep: bool = False) -> PlaceMatch | None:
    """A search box and its matches; the match chosen (the first, until another is picked). A
    search form keeps both (``keep``, see ``kept_field``)."""
    text = st.text_input(
        "Find an address or intersection",
        **kept_field(f"{key}_address_text", keep=keep),
        max_chars=MAX_FIND_CHARS,
        placeholder="e.g. Mission St & Crocker Ave, or 598 Mission St",
    )
    if not text.strip():
        return None
    matches = find_places(runtime(), text=text, limit=MATCHES)
    if not matches:
        st.caption("No loaded address or intersection matches; place the scene on the map.")
        return None
    return st.selectbox(
        "Matching places",
        matches,
        format_func=lambda m: f"{m.name} ({m.kind})",
        **kept_field(f"{key}_address_match_{text.strip().lower()}", keep=keep),
    )
