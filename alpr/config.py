"""Deployment settings: where this installation keeps its data and how it runs, read from
environment variables prefixed ``ALPR_`` (or a ``.env`` file) at start.

The agency's policy is not here: it lives in the database (``alpr.policy``), so that nothing in
the caller's shell can loosen it. An ``ALPR_`` variable that names a policy value is ignored.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from alpr.policy import Policy

ENV_PREFIX = "ALPR_"


class Deployment(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore")

    environment: Literal["local", "production"] = "local"
    data_dir: Path = Path("var")
    database_url: str = ""
    # Postgres: the role that owns the tables, for `alpr db upgrade`, `db maintain` and `purge`
    # only; the app and the worker connect with ``database_url``, a role without ownership.
    owner_database_url: str = ""
    # The key of the access log's MAC (default: under the data dir); never in the database.
    log_key_file: Path | None = None
    # Hot standbys of the Postgres database (comma separated): searches of a past window run on
    # the first one close enough behind the primary; every record is still written on it.
    replica_urls: Annotated[tuple[str, ...], NoDecode] = ()
    model_dir: Path | None = None
    import_dir: Path | None = None  # where `alpr ingest` may take read images from
    onnx_threads: int = Field(default=1, ge=1, le=64)
    timezone: str = "America/Los_Angeles"
    # How often the alerts page looks for new alerts, in seconds.
    alerts_refresh_seconds: float = Field(default=10, ge=2, le=120)
    # The basemap under every map: an XYZ raster tile template (the agency's GIS or an
    # OpenStreetMap-style server) and the credit its licence asks for. Without one, the maps
    # draw the street centre lines loaded with `alpr places import`, with no network use.
    map_tiles: str = ""
    map_attribution: str = ""
    # The agency's e-mail domains (comma separated) whose verified addresses may link an
    # identity-provider account to the ALPR account of the same username at its first single
    # sign-on. Without any, single sign-on reaches only accounts already linked.
    sso_email_domains: Annotated[tuple[str, ...], NoDecode] = ()

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'alpr.sqlite3').resolve()}"

    @property
    def resolved_owner_database_url(self) -> str:
        return self.owner_database_url or self.resolved_database_url

    @property
    def key_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def resolved_log_key_file(self) -> Path:
        return self.log_key_file or self.key_dir / "access-log-mac.key"

    @property
    def checkpoint_file(self) -> Path:
        return self.data_dir / "audit" / "access-log-checkpoints.jsonl"

    @property
    def witness_file(self) -> Path:
        return self.data_dir / "audit" / "access-log-witness.json"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def image_dir(self) -> Path:
        return self.data_dir / "images"

    @property
    def spool_dir(self) -> Path:
        return self.data_dir / "spool"

    @property
    def resolved_import_dir(self) -> Path:
        """The only folder ingested read files may take images from."""
        return self.import_dir if self.import_dir is not None else self.data_dir / "import"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}; use an IANA name") from exc
        return value

    @field_validator("map_tiles")
    @classmethod
    def _xyz_template(cls, value: str) -> str:
        value = value.strip()
        if value and (
            not value.startswith(("https://", "http://"))
            or not all(part in value for part in ("{z}", "{x}", "{y}"))
        ):
            raise ValueError(
                "ALPR_MAP_TILES is an http(s) XYZ template with {z}, {x} and {y}, such as "
                "https://tiles.example.gov/{z}/{x}/{y}.png"
            )
        return value

    @field_validator("database_url", "owner_database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("database URL must be sqlite:/// or postgresql+psycopg://")
        return value

    @field_validator("replica_urls", "sso_email_domains", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(url.strip() for url in value.split(",") if url.strip())
        return value

    @field_validator("replica_urls")
    @classmethod
    def _postgres_replicas(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not url.startswith("postgresql") for url in value):
            raise ValueError("replica URLs must be postgresql+psycopg://")
        return value

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> Deployment:
        if self.environment == "production" and not self.resolved_database_url.startswith(
            "postgresql"
        ):
            raise ValueError("unsafe settings refused: production needs Postgres/PostGIS")
        if self.replica_urls and not self.resolved_database_url.startswith("postgresql"):
            raise ValueError("read replicas need a Postgres primary (ALPR_DATABASE_URL)")
        return self


def ignored_policy_variables() -> list[str]:
    """The ``ALPR_`` variables in the environment that name a policy value: policy is set in
    the database, so these have no effect."""
    names = {f"{ENV_PREFIX}{key}".upper() for key in Policy.model_fields}
    return sorted(name for name in os.environ if name.upper() in names)


@lru_cache(maxsize=1)
def get_deployment() -> Deployment:
    return Deployment()
