"""The running system: the deployment settings, the database engine (and its read replicas) and
the image store, built once; and the agency policy in force, read from the database."""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from alpr.config import Deployment, get_deployment
from alpr.data.engine import engine_for, transaction
from alpr.data.images import ImageStore
from alpr.data.models import PolicySetting
from alpr.data.replicas import replica_engine_for
from alpr.governance import log_witness
from alpr.governance.agency_keys import log_mac_key
from alpr.governance.errors import InvalidInput
from alpr.policy import Policy, in_force

LOG_KEY = "alpr_log_key"  # where a transaction's session keeps the access log's MAC secret


@dataclass(frozen=True)
class Runtime:
    settings: Deployment
    engine: Engine
    images: ImageStore
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    replicas: tuple[Engine, ...] = ()

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @cached_property
    def log_key(self) -> bytes:
        """The secret of the access log's MAC, read (or created) at first use."""
        return log_mac_key(self.settings)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with transaction(self.engine) as session:
            session.info[LOG_KEY] = self.log_key
            yield session
            tail = session.info.get(log_witness.TAIL)
        # Committed: the newest record appended is witnessed outside the database.
        if tail is not None:
            log_witness.advance(
                self.settings.witness_file, self.log_key, last_id=tail[0], head=tail[1]
            )

    def policy(self, session: Session) -> Policy:
        """The agency policy in force: the shipped defaults overlaid by the values recorded in
        the database (read once per transaction)."""
        cached = session.info.get("alpr_policy")
        if isinstance(cached, Policy):
            return cached
        return self.adopt_policy(session, PolicySetting.recorded(session))

    def adopt_policy(self, session: Session, overrides: dict[str, Any]) -> Policy:
        """The policy in force given the recorded overrides, kept for the rest of the
        transaction."""
        policy = in_force(overrides)
        session.info["alpr_policy"] = policy
        return policy

    def now(self) -> datetime:
        return self.clock()


def _private(folder: Path) -> None:
    """The data folder holds plate images, release and evidence packages, the spool of reads
    and the keys (and a local database): no account but the service's may enter it (R48, R50).
    It is created so, and one found open to other accounts is closed to them, or refused when
    the service cannot close it."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    mode = stat.S_IMODE(folder.stat().st_mode)
    if mode & 0o077:
        try:
            folder.chmod(mode & 0o700)
        except PermissionError:
            raise InvalidInput(
                f"the data folder {folder} is open to other accounts (mode {mode:o}) and is not "
                f"this account's to close: chmod go-rwx {folder}"
            ) from None


def build_runtime(settings: Deployment, *, owner: bool = False) -> Runtime:
    """The runtime on the app's database role, or with ``owner`` on the role that owns the
    tables (schema upgrades, partition upkeep, purge: the operator's jobs)."""
    _private(settings.data_dir)
    url = settings.resolved_owner_database_url if owner else settings.resolved_database_url
    return Runtime(
        settings=settings,
        engine=engine_for(url),
        images=ImageStore(settings.image_dir),
        replicas=tuple(replica_engine_for(u) for u in settings.replica_urls),
    )


@lru_cache(maxsize=2)
def default_runtime(*, owner: bool = False) -> Runtime:
    return build_runtime(get_deployment(), owner=owner)
