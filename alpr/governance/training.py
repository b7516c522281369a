"""The training gate (R03): department-approved ALPR training within the validity period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from alpr.data.models import TrainingRecord

TRAINING_TOPICS = (
    "Legal authorities (Civil Code 1798.90.5-.55, SB 54)",
    "Current ALPR usage and privacy policy",
    "Evolution of the technology and its risks",
    "Security measures",
    "Practical exercises",
)


@dataclass(frozen=True)
class TrainingStatus:
    current: bool
    completed_on: date | None
    lapses_on: date | None
    message: str


def training_status(
    session: Session, *, user_id: int, today: date, validity_days: int
) -> TrainingStatus:
    latest = session.execute(
        select(TrainingRecord.completed_on)
        .where(TrainingRecord.user_id == user_id, TrainingRecord.completed_on <= today)
        .order_by(TrainingRecord.completed_on.desc())
        .limit(1)
    ).scalar_one_or_none()
    return status_after(latest, today=today, validity_days=validity_days)


def status_after(latest: date | None, *, today: date, validity_days: int) -> TrainingStatus:
    """The training status given the latest course completed on or before today."""
    if latest is None:
        return TrainingStatus(
            False,
            None,
            None,
            "No department-approved ALPR training is on record for you, so ALPR data stays "
            "closed. Ask the ALPR Administrator to schedule the course and record it.",
        )
    lapses_on = latest + timedelta(days=validity_days)
    if today >= lapses_on:
        return TrainingStatus(
            False,
            latest,
            lapses_on,
            f"Your ALPR training of {latest:%Y-%m-%d} lapsed on {lapses_on:%Y-%m-%d}; "
            f"training counts for {validity_days} days. Ask the ALPR Administrator to "
            "record your refresher course.",
        )
    return TrainingStatus(True, latest, lapses_on, f"Training current until {lapses_on:%Y-%m-%d}.")
