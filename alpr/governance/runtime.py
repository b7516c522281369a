"""The running system: settings, the database engine and the image store, built once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alpr.config import Settings, get_settings
from alpr.data.engine import engine_for, transaction
from alpr.data.images import ImageStore
from alpr.data.models import PolicySetting


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine
    images: ImageStore
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with transaction(self.engine) as session:
            yield session

    def policy(self, session: Session) -> Settings:
        """The agency policy in force: settings overlaid by the values recorded in the database
        (read once per transaction)."""
        cached = session.info.get("alpr_policy")
        if isinstance(cached, Settings):
            return cached
        rows = session.execute(select(PolicySetting.key, PolicySetting.value)).all()
        return self.adopt_policy(session, {key: value for key, value in rows})

    def adopt_policy(self, session: Session, overrides: dict[str, Any]) -> Settings:
        """The policy in force given the recorded overrides, kept for the rest of the
        transaction."""
        policy = self.settings.model_copy(update=overrides) if overrides else self.settings
        session.info["alpr_policy"] = policy
        return policy

    def now(self) -> datetime:
        return self.clock()


def build_runtime(settings: Settings) -> Runtime:
    return Runtime(
        settings=settings,
        engine=engine_for(settings.resolved_database_url),
        images=ImageStore(settings.image_dir),
    )


@lru_cache(maxsize=1)
def default_runtime() -> Runtime:
    return build_runtime(get_settings())
