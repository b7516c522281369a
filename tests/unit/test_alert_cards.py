"""The alert list as patrol works it (R13): unreviewed first, the newest sighting first, the
filter, which alerts still call for attention, and what each row says; the tone is a playable
WAV."""

from __future__ import annotations

import io
import wave
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from alpr.governance.alerts import AlertView
from alpr.recognition.certainty import POSSIBLE
from alpr.ui.alert_cards import Shown, ago, alarm_wav, details, ordered, summary, urgent
from alpr.ui.dates import cell_day, cell_minute

T0 = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
BASE = AlertView(
    id=0,
    created_at=T0,
    plate="",
    read_id=0,
    captured_at=T0,
    camera="DC-001",
    confidence=0.9,
    match_kind="exact",
    priority="high",
    is_retro=False,
    list_name="SVS",
    list_stale=False,
    entry_pattern="",
    entry_state="CA",
    reason="Stolen vehicle",
    case_number=None,
    vehicle="",
    crop_jpeg=None,
    frame_jpeg=None,
    disposition=None,
    muted=False,
)


def _alert(n: int, plate: str, hours_ago: float, **changes: object) -> AlertView:
    return replace(BASE, id=n, plate=plate, captured_at=T0 - timedelta(hours=hours_ago), **changes)


ALERTS = [
    _alert(1, "OLDUNREV", 5),
    _alert(2, "NEWREVIEWED", 0, disposition="misread"),
    _alert(3, "NEWUNREV", 1, priority="medium"),
    _alert(4, "MUTED", 2, priority="low", muted=True),
]


def test_unreviewed_first_then_newest_sighting() -> None:
    assert [a.plate for a in ordered(ALERTS, Shown.ALL)] == [
        "NEWUNREV",
        "MUTED",
        "OLDUNREV",
        "NEWREVIEWED",
    ]
    assert [a.plate for a in ordered(ALERTS, Shown.REVIEWED)] == ["NEWREVIEWED"]
    assert "NEWREVIEWED" not in [a.plate for a in ordered(ALERTS, Shown.UNREVIEWED)]


def test_only_unreviewed_high_priority_is_urgent_and_the_tone_plays() -> None:
    assert [a.plate for a in urgent(ALERTS)] == ["OLDUNREV"]
    with wave.open(io.BytesIO(alarm_wav())) as sound:
        assert sound.getnchannels() == 1 and 0.5 < sound.getnframes() / sound.getframerate() < 2


def test_a_row_says_plate_when_and_reason_then_where_it_stands_and_where() -> None:
    """R13: two short lines; an alert raised by another reading says it is only possible."""
    plain = summary(replace(BASE, plate="7ABC123"), tz=UTC, now=T0 + timedelta(minutes=14))
    assert plain == "**7ABC123** · 14 min ago · Stolen vehicle\n\nnot reviewed · DC-001"
    doubtful = summary(
        replace(BASE, plate="7ABC123", is_retro=True, alternative="7ABC128", disposition="misread"),
        tz=UTC,
        now=T0 + timedelta(hours=3, minutes=59),
    )
    assert doubtful == (
        "**7ABC123** · 3 h ago · Stolen vehicle\n\nMisread: the characters differ"
        f" · :orange[{POSSIBLE}] · read before listing · DC-001"
    )


def test_how_long_ago_a_plate_was_seen() -> None:
    seen = [
        ago(T0, T0 + elapsed, UTC)
        for elapsed in (
            timedelta(seconds=59),
            timedelta(minutes=1),
            timedelta(minutes=59, seconds=59),
            timedelta(hours=1),
            timedelta(hours=23, minutes=59),
            timedelta(days=1),
            timedelta(days=6, hours=23),
            timedelta(days=7),
        )
    ]
    assert seen == [
        "just now",
        "1 min ago",
        "59 min ago",
        "1 h ago",
        "23 h ago",
        "1 day ago",
        "6 days ago",
        cell_day(T0, UTC),
    ]
    assert cell_day(T0, UTC) == f"{T0:%Y}\u2011{T0:%m}\u2011{T0:%d}"


def test_an_alerts_sighting_is_dated_as_the_tables_date_it() -> None:
    """The review's line gives the sighting's day and minute as every table does,
    "2026-11-20 09:00", not "Fri Nov 20 09:00"."""
    alert = _alert(1, "7ABC123", 0)
    assert f" · {cell_minute(alert.captured_at, UTC)} · " in details(alert, UTC)
    assert cell_minute(T0, UTC) == f"{T0:%Y}\u2011{T0:%m}\u2011{T0:%d} {T0:%H:%M}"
