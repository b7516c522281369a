"""Agency policy settings in force and the history of every change to them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, cast, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from alpr.data.base import Base, JSONType, utcnow


class PolicySetting(Base):
    """A policy value the agency recorded, overriding the shipped default."""

    __tablename__ = "policy_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONType)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def recorded(cls, session: Session) -> dict[str, Any]:
        """Every recorded value by key: what overlays the shipped defaults."""
        return cls.decoded(dict(session.execute(select(cls.key, cls.value_text())).all()))

    @classmethod
    def value_text(cls) -> Any:
        """The value as the JSON text it is kept as."""
        return cast(cls.value, Text)

    @staticmethod
    def decoded(texts: Mapping[str, str | None]) -> dict[str, Any]:
        """The values kept as JSON text, decoded by the standard library's reader, which takes
        whatever a value written straight into the table may hold (NaN, Infinity, a number no
        float holds) for the policy to judge and set aside; text that is no JSON is None."""
        return {key: _json(text) for key, text in texts.items()}


def _json(text: str | None) -> Any:
    try:
        return json.loads(text) if text is not None else None
    except json.JSONDecodeError:
        return None


class PolicyChange(Base):
    """One change of a policy value: old and new value, legal basis, who (the account, or the
    system's set-up job) and when. Append-only."""

    __tablename__ = "policy_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), index=True)
    old_value: Mapped[Any] = mapped_column(JSONType)
    new_value: Mapped[Any] = mapped_column(JSONType)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_by: Mapped[str | None] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Installation(Base):
    """Present (one row) once the database is set up for production: its production rules then
    hold whatever the environment of a later command says. Append-only."""

    __tablename__ = "installation"
    __table_args__ = (
        CheckConstraint("id = 1", name="one_row"),
        CheckConstraint("environment = 'production'", name="production"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    environment: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
