"""The alert list as patrol reads it: unreviewed alerts first, the newest sighting first within
each, two short lines per alert; a new high-priority alert announced on screen and with a tone."""

from __future__ import annotations

import io
import wave
from collections.abc import Sequence
from datetime import datetime, tzinfo
from enum import StrEnum
from functools import cache

import numpy as np
import streamlit as st

from alpr.governance.alerts import AlertView, Disposition
from alpr.ui.counts import counted
from alpr.ui.dates import cell_day, cell_minute

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
        f"{alert.list_name} · {cell_minute(alert.captured_at, tz)} · "
        f"{alert.where} · {status}"
        + (" · read before the plate was listed" if alert.is_retro else "")
        + (f" · {alert.certainty}" if alert.alternative else "")
    )


def ago(at: datetime, now: datetime, tz: tzinfo) -> str:
    """How long ago a sighting was, as patrol says it: "just now", "14 min ago", "3 h ago",
    "2 days ago"; a sighting over a week old by its date, as the tables write it."""
    seconds = (now - at).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86_400:
        return f"{int(seconds // 3600)} h ago"
    if seconds < 7 * 86_400:
        return f"{counted(int(seconds // 86_400), 'day')} ago"
    return cell_day(at, tz)


def status(alert: AlertView) -> str:
    """Where the alert stands, and what makes the hit doubtful, in a few words."""
    return " · ".join(
        [
            DISPOSITIONS[Disposition(alert.disposition)] if alert.disposition else "not reviewed",
            *([f":orange[{alert.certainty}]"] if alert.alternative else []),
            *(["read before listing"] if alert.is_retro else []),
        ]
    )


def summary(alert: AlertView, *, tz: tzinfo, now: datetime) -> str:
    """The alert's row in the list, two lines: the plate, when it was seen and why it is
    listed; then where the alert stands and the place. Each line is cut short at the row's
    end (see ``list_rows``), where the words that matter least stand; ``row_help`` has them
    whole."""
    return (
        f"**{alert.plate}** · {ago(alert.captured_at, now, tz)} · {alert.reason}\n\n"
        f"{status(alert)} · {alert.where}"
    )


def row_help(alert: AlertView, tz: tzinfo) -> str:
    """The row's words in full, shown on hover: the reason, then the review's line."""
    return f"{alert.reason} · {details(alert, tz)}"


def list_rows(key: str) -> None:
    """The buttons in the container ``key`` read as compact rows of a list: from the left (a
    button centres its label), each paragraph of a label on one line cut short with "…", the
    second line smaller and grey, with little space around and between the rows."""
    rows = f".st-key-{key} [data-testid='stButton'] button"
    st.html(
        "<style>"
        f".st-key-{key} {{gap: 0.35rem;}}"
        f"{rows} {{justify-content: flex-start; text-align: left; min-height: 0;"
        " padding: 0.3rem 0.75rem;}"
        f"{rows} > div, {rows} > div > span {{flex: 1 1 auto; justify-content: flex-start;}}"
        f"{rows} > div, {rows} [data-testid='stMarkdownContainer'] {{min-width: 0;"
        " overflow: hidden;}"
        f"{rows} p {{text-align: left; margin: 0; line-height: 1.35; white-space: nowrap;"
        " overflow: hidden; text-overflow: ellipsis;}"
        f"{rows} p + p {{font-size: 0.85em; opacity: 0.8;}}"
        "</style>"
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
