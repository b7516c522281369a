"""A camera's health in words, the same on the Cameras page's table and on its map."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

import streamlit as st

from alpr.governance.cameras import CameraView
from alpr.ui.layout import LAPTOP_TABLE_PX

_WORDS = {
    "up": "Up",
    "down": "Down",
    "unknown": "Not reported yet",
}


def status_words(camera: CameraView) -> str:
    """Disabled, not watched (no stream: its reads are imported), or as last reported."""
    if not camera.enabled:
        return "Disabled"
    if not camera.source:
        return "No stream (not watched)"
    return _WORDS.get(camera.status, camera.status)


# What a 1024-pixel screen leaves a table beside the sidebar, less its scroll bar and borders:
# the short columns as wide as their words, the place and the status sharing the rest (a long
# one is cut, whole on hover).
_TABLE_PX = LAPTOP_TABLE_PX - 32
_FIXED_PX = {"Camera": 66, "Kind": 54, "Last report": 92, "Frames/s": 58, "Reads/h": 58}
_STREAM_PX = 110


def camera_table(
    cameras: Sequence[CameraView], *, tz: tzinfo, with_source: bool
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The Cameras page's table, down cameras first: its rows and its columns, sized to fit a
    laptop's screen. A down camera's status says the cause it reported."""
    rows = [
        {
            "Camera": c.name,
            "Kind": "In-car" if c.kind == "mobile" else "Fixed",
            "Location": c.location or "",
            "Status": status_words(c) + (f": {c.last_error}" if c.last_error else ""),
            "Last report": (
                f"{c.last_heartbeat_at.astimezone(tz):%b %-d %H:%M}"
                if c.last_heartbeat_at
                else "never"
            ),
            "Frames/s": (f"{c.frames_per_second:.1f}" if c.frames_per_second is not None else "—"),
            "Reads/h": c.reads_last_hour,
            **({"Stream": c.source or ""} if with_source else {}),
        }
        for c in sorted(cameras, key=lambda c: (not (c.enabled and c.status == "down"), c.name))
    ]
    shared = (_TABLE_PX - sum(_FIXED_PX.values()) - (_STREAM_PX if with_source else 0)) // 2
    columns: dict[str, Any] = {
        **{name: {"width": px} for name, px in _FIXED_PX.items()},
        "Location": {"width": shared},
        "Status": st.column_config.TextColumn(
            "Status", width=shared, help="As last reported, with the cause of a failure"
        ),
        "Last report": st.column_config.TextColumn(
            "Last report", width=_FIXED_PX["Last report"], help="The camera's last heartbeat"
        ),
        "Frames/s": st.column_config.TextColumn(
            "Frames/s",
            width=_FIXED_PX["Frames/s"],
            help="Measured by the plate-reading service for the cameras it watches; — for "
            "a camera it does not watch (no stream: its reads are imported) or not reporting",
        ),
        "Reads/h": st.column_config.NumberColumn(
            "Reads/h",
            width=_FIXED_PX["Reads/h"],
            help="Reads stored for the camera in the last hour, read live or imported",
        ),
    }
    if with_source:
        columns["Stream"] = st.column_config.TextColumn(
            "Stream", width=_STREAM_PX, help="The stream watched (credentials never shown)"
        )
    return rows, columns
