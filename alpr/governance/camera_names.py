"""How a camera is named to people: by where it stands, its code after."""

from __future__ import annotations


def camera_label(name: str, place: str | None) -> str:
    """A camera as a reader names it: its place first, its code after (once: an in-car
    camera's place already names the car); the code alone when it has no place."""
    if not place:
        return name
    return place if name in place else f"{place} ({name})"
