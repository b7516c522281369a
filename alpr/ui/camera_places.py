"""Where each camera stands, so that a result names the place of a read and not only the
camera's code."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from alpr.governance.cameras import camera_label as label
from alpr.governance.cameras import list_cameras
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.ui.context import runtime

KEY = "camera_places"


def camera_places(principal: Principal) -> Mapping[str, str]:
    """Each camera's name and its location, read once a session (the camera list is a
    recorded view); nothing for a role that may not see the camera list, whose results keep
    the camera's name alone rather than record a refusal."""
    if not principal.can(Permission.VIEW_CAMERAS):
        return {}
    kept: dict[str, str] | None = st.session_state.get(KEY)
    if kept is None:
        kept = {
            c.name: c.location for c in list_cameras(runtime(), principal=principal) if c.location
        }
        st.session_state[KEY] = kept
    return kept


def camera_label(name: str, places: Mapping[str, str]) -> str:
    """The camera as a reader names it (``cameras.camera_label``)."""
    return label(name, places.get(name))
