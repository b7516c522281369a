"""Sign-in sessions kept on the server: revocable, with the idle and absolute limits checked
against the last time they were seen. Only a hash of each session's token is stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from alpr.data.base import Base, utcnow
from alpr.data.models.enums import SessionEnd, SessionKind, text_enum


class SignInSession(Base):
    __tablename__ = "sign_in_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[SessionKind] = mapped_column(text_enum(SessionKind, "session_kind"))
    client_addr: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[SessionEnd | None] = mapped_column(text_enum(SessionEnd, "session_end"))
