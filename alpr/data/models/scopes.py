"""What a release or a legal hold covers (R31, R45): plates, and/or a case's area, in a period."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from alpr.data.base import Base, utcnow


class Scope(Base):
    """Plates (exact or partial) and/or a case with an area (centre and radius), within a
    period. Never changed once recorded: a request given a new scope points to a new row."""

    __tablename__ = "scopes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plates: Mapped[list[Any]] = mapped_column(default=list)
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    case_number: Mapped[str | None] = mapped_column(String(40))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    radius_m: Mapped[float | None]
    address: Mapped[str | None] = mapped_column(String(200))  # the area's centre in words
    reads_counted: Mapped[int | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
