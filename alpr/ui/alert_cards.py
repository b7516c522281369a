"""The alert list as patrol reads it: unreviewed alerts first, the newest sighting first within
each, one line per alert; a new high-priority alert announced on screen and with a tone."""

from __future__ import annotations

import io
import wave
from collections.abc import Sequence
from datetime import tzinfo
from enum import StrEnum
from functools import cache

import numpy as np
import streamlit as st

from alpr.governance.alerts import AlertView, Disposition

DISPOSITIONS = {
    Disposition.CONFIRMED: "Confirmed: same plate, entry active",
    Disposition.MISREAD: "Misread: the characters differ",
    Disposition.WRONG_STATE: "Wrong state",
    Disposition.VEHICLE_MISMATCH: "Vehicle does not match the record",
    Disposition.ENTRY_INACTIVE: "Entry no longer active (CLETS/NCIC)",
    Disposition.DISMISSED: "Dismissed",
}
# How the read matched the hot-list entry, in words (as stored: exact, partial, confusion).
MATCHES = {
    "exact": "the plate as listed",
    "partial": "a partial plate listed",
    "confusion": "look-alike characters (OCR confusion)",
}
_ICONS = {"high": ":material/e911_emergency:", "medium": ":material/warning:"}


class Shown(StrEnum):
    UNREVIEWED = "Unreviewed"
    REVIEWED = "Reviewed"
    ALL = "All"


def icon(alert: AlertView) -> str:
    return _ICONS.get(alert.priority, ":material/info:")


def details(alert: AlertView, tz: tzinfo) -> str:
    """Everything patrol scans for after the plate: list, sighting, place, review, and what
    makes the hit doubtful (a read from before the listing, a match by another reading)."""
    status = DISPOSITIONS[Disposition(alert.disposition)] if alert.disposition else "not reviewed"
    return (
        f"{alert.list_name} · {alert.captured_at.astimezone(tz):%a %b %-d %H:%M} · "
        f"{alert.where} · {status}"
        + (" · read before the plate was listed" if alert.is_retro else "")
        + (f" · {alert.certainty}" if alert.alternative else "")
    )


def summary(alert: AlertView, tz: tzinfo) -> str:
    """The alert's line in the list."""
    return f"**{alert.plate}** · {details(alert, tz)}"


def left_aligned(key: str) -> None:
    """The buttons in the container ``key`` read as rows of a list, from the left (a button
    centres its label)."""
    st.html(
        f"<style>.st-key-{key} button {{justify-content: flex-start; text-align: left;}} "
        f".st-key-{key} button p {{text-align: left;}}</style>"
    )


def ordered(alerts: Sequence[AlertView], shown: Shown) -> list[AlertView]:
    """The alerts the filter keeps, unreviewed first, then the newest read first."""
    kept = [
        a
        for a in alerts
        if shown is Shown.ALL or (a.disposition is None) == (shown is Shown.UNREVIEWED)
    ]
    return sorted(
        kept, key=lambda a: (a.disposition is not None, -a.captured_at.timestamp(), -a.id)
    )


def urgent(alerts: Sequence[AlertView]) -> list[AlertView]:
    """High-priority alerts nobody has reviewed or muted yet."""
    return [a for a in alerts if a.priority == "high" and a.disposition is None and not a.muted]


@cache
def alarm_wav(*, rate: int = 16_000) -> bytes:
    """Three short two-tone beeps as a WAV file."""
    beep = np.arange(int(rate * 0.18)) / rate
    tone = np.concatenate([np.sin(2 * np.pi * 880 * beep), np.sin(2 * np.pi * 1320 * beep)])
    gap = np.zeros(int(rate * 0.12))
    signal = np.concatenate([tone, gap] * 3)
    samples = (signal * 0.6 * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def sound_alarm() -> None:
    """Play the alarm tone without a media player on screen: the player is no control a
    patrol officer needs, and it sat above the alerts like a stray widget."""
    with st.container(key="alarm_tone"):
        st.html("<style>.st-key-alarm_tone {display: none;}</style>")
        st.audio(alarm_wav(), format="audio/wav", autoplay=True)
