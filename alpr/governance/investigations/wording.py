"""A recorded search said in words, as a report prints it: what was asked, where and when, in
the agency's time zone (never the stored parameters as they are kept)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alpr.data.models import Purpose
from alpr.governance.investigations.descriptions import Description
from alpr.governance.justification import PURPOSE_LABELS


def purpose_in_words(purpose: Purpose | str | None) -> str:
    if purpose is None:
        return "none stated"
    return PURPOSE_LABELS.get(Purpose(purpose), str(purpose))


def _when(value: Any, tz: Any) -> str:
    return f"{datetime.fromisoformat(str(value)).astimezone(tz):%Y-%m-%d %H:%M %Z}"


def _window(params: dict[str, Any], tz: Any) -> str:
    if params.get("start") and params.get("end"):
        return f"from {_when(params['start'], tz)} to {_when(params['end'], tz)}"
    return "at any time kept"


def _place(params: dict[str, Any]) -> str:
    where = f"{float(params['lat']):.5f}, {float(params['lon']):.5f}"
    if params.get("address"):
        where = f"{params['address']} ({where})"
    return where


def _metres(value: Any) -> str:
    metres = float(value)
    return f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:.0f} m"


def query_in_words(kind: str, params: dict[str, Any], tz: Any) -> str:
    """The search of ``kind`` with ``params`` (as the gateway recorded them) in a sentence."""
    vehicle = Description.in_words(params)
    of_vehicle = f" of a {vehicle}" if vehicle else ""
    if kind in ("canvass", "vehicle"):
        if params.get("polygon"):
            area = f"inside the drawn area around {_place(params)}"
        else:
            area = f"within {_metres(params['radius_m'])} of {_place(params)}"
        if kind == "vehicle":
            ranked = f", plates matching {params['pattern']} first" if params.get("pattern") else ""
            return (
                f"Description search: reads{of_vehicle} taken {area}, "
                f"{_window(params, tz)}{ranked}."
            )
        return f"Canvass: reads{of_vehicle} taken {area}, {_window(params, tz)}."
    if kind == "plate":
        extras = [
            text
            for flag, text in (
                ("fuzzy", "OCR look-alike characters"),
                ("substitution", "one substituted character"),
            )
            if params.get(flag)
        ]
        words = f"Partial plate search: plates matching {params['pattern']}"
        words += f" (also {' and '.join(extras)})" if extras else ""
        words += f", reads of a {vehicle} first" if vehicle else ""
        if params.get("min_confidence"):
            words += f", read with confidence {float(params['min_confidence']):.2f} or more"
        if params.get("area"):
            lat, lon, radius = params["area"]
            words += f", within {_metres(radius)} of {float(lat):.5f}, {float(lon):.5f}"
        return f"{words}, {_window(params, tz)}."
    if kind == "history":
        words = f"Plate history: the reads of plate {params['plate']}, {_window(params, tz)}"
        if params.get("before"):
            words += f", taken before {_when(params['before'], tz)}"
        return words + "."
    if kind == "common":
        scenes = "; ".join(
            f"scene {n}: within {_metres(s['radius_m'])} of {_place(s)}, {_window(s, tz)}"
            for n, s in enumerate(params["scenes"], start=1)
        )
        return f"Common plates seen{of_vehicle} at {params['min_scenes']} or more scenes: {scenes}."
    if kind == "convoy":
        return (
            f"Convoy: plates read within {params['within_s']} s of plate {params['plate']} by "
            f"the same camera at least {params['min_times']} times, {_window(params, tz)}."
        )
    return f"{kind.replace('_', ' ').capitalize()} search."
