"""The Policy in force (R01-R03, R14, R30): a recorded change takes effect at once for every
reader of it, each change is kept with its legal basis, who and when, a value looser than the
law is refused naming the rule, and nothing in the caller's environment changes the policy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, text

from alpr.config import get_deployment
from alpr.data.models import AccessRecord, HotList, PolicyChange, PolicySetting, User
from alpr.governance import hotlists
from alpr.governance.auth.local import MfaChallenge, check_password
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.policy import (
    policy_history,
    policy_in_force,
    policy_set_aside,
    set_policy,
)
from alpr.governance.runtime import Runtime, build_runtime
from alpr.governance.users import create_user
from alpr.policy import Policy
from alpr.recognition.hotlist_match import HotListMatcher
from alpr.recognition.worker import StaleListWatch
from tests.conftest import Clock, TestUser

BASIS = "Department policy 438.5, approved by the Chief"


def _wrong_password(rt: Runtime, username: str) -> Refusal:
    with pytest.raises(Refusal) as refused:
        check_password(rt, username=username, password="Not-The-Password-1")
    return refused.value


def _locked_at(rt: Runtime, username: str) -> datetime | None:
    with rt.transaction() as session:
        return session.execute(select(User.locked_at).where(User.username == username)).scalar_one()


def test_lockout_follows_the_recorded_number_of_attempts(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    make_user("rivera", "investigator")
    set_policy(rt, actor=None, key="lockout_attempts", value=2, legal_basis=BASIS)
    assert "After 2 failed sign-ins" in _wrong_password(rt, "rivera").message
    assert _locked_at(rt, "rivera") is None
    _wrong_password(rt, "rivera")
    assert _locked_at(rt, "rivera") is not None


def test_password_length_follows_the_policy(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    admin = make_user("admin", "administrator")
    set_policy(rt, actor=admin.principal, key="password_min_length", value="20", legal_basis=BASIS)
    with pytest.raises(InvalidInput, match="at least 20 characters"):
        create_user(
            rt,
            actor=admin.principal,
            username="newhire",
            full_name="New Hire",
            role="patrol",
            agency_name=admin.principal.agency_name,
            password="Quiet-Harbor-71",  # 15 characters
        )


def test_each_change_is_kept_with_its_basis_who_and_when(
    rt: Runtime, make_user: Callable[..., TestUser], clock: Clock
) -> None:
    admin = make_user("admin", "administrator")
    set_policy(rt, actor=admin.principal, key="lockout_attempts", value=3, legal_basis=BASIS)
    clock.advance(minutes=5)
    set_policy(rt, actor=None, key="lockout_attempts", value=4, legal_basis="Chief's order 7")
    history = policy_history(rt, actor=admin.principal)
    assert [(h.old_value, h.new_value, h.legal_basis) for h in history] == [
        (3, 4, "Chief's order 7"),
        (5, 3, BASIS),
    ]
    assert history[1].changed_by == "admin" and history[0].changed_by == "system"
    assert history[1].changed_by_name == "Admin"  # by name, as the page shows it
    assert history[0].at - history[1].at == timedelta(minutes=5)
    with rt.transaction() as session:
        logged = session.execute(
            select(AccessRecord.detail).where(AccessRecord.event == "policy_change")
        ).scalars()
        assert any("lockout_attempts: 5 -> 3" in d for d in logged)


def test_looser_than_the_law_is_refused_naming_the_rule_and_recorded(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    admin = make_user("admin", "administrator")
    with pytest.raises(Refusal, match="CJIS Security Policy: access records are kept") as refused:
        set_policy(
            rt, actor=admin.principal, key="retention_audit_days", value=100, legal_basis=BASIS
        )
    assert refused.value.kind is RefusalKind.RULE
    assert policy_in_force(rt).retention_audit_days == 730
    with rt.transaction() as session:
        assert not session.execute(select(PolicyChange)).first()
        outcome, detail = session.execute(
            select(AccessRecord.outcome, AccessRecord.detail).where(
                AccessRecord.event == "policy_change"
            )
        ).one()
    assert outcome == "refused" and "retention_audit_days" in detail


def test_only_the_administrator_changes_policy(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    sergeant = make_user("brooks", "sergeant")
    with pytest.raises(Refusal) as refused:
        set_policy(
            rt, actor=sergeant.principal, key="idle_timeout_minutes", value=5, legal_basis=BASIS
        )
    assert refused.value.kind is RefusalKind.PERMISSION
    assert policy_in_force(rt).idle_timeout_minutes == 30


def test_unknown_keys_and_values_of_the_wrong_type_are_bad_input(rt: Runtime) -> None:
    with pytest.raises(InvalidInput, match="not a policy setting"):
        set_policy(rt, actor=None, key="environment", value="local", legal_basis=BASIS)
    with pytest.raises(InvalidInput, match="lockout_attempts"):
        set_policy(rt, actor=None, key="lockout_attempts", value="three", legal_basis=BASIS)
    with pytest.raises(InvalidInput, match="legal basis"):
        set_policy(rt, actor=None, key="lockout_attempts", value=3, legal_basis=" ")


def test_policy_variables_in_the_shell_do_not_change_the_policy(
    rt: Runtime, make_user: Callable[..., TestUser], monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user("rivera", "investigator")
    monkeypatch.setenv("ALPR_REQUIRE_MFA", "false")
    monkeypatch.setenv("ALPR_LOCKOUT_ATTEMPTS", "1")
    monkeypatch.setenv("ALPR_DATABASE_URL", rt.settings.resolved_database_url)
    get_deployment.cache_clear()
    try:
        from_shell = build_runtime(get_deployment())
        step = check_password(from_shell, username="rivera", password=user.password)
        assert isinstance(step, MfaChallenge)
        assert policy_in_force(from_shell).lockout_attempts == 5
    finally:
        get_deployment.cache_clear()


def test_one_meaning_of_stale_for_ingest_and_the_hot_lists_page(
    rt: Runtime, make_user: Callable[..., TestUser], clock: Clock
) -> None:
    admin = make_user("admin", "administrator")
    hotlists.ensure_list(rt, actor=None, name="SVS", kind="stolen_vehicle")
    hotlists.add_entry(
        rt, actor=None, list_name="SVS", pattern="7ABC123", reason="stolen", case_number=None
    )
    with rt.transaction() as session:
        session.execute(select(HotList)).scalar_one().refreshed_at = clock.now

    def stale() -> tuple[bool, bool]:
        page = hotlists.list_status(rt, principal=admin.principal)[0].stale
        with rt.transaction() as session:
            matcher = HotListMatcher.load(session, now=rt.now())
        return page, bool(matcher.stale_lists)

    clock.advance(hours=30)
    assert stale() == (True, True)
    set_policy(rt, actor=None, key="hotlist_freshness_hours", value=48, legal_basis=BASIS)
    assert stale() == (False, False)


def test_the_worker_names_a_stale_list_once_and_follows_a_policy_change(
    rt: Runtime, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    hotlists.ensure_list(rt, actor=None, name="SVS", kind="stolen_vehicle")
    with rt.transaction() as session:
        session.execute(select(HotList)).scalar_one().refreshed_at = clock.now - timedelta(hours=30)
    watch = StaleListWatch(rt.engine)
    with caplog.at_level("WARNING", logger="alpr.worker"):
        assert watch.check(clock.now) == ["SVS"]
        assert watch.check(clock.now) == ["SVS"]
    assert len([r for r in caplog.records if "'SVS' is stale" in r.getMessage()]) == 1
    set_policy(rt, actor=None, key="hotlist_freshness_hours", value=48, legal_basis=BASIS)
    assert watch.check(clock.now) == []


def test_a_recorded_value_this_release_refuses_is_set_aside_not_obeyed(rt: Runtime) -> None:
    """R21: a case-number format recorded under an earlier release's looser rules ('.*' takes
    any word) is not obeyed: the shipped formats stand in, the system keeps working, and the
    policy names the value set aside and why, for an administrator to replace."""
    with rt.transaction() as session:
        session.add(PolicySetting(key="case_number_patterns", value=[".*"], legal_basis="old"))
    policy = policy_in_force(rt)
    assert policy.case_number_patterns == Policy().case_number_patterns
    assert "accepts 'my ex'" in policy_set_aside(rt)["case_number_patterns"]
    assert policy_set_aside(rt).keys() == {"case_number_patterns"}


def _write_around_the_rules(rt: Runtime, values: dict[str, str]) -> None:
    """Values written into the policy table as JSON text, as no door of the system would."""
    as_json = "CAST(:value AS jsonb)" if rt.is_postgres else ":value"
    with rt.transaction() as session:
        for key, value in values.items():
            session.add(PolicySetting(key=key, value=0, legal_basis="written by hand"))
            session.flush()
            session.execute(
                text(f"UPDATE policy_settings SET value = {as_json} WHERE key = :key"),
                {"key": key, "value": value},
            )


def test_a_value_written_around_the_rules_stops_no_command_and_is_replaced(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R30: values no door accepts, written straight into the policy table (NaN and Infinity,
    which SQLite keeps as text that is no JSON; on Postgres numbers too large for a float;
    days beyond any retention period; two retention periods at odds), made every signed-in
    command fail. Each is set aside with
    why, the shipped default stands in, and the administrator records a value again, even the
    default itself, which clears the value set aside."""
    admin = make_user("admin", "administrator")
    huge = "1e400" if rt.is_postgres else "NaN"
    _write_around_the_rules(
        rt,
        {
            "alert_alternative_min_score": huge,
            "flag_volume_factor": "-" + ("1e400" if rt.is_postgres else "Infinity"),
            "retention_audit_days": "99999999999999999999",
            "retention_hit_days": "400",
            "retention_nonhit_days": "500",
        },
    )
    assert policy_history(rt, actor=admin.principal) == []
    assert policy_set_aside(rt).keys() == {
        "alert_alternative_min_score",
        "flag_volume_factor",
        "retention_audit_days",
        "retention_nonhit_days",
    }
    policy = policy_in_force(rt)
    assert (policy.alert_alternative_min_score, policy.flag_volume_factor) == (0.15, 3.0)
    assert (policy.retention_hit_days, policy.retention_nonhit_days) == (400, 365)
    assert policy.retention_audit_days == 730
    for key in ("alert_alternative_min_score", "retention_nonhit_days"):
        default = getattr(Policy(), key)
        set_policy(rt, actor=admin.principal, key=key, value=default, legal_basis=BASIS)
    assert policy_set_aside(rt).keys() == {"flag_volume_factor", "retention_audit_days"}
    with rt.transaction() as session:
        assert session.get(PolicySetting, "alert_alternative_min_score").value == 0.15
    assert [c.key for c in policy_history(rt, actor=admin.principal)] == [
        "retention_nonhit_days",
        "alert_alternative_min_score",
    ]
