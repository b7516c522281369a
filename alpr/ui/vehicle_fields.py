"""The vehicle description a witness gave (colour, body type), as a search form asks it."""

from __future__ import annotations

import streamlit as st

from alpr.governance.investigations.descriptions import Description
from alpr.ui.counts import counted
from alpr.ui.session import kept_field
from alpr.vehicles import VehicleColour, VehicleType

ANY = "any"


def _words(label: str) -> str:
    return label.replace("_", " ")


def vehicle_fields(*, key: str, keep: bool = False) -> Description | None:
    """Colour and body type pickers ("any" leaves one out); None when both are "any". A search
    form keeps them (``keep``, see ``kept_field``)."""
    left, right = st.columns(2)
    colour = left.selectbox(
        "Vehicle colour",
        [ANY] + [c.label for c in VehicleColour if c is not VehicleColour.UNKNOWN],
        format_func=_words,
        **kept_field(f"{key}_vehicle_colour", keep=keep),
        help="Vehicles of this colour come first. One whose colour could not be told from "
        "the image is never left out: it may be the vehicle.",
    )
    kind = right.selectbox(
        "Vehicle type",
        [ANY] + [t.label for t in VehicleType if t is not VehicleType.UNKNOWN],
        format_func=_words,
        **kept_field(f"{key}_vehicle_type", keep=keep),
    )
    return Description.parse(
        colour=None if colour == ANY else colour, kind=None if kind == ANY else kind
    )


def described_caption(described: int, shown: int) -> str:
    """What a description did to an area search's reads, in words."""
    undetermined = shown - described
    told = f"{counted(described, 'read')} of vehicles so described"
    if not undetermined:
        return f"{told}; vehicles described otherwise are left out."
    return (
        f"{told} come first, then {counted(undetermined, 'read')} whose colour or type could "
        "not be told from the image (it may be the vehicle); vehicles described otherwise are "
        "left out."
    )
