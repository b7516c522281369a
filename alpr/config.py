"""Typed settings (environment variables prefixed ``ALPR_``) and the agency policy defaults.

The policy defaults are the strictest reading of the five department policies; an agency may
loosen them only within what the law allows, and values the law forbids are refused at start-up
with a message naming the rule.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_READ_RETENTION_DAYS = 365  # Gov. Code 34090.6, R30
MIN_AUDIT_RETENTION_DAYS = 365  # CJIS Security Policy: audit records kept at least one year


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ALPR_", env_file=".env", extra="ignore")

    environment: Literal["local", "production"] = "local"
    data_dir: Path = Path("var")
    database_url: str = ""
    model_dir: Path | None = None
    onnx_threads: int = Field(default=1, ge=1, le=64)

    agency_name: str = "Demo City Police Department"
    timezone: str = "America/Los_Angeles"
    # R06: the ALPR Administrator and the current designee, by title and name.
    administrator_title: str = "Captain, Investigations Division"
    administrator_name: str = "Not yet designated"
    designee_title: str = "Lieutenant, ALPR Program"
    designee_name: str = "Not yet designated"
    records_manager_title: str = "Records Manager"

    # Sign-in and sessions (CJIS): stricter values are allowed, looser ones refused.
    require_mfa: bool = True
    lockout_attempts: int = Field(default=5, ge=1, le=5)
    lockout_window_minutes: int = Field(default=15, ge=15, le=1440)
    idle_timeout_minutes: int = Field(default=30, ge=1, le=30)
    session_max_hours: int = Field(default=12, ge=1, le=12)
    password_min_length: int = Field(default=12, ge=12, le=128)
    training_validity_days: int = Field(default=365, ge=30, le=365)

    # Justification formats (R21): regular expressions for case, call and warrant numbers.
    case_number_patterns: list[str] = [
        r"^\d{2}-\d{4,6}$",  # case number, e.g. 26-01234
        r"^C\d{2}-\d{5,7}$",  # CAD call number, e.g. C26-004512
        r"^W\d{6,10}$",  # warrant number, e.g. W2026123
    ]

    # Retention (R30, R31): days kept before automatic purge.
    retention_nonhit_days: int = 365
    retention_hit_days: int = 730
    retention_image_days: int = 365
    retention_alert_days: int = 730
    retention_hotlist_expired_days: int = 365
    retention_audit_days: int = 730
    retention_release_days: int = 1825

    # Bounds against dragnet searches (field notes 6); beyond them a supervisor approves.
    canvass_max_radius_m: int = Field(default=1000, ge=50, le=10_000)
    canvass_max_window_hours: int = Field(default=72, ge=1, le=24 * 31)
    search_max_cameras: int = Field(default=25, ge=1, le=1000)
    plate_search_max_window_days: int = Field(default=90, ge=1, le=3650)
    wildcard_min_known_chars: int = Field(default=3, ge=3, le=8)
    # Bounds of what one release may cover (R45); beyond them the commander's recorded override.
    release_max_window_days: int = Field(default=90, ge=1, le=3650)
    release_max_reads: int = Field(default=2000, ge=1, le=1_000_000)

    # Hot lists (R14) and releases (R44).
    hotlist_freshness_hours: int = Field(default=24, ge=1, le=168)
    hotlist_entry_default_days: int = Field(default=30, ge=1, le=100)
    hotlist_entry_max_days: int = Field(default=100, ge=1, le=365)
    allow_out_of_state_exception: bool = False

    # Misuse flags (field notes 3): thresholds the ALPR Administrator may tune.
    flag_repeat_plate_lookups: int = Field(default=3, ge=2, le=50)
    flag_reused_justification: int = Field(default=5, ge=2, le=100)
    flag_volume_factor: float = Field(default=3.0, ge=1.5, le=20.0)
    flag_volume_min_searches: int = Field(default=10, ge=3, le=1000)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'alpr.sqlite3').resolve()}"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def image_dir(self) -> Path:
        return self.data_dir / "images"

    @property
    def spool_dir(self) -> Path:
        return self.data_dir / "spool"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}; use an IANA name") from exc
        return value

    @field_validator("case_number_patterns")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("at least one case/call/warrant number format is required (R21)")
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"case number format {pattern!r} is not a valid regex") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("database URL must be sqlite:/// or postgresql+psycopg://")
        return value

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> Settings:
        problems = []
        if self.retention_nonhit_days < MIN_READ_RETENTION_DAYS:
            problems.append(
                f"retention_nonhit_days={self.retention_nonhit_days}: reads are kept at least "
                f"{MIN_READ_RETENTION_DAYS} days (Gov. Code 34090.6, R30)"
            )
        if self.retention_hit_days < self.retention_nonhit_days:
            problems.append("retention_hit_days must not be shorter than retention_nonhit_days")
        if self.retention_audit_days < MIN_AUDIT_RETENTION_DAYS:
            problems.append(
                f"retention_audit_days={self.retention_audit_days}: access records are kept at "
                f"least {MIN_AUDIT_RETENTION_DAYS} days (CJIS)"
            )
        if self.retention_image_days < 1 or self.retention_image_days > self.retention_hit_days:
            problems.append("retention_image_days must be between 1 and retention_hit_days")
        if self.hotlist_entry_default_days > self.hotlist_entry_max_days:
            problems.append("hotlist_entry_default_days exceeds hotlist_entry_max_days")
        if self.environment == "production":
            if not self.require_mfa:
                problems.append("require_mfa=false is only allowed for a local demo (CJIS: MFA)")
            if not self.resolved_database_url.startswith("postgresql"):
                problems.append("production needs Postgres/PostGIS (ALPR_DATABASE_URL)")
        if problems:
            raise ValueError("unsafe settings refused: " + "; ".join(problems))
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
