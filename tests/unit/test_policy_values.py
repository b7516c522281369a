"""The Policy refuses values looser than the law, naming the rule; deployment settings come
from the environment, policy never does."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from alpr.config import Deployment, ignored_policy_variables
from alpr.policy import (
    POLICY_KEYS,
    POLICY_SECTIONS,
    Limit,
    Policy,
    in_force,
    limit_of,
    set_aside,
)


@pytest.mark.parametrize(
    ("overrides", "rule"),
    [
        ({"retention_nonhit_days": 30}, "34090.6"),
        ({"retention_image_days": 1}, "images are part of the read's record, kept at least one"),
        ({"retention_audit_days": 100}, "CJIS Security Policy: access records are kept at least"),
        ({"lockout_attempts": 10}, "at most 5 failed sign-ins"),
        ({"idle_timeout_minutes": 120}, "at most 30 idle minutes"),
        ({"session_max_hours": 24}, "every 12 hours"),
        ({"password_min_length": 6}, "floor of 12 characters"),
        ({"training_validity_days": 400}, "Piedmont 438.7"),
        ({"wildcard_min_known_chars": 1}, "dragnet"),
        ({"canvass_max_radius_m": 50_000}, "dragnet"),
        ({"case_number_patterns": ["(unclosed"]}, "not a valid regular expression"),
        ({"case_number_patterns": []}, "at least one case/call/warrant number format"),
        ({"justification_offenses": ["illegal dumping", "*"]}, "names no offense"),
        ({"retention_hit_days": 400, "retention_nonhit_days": 500}, "retention_hit_days"),
        ({"designee_name": ""}, "R06"),
        ({"administrator_name": " "}, "R06"),
        ({"records_manager_title": ""}, "must not be empty"),
    ],
)
def test_looser_than_the_law_is_refused_naming_the_rule(
    overrides: dict[str, object], rule: str
) -> None:
    with pytest.raises(ValidationError, match=rule) as refused:
        Policy.model_validate(overrides)
    assert next(iter(overrides)) in str(refused.value)


def test_mfa_may_be_off_only_outside_production() -> None:
    assert not Policy.model_validate({"require_mfa": False}).require_mfa
    with pytest.raises(ValidationError, match="only allowed for a local demo"):
        Policy.model_validate({"require_mfa": False}, context={"environment": "production"})


def test_defaults_are_the_strict_reading() -> None:
    policy = Policy()
    assert policy.require_mfa and policy.lockout_attempts == 5
    assert policy.idle_timeout_minutes == 30 and policy.session_max_hours == 12
    assert policy.retention_nonhit_days >= 365 and policy.training_validity_days == 365


def test_in_force_overlays_stored_values_on_the_defaults() -> None:
    policy = in_force({"lockout_attempts": 2, "a_key_of_a_later_release": 1})
    assert policy.lockout_attempts == 2
    assert policy.password_min_length == Policy().password_min_length


def test_policy_variables_in_the_environment_have_no_effect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALPR_REQUIRE_MFA", "false")
    monkeypatch.setenv("ALPR_CASE_NUMBER_PATTERNS", '[".*"]')
    monkeypatch.setenv("ALPR_TIMEZONE", "America/New_York")
    deployment = Deployment()
    assert deployment.timezone == "America/New_York"
    assert not hasattr(deployment, "require_mfa")
    assert ignored_policy_variables() == ["ALPR_CASE_NUMBER_PATTERNS", "ALPR_REQUIRE_MFA"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"environment": "production"}, "Postgres"),
        ({"database_url": "mysql://db/alpr"}, "sqlite"),
    ],
)
def test_unsafe_deployment_is_refused(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Deployment(**overrides)  # type: ignore[arg-type]


def test_every_value_appears_in_exactly_one_section() -> None:
    listed = [key for _, keys in POLICY_SECTIONS for key in keys]
    assert sorted(listed) == sorted(POLICY_KEYS) and len(listed) == len(set(listed))


def test_limits_read_as_people_write_numbers() -> None:
    assert Limit(1, 1_000_000, "rule").allowed() == "1 to 1,000,000"
    assert Limit(0.05, None, "rule").allowed() == "at least 0.05"
    assert "maximum of 10,000: rule" in (Limit(None, 10_000, "rule").problem("x", 20_000) or "")


@pytest.mark.parametrize("key", ["alert_alternative_min_score", "flag_volume_factor"])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), "nan", "inf"])
def test_a_number_that_is_not_finite_is_bad_input_not_a_value_within_the_limits(
    key: str, value: object
) -> None:
    """R30 and the bounds against dragnet searches: NaN compares false with every bound, so a
    range check alone lets it through; it is refused as a value of the wrong type (bad input),
    as is inf."""
    with pytest.raises(ValidationError) as refused:
        Policy.model_validate({key: value})
    assert [e["type"] for e in refused.value.errors()] == ["finite_number"]


def test_a_limit_holds_no_nan_and_no_infinity() -> None:
    limit = Limit(0.05, 1.0, "rule")
    assert "not a number within 0.05 to 1: rule" in (limit.problem("x", float("nan")) or "")
    assert limit.problem("x", float("inf")) and limit.problem("x", float("-inf"))
    assert limit.problem("x", 0.5) is None


@pytest.mark.parametrize(
    ("stored", "reason"),
    [
        ({"alert_alternative_min_score": float("nan")}, "finite number"),
        ({"flag_volume_factor": float("inf")}, "finite number"),
        ({"flag_volume_factor": 10**400}, "valid number"),
        ({"alert_alternative_min_score": None}, "valid number"),
        ({"alert_alternative_min_score": 0.001}, "below the minimum of 0.05"),
        ({"retention_audit_days": 30}, "kept at least one year"),
        ({"retention_audit_days": 10**20}, "above the maximum of 36,500"),
        ({"retention_hit_days": 400, "retention_nonhit_days": 500}, "retention_hit_days must"),
    ],
)
def test_a_stored_value_the_rules_refuse_is_set_aside_and_a_policy_comes_out(
    stored: dict[str, object], reason: str
) -> None:
    """R30: a value written into the policy table around the rules (NaN, inf, a number out of
    range, one at odds with another stored value) never makes loading the policy fail, which
    would stop every command: it is set aside with why and the shipped default stands in."""
    refused = set_aside(stored)
    key = max(stored)  # the later key is the one judged against the other
    assert list(refused) == [key] and reason in refused[key]
    assert getattr(in_force(stored), key) == getattr(Policy(), key)


def test_every_number_has_a_floor_and_a_ceiling() -> None:
    """R30: a number without a ceiling took 99999999999999999999 days, which no purge can date
    and SQLite kept as 1e+20; every numeric setting is bounded on both sides."""
    numeric = [k for k in POLICY_KEYS if Policy.model_fields[k].annotation in (int, float)]
    bounds = {k: limit_of(k) for k in numeric}
    assert numeric and all(b and b.low is not None and b.high is not None for b in bounds.values())


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (10**20, "above the maximum of 36,500"),
        ("99999999999999999999", "a retention period is at most 100 years"),
        (36_501, "above the maximum"),
        (730.5, "valid integer"),
        ("730.5", "valid integer"),
        ("1e3", "valid integer"),
    ],
)
def test_a_day_count_is_a_whole_number_within_a_century(value: object, error: str) -> None:
    """R30: a retention period is a whole number of days, at most 36,500."""
    with pytest.raises(ValidationError, match=error):
        Policy.model_validate({"retention_audit_days": value})
    assert Policy.model_validate({"retention_audit_days": 36_500}).retention_audit_days == 36_500
