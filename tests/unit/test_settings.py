"""Unsafe policy values are refused at start-up with a message naming the rule."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from alpr.config import Settings


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"retention_nonhit_days": 30}, "34090.6"),
        ({"retention_audit_days": 90}, "CJIS"),
        ({"lockout_attempts": 10}, "less than or equal to 5"),
        ({"idle_timeout_minutes": 120}, "less than or equal to 30"),
        ({"password_min_length": 6}, "greater than or equal to 12"),
        ({"wildcard_min_known_chars": 1}, "greater than or equal to 3"),
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"case_number_patterns": ["(unclosed"]}, "not a valid regex"),
        (
            {
                "environment": "production",
                "require_mfa": False,
                "database_url": "postgresql+psycopg://db/alpr",
            },
            "MFA",
        ),
        ({"environment": "production"}, "Postgres"),
    ],
)
def test_unsafe_values_are_refused(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(**overrides)  # type: ignore[arg-type]


def test_defaults_are_the_strict_reading() -> None:
    settings = Settings()
    assert settings.require_mfa and settings.lockout_attempts == 5
    assert settings.retention_nonhit_days >= 365 and settings.training_validity_days == 365
    assert settings.resolved_database_url.startswith("sqlite:///")
