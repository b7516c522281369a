"""The alert list as patrol works it (R13): unreviewed first, the newest sighting first, the
filter, which alerts still call for attention, and what each line says; the tone is a playable
WAV."""

from __future__ import annotations

import io
import wave
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from alpr.governance.alerts import AlertView
from alpr.recognition.certainty import POSSIBLE
from alpr.ui.alert_cards import Shown, alarm_wav, ordered, summary, urgent

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


def test_a_line_names_the_outcome_an_earlier_read_and_a_match_by_another_reading() -> None:
    plain = summary(replace(BASE, plate="7ABC123"), UTC)
    assert plain == "**7ABC123** · SVS · Fri Nov 20 18:00 · DC-001 · not reviewed"
    doubtful = summary(
        replace(BASE, plate="7ABC123", is_retro=True, alternative="7ABC128", disposition="misread"),
        UTC,
    )
    assert doubtful == (
        "**7ABC123** · SVS · Fri Nov 20 18:00 · DC-001 · Misread: the characters differ"
        f" · read before the plate was listed · {POSSIBLE}"
    )
