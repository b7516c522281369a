"""Cameras (fixed and mobile) and their health heartbeats."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from alpr.data.base import Base, utcnow
from alpr.data.models.enums import CameraKind, CameraStatus, text_enum


class Camera(Base):
    __tablename__ = "cameras"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[CameraKind] = mapped_column(text_enum(CameraKind, "camera_kind"))
    location_name: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    heading: Mapped[int | None] = mapped_column(SmallInteger)
    source_url: Mapped[str | None] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(default=True)
    status: Mapped[CameraStatus] = mapped_column(
        text_enum(CameraStatus, "camera_status"), default=CameraStatus.UNKNOWN
    )
    last_heartbeat_at: Mapped[datetime | None]
    frames_per_second: Mapped[float | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CameraHeartbeat(Base):
    """One health sample per camera and interval; uptime statistics are computed from these."""

    __tablename__ = "camera_heartbeats"
    __table_args__ = (Index("ix_camera_heartbeats_camera_at", "camera_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[CameraStatus] = mapped_column(text_enum(CameraStatus, "camera_status"))
    frames_per_second: Mapped[float | None]
    frames: Mapped[int] = mapped_column(default=0)
    reads: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
