"""Incidents a canvass can start from: case number, place and time of a reported crime (no
ALPR data), listed for those who may search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from alpr.data.models import Incident
from alpr.governance.errors import Refusal, RefusalKind
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime


@dataclass(frozen=True)
class IncidentEntry:
    id: int
    case_number: str
    title: str
    kind: str
    lat: float
    lon: float
    occurred_at: datetime
    address: str | None = None


def list_incidents(rt: Runtime, *, principal: Principal) -> list[IncidentEntry]:
    """Incidents to start a canvass from (no ALPR data: case, place and time only)."""
    if not principal.can(Permission.SEARCH_READS):
        raise Refusal(RefusalKind.PERMISSION, "Incidents are listed for investigators.")
    with rt.transaction() as session:
        return [
            IncidentEntry(
                i.id, i.case_number, i.title, i.kind, i.lat, i.lon, i.occurred_at, i.address
            )
            for i in session.execute(
                select(Incident).order_by(Incident.occurred_at.desc())
            ).scalars()
        ]
