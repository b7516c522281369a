"""Session lifetime rules (CJIS): lock after idle minutes, fresh sign-in after max hours."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum


class SessionState(StrEnum):
    ACTIVE = "active"
    IDLE_LOCKED = "idle_locked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class SessionClock:
    signed_in_at: datetime
    last_activity_at: datetime

    def state(self, *, now: datetime, idle_minutes: int, max_hours: int) -> SessionState:
        if now - self.signed_in_at >= timedelta(hours=max_hours):
            return SessionState.EXPIRED
        if now - self.last_activity_at >= timedelta(minutes=idle_minutes):
            return SessionState.IDLE_LOCKED
        return SessionState.ACTIVE

    def touched(self, now: datetime) -> SessionClock:
        return replace(self, last_activity_at=now)
