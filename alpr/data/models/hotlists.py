"""Hot lists and their entries (full and partial plates), alerts, reviews and notifications."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from alpr.data.base import Base, utcnow
from alpr.data.models.enums import Disposition, HotListKind, MatchKind, Priority, text_enum
from alpr.data.models.reads import READ_ID


class HotList(Base):
    __tablename__ = "hot_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[HotListKind] = mapped_column(text_enum(HotListKind, "hot_list_kind"))
    source: Mapped[str | None] = mapped_column(String(200))
    refreshed_at: Mapped[datetime | None]
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    webhook_url: Mapped[str | None] = mapped_column(Text)
    # The agency from the register that receives the alerts sent to ``webhook_url``.
    webhook_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    webhook_min_priority: Mapped[Priority | None] = mapped_column(text_enum(Priority, "priority"))
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HotListEntry(Base):
    """A plate or a partial plate (``?``/``*`` wildcards) with why it is wanted and until when."""

    __tablename__ = "hot_list_entries"
    __table_args__ = (Index("ix_hot_list_entries_pattern", "pattern"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hot_list_id: Mapped[int] = mapped_column(ForeignKey("hot_lists.id"), index=True)
    pattern: Mapped[str] = mapped_column(String(10))
    is_partial: Mapped[bool] = mapped_column(default=False)
    match_confusions: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str | None] = mapped_column(String(2))
    reason: Mapped[str] = mapped_column(Text)
    vehicle_make: Mapped[str | None] = mapped_column(String(60))
    vehicle_model: Mapped[str | None] = mapped_column(String(60))
    vehicle_color: Mapped[str | None] = mapped_column(String(40))
    case_number: Mapped[str | None] = mapped_column(String(40))
    entered_on: Mapped[date | None] = mapped_column(Date)
    expires_at: Mapped[datetime | None]
    priority: Mapped[Priority] = mapped_column(text_enum(Priority, "priority"))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]

    hot_list: Mapped[HotList] = relationship()


class Alert(Base):
    """A read that matched a hot-list entry, live or found later (retro-hit)."""

    __tablename__ = "alerts"
    __table_args__ = (
        Index("ix_alerts_created_at", "created_at"),
        Index("ix_alerts_read", "read_id"),
        Index("uq_alerts_read_entry", "read_id", "entry_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    read_id: Mapped[int] = mapped_column(READ_ID)
    read_captured_at: Mapped[datetime]
    entry_id: Mapped[int] = mapped_column(ForeignKey("hot_list_entries.id"))
    hot_list_id: Mapped[int] = mapped_column(ForeignKey("hot_lists.id"))
    plate: Mapped[str] = mapped_column(String(10))
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id"))
    match_kind: Mapped[MatchKind] = mapped_column(text_enum(MatchKind, "match_kind"))
    # Set when the entry matched not the plate as read but another reading of it: the alert is
    # only possible until a person compares the crop with both readings (R13).
    alternative: Mapped[str | None] = mapped_column(String(10))
    alternative_score: Mapped[float | None]
    priority: Mapped[Priority] = mapped_column(text_enum(Priority, "priority"))
    is_retro: Mapped[bool] = mapped_column(default=False)
    list_was_stale: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    muted_at: Mapped[datetime | None]
    muted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    entry: Mapped[HotListEntry] = relationship()


class AlertReview(Base):
    """A person's review of an alert (R13): the visual comparison and the CLETS/NCIC check."""

    __tablename__ = "alert_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    characters_compared: Mapped[bool]
    clets_confirmed: Mapped[bool]
    clets_confirmed_by: Mapped[str | None] = mapped_column(String(100))
    clets_confirmed_at: Mapped[datetime | None]
    clets_reference: Mapped[str | None] = mapped_column(String(100))
    disposition: Mapped[Disposition] = mapped_column(text_enum(Disposition, "disposition"))
    note: Mapped[str] = mapped_column(Text)
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookDelivery(Base):
    """One notification of an alert to a CAD or in-car system, with its retries; refused
    (never sent) when its agency may no longer receive the list's alerts."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    attempts: Mapped[int] = mapped_column(default=0)
    delivered_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    refused_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
