"""A camera's health in words, the same on the Cameras page's table and on its map."""

from __future__ import annotations

from alpr.governance.cameras import CameraView

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
