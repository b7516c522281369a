"""The two plates an officer must compare before acting on an alert, large and side by side,
with the characters that differ marked: the read (or the reader's other reading that matched)
and the hot-list record. A misread character is the commonest wrong stop; it must be the
first thing seen, not a chip in a caption."""

from __future__ import annotations

from html import escape
from itertools import zip_longest

import streamlit as st

_STYLE = """
<style>
.alpr-compare {display: flex; flex-wrap: wrap; gap: 0.75rem 2rem; margin: 0.25rem 0 0.75rem;}
.alpr-compare figure {margin: 0;}
.alpr-compare figcaption {font-size: 0.85rem; color: #555; margin-bottom: 0.15rem;}
.alpr-compare .plate {font: 700 2.1rem/1.15 ui-monospace, "DejaVu Sans Mono", monospace;
  letter-spacing: 0.12em; padding: 0.1rem 0.5rem; border: 2px solid #222; border-radius: 6px;
  background: #fff; color: #111; display: inline-block;}
.alpr-compare .plate mark {background: #ffd54f; color: #111; border-radius: 3px;}
.alpr-compare .vehicle {font-size: 1rem; margin-top: 0.2rem;}
</style>
"""


def differing(read: str, listed: str) -> set[int]:
    """Positions where the two plates differ: a missing or extra character is a difference, a
    listed ``?`` (any one character) never is, and a listed ``*`` (any run) leaves no position
    to hold the read against, so nothing is marked."""
    if "*" in listed:
        return set()
    return {
        i for i, (a, b) in enumerate(zip_longest(read, listed, fillvalue="")) if a != b and b != "?"
    }


def _plate_html(plate: str, marked: set[int]) -> str:
    return "".join(
        f"<mark>{escape(c)}</mark>" if i in marked else escape(c) for i, c in enumerate(plate)
    )


def compare_plates(
    *,
    read_label: str,
    read: str,
    read_vehicle: str,
    listed: str,
    listed_state: str | None,
    listed_vehicle: str,
) -> None:
    """Draw the read beside the hot-list record and its state, characters that differ marked
    in both."""
    marked = differing(read, listed)
    figures = [
        (read_label, read, read_vehicle or "vehicle not described"),
        (
            f"Hot-list record ({listed_state or 'state ?'})",
            listed,
            listed_vehicle or "vehicle not recorded",
        ),
    ]
    body = "".join(
        f'<figure><figcaption>{escape(label)}</figcaption><div class="plate">'
        f"{_plate_html(plate, marked)}</div>"
        f'<div class="vehicle">{escape(vehicle)}</div></figure>'
        for label, plate, vehicle in figures
    )
    st.html(f'{_STYLE}<div class="alpr-compare" data-testid="plate-compare">{body}</div>')
    if marked:
        st.caption(
            ("1 character differs" if len(marked) == 1 else f"{len(marked)} characters differ")
            + " (marked): a misread until the crop shows otherwise."
        )
