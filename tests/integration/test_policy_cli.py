"""``alpr policy`` and the acts of ``alpr users`` on both databases: a policy change takes
effect, is in the history and the access log; a value looser than the law is refused (exit 3)
naming the rule; a profile applies with each value's citation; a refused act is recorded."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from alpr.data.models import (
    AccessRecord,
    Agency,
    AgencyKind,
    PolicyChange,
    PolicySetting,
    User,
)
from alpr.governance.auth.local import check_password
from alpr.governance.errors import Refusal
from alpr.governance.runtime import Runtime, default_runtime
from alpr.policy import POLICY_KEYS, Policy
from tests.conftest import CliRun, SignedCli, TestUser


@pytest.fixture
def people(make_user: Callable[..., TestUser]) -> dict[str, TestUser]:
    return {
        name: make_user(name, role)
        for name, role in (("okafor", "administrator"), ("rivera", "investigator"))
    }


@pytest.fixture
def cli(signed_cli: SignedCli, people: dict[str, TestUser]) -> CliRun:
    return signed_cli(people)


def _refused(rt: Runtime, event: str) -> list[str]:
    with rt.transaction() as session:
        return list(
            session.execute(
                select(AccessRecord.username).where(
                    AccessRecord.event == event, AccessRecord.outcome == "refused"
                )
            ).scalars()
        )


def test_policy_set_takes_effect_and_is_in_the_history_and_the_log(
    rt: Runtime, cli: CliRun, people: dict[str, TestUser]
) -> None:
    basis = "Chief's directive 2026-14, CJIS 5.5.3"
    code, out = cli("policy", "set", "lockout_attempts", "3", "--basis", basis, as_user="okafor")
    assert code == 0 and "lockout_attempts: 5 -> 3" in out
    live = default_runtime()
    for attempt in range(3):
        with pytest.raises(Refusal) as refused:
            check_password(live, username="rivera", password="Not-The-Password-1")
        assert "After 3 failed sign-ins" in refused.value.message
        with live.transaction() as session:
            locked_at = session.execute(
                select(User.locked_at).where(User.username == "rivera")
            ).scalar_one()
        assert (locked_at is not None) is (attempt == 2)
    code, history = cli("policy", "history", "--json", as_user="okafor")
    assert code == 0
    assert [
        (h["key"], h["old_value"], h["new_value"], h["legal_basis"], h["changed_by"])
        for h in history
    ] == [("lockout_attempts", 5, 3, basis, "okafor")]
    with rt.transaction() as session:
        detail = session.execute(
            select(AccessRecord.detail).where(
                AccessRecord.event == "policy_change", AccessRecord.username == "okafor"
            )
        ).scalar_one()
    assert "lockout_attempts: 5 -> 3" in detail and basis in detail


def test_looser_than_the_law_exits_3_naming_the_rule(rt: Runtime, cli: CliRun) -> None:
    code, out = cli(
        "policy", "set", "retention_audit_days", "100", "--basis", "save disk", as_user="okafor"
    )
    assert code == 3 and "CJIS Security Policy" in out and "one year" in out
    code, out = cli(
        "policy", "set", "lockout_attempts", "three", "--basis", "typo", as_user="okafor"
    )
    assert code == 2 and "lockout_attempts" in out
    code, out = cli("policy", "set", "idle_timeout_minutes", "5", "--basis", "x", as_user="rivera")
    assert code == 3 and _refused(rt, "policy_change") == ["okafor", "rivera"]


@pytest.mark.parametrize(
    ("formats", "reason"),
    [
        ('[".*"]', "accepts 'my ex', which is no case, call or warrant number"),
        (r'["^(\\d+)+$"]', "repeats a part that itself repeats"),
        ('["^#.*$"]', "accepts '#x y', which is no case, call or warrant number"),
        (r'["^\\d{2}[- ]\\d{5}$"]', "accepts a space, and so free words"),
    ],
)
def test_a_case_number_format_taking_any_word_or_backtracking_is_refused(
    rt: Runtime, cli: CliRun, formats: str, reason: str
) -> None:
    """R21: the red team's formats are refused (exit 3, saying why) and recorded; the shipped
    formats stay in force, so a free word is still no case number."""
    code, out = cli(
        "policy", "set", "case_number_patterns", formats, "--basis", "test", as_user="okafor"
    )
    assert code == 3 and reason in out, out
    assert _refused(rt, "policy_change") == ["okafor"]
    code, shown = cli("policy", "show", "--json")
    in_force = next(e for e in shown if e["key"] == "case_number_patterns")
    assert in_force["value"] == Policy().case_number_patterns
    code, out = cli(
        "search",
        "history",
        "4BDA423",
        "--purpose",
        "stolen_vehicle",
        "--case-number",
        "my ex",
        as_user="rivera",
    )
    assert code == 3 and "not a case, call or warrant number" in out, out


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("alert_alternative_min_score", "nan"),
        ("alert_alternative_min_score", "Infinity"),
        ("flag_volume_factor", "nan"),
        ("flag_volume_factor", "inf"),
    ],
)
def test_a_number_that_is_not_finite_is_bad_input_and_nothing_is_recorded(
    rt: Runtime, cli: CliRun, key: str, value: str
) -> None:
    """R30 and the bounds against dragnet searches: 'nan' passed every range check and, once
    recorded, stopped every signed-in command on SQLite (Postgres kept null). Now it is bad
    input (exit 2) naming the allowed range, nothing is recorded and commands keep working."""
    code, out = cli("policy", "set", key, value, "--basis", "test", as_user="okafor")
    assert code == 2 and "finite number" in out and "allowed: " in out, out
    with rt.transaction() as session:
        assert session.get(PolicySetting, key) is None
        assert session.execute(select(PolicyChange)).first() is None
    code, history = cli("policy", "history", "--json", as_user="okafor")
    assert code == 0 and history == []


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("99999999999999999999", 3, "above the maximum of 36,500"),
        ("730.5", 2, "valid integer"),
    ],
)
def test_a_day_count_out_of_bounds_or_not_whole_is_refused_and_nothing_is_recorded(
    rt: Runtime, cli: CliRun, value: str, code: int, message: str
) -> None:
    """R30: 99999999999999999999 days was recorded (as 1e+20 on SQLite) while the value shown
    stayed 730; a retention period is a whole number of days, at most 100 years."""
    refused, out = cli(
        "policy", "set", "retention_audit_days", value, "--basis", "test", as_user="okafor"
    )
    assert refused == code and message in out, out
    with rt.transaction() as session:
        assert session.get(PolicySetting, "retention_audit_days") is None
    _, shown = cli("policy", "show", "--json")
    assert next(e for e in shown if e["key"] == "retention_audit_days")["value"] == 730


@pytest.mark.parametrize(
    ("key", "value", "code", "message"),
    [
        ("designee_name", "", 3, "designee_name must not be empty"),
        ("administrator_name", "   ", 3, "(R06)"),
        ("agency_name", "x" * 5000, 2, "at most 200 characters"),
        ("designee_name", "Lt. " + "x" * 197, 2, "at most 200 characters"),
    ],
)
def test_a_blank_or_overlong_name_is_refused_and_nothing_is_recorded(
    rt: Runtime, cli: CliRun, key: str, value: str, code: int, message: str
) -> None:
    """R06: the designee and the administrator are named, and the agency's name fits its
    column: a blank name is refused naming the rule, one of 5,000 characters is bad input."""
    refused, out = cli("policy", "set", key, value, "--basis", "test", as_user="okafor")
    assert refused == code and message in out, out
    with rt.transaction() as session:
        assert session.execute(select(PolicyChange)).first() is None
        assert session.execute(select(Agency.name).where(Agency.is_home)).scalar_one() == (
            Policy().agency_name
        )


def test_the_name_of_another_agency_in_the_register_is_bad_input(rt: Runtime, cli: CliRun) -> None:
    """R06: the home agency took the name of an agency in the register and the command failed
    on the database's unique name (exit 1); now it is bad input (exit 2), nothing written, and
    a name of its own is still recorded."""
    with rt.transaction() as session:
        session.add(Agency(name="Reno Police Department", kind=AgencyKind.OUT_OF_STATE, state="NV"))
    code, out = cli(
        "policy", "set", "agency_name", "Reno Police Department", "--basis", "x", as_user="okafor"
    )
    assert code == 2 and "already the name of another agency in the register" in out, out
    with rt.transaction() as session:
        assert session.execute(select(PolicyChange)).first() is None
        assert session.get(PolicySetting, "agency_name") is None
    code, out = cli(
        "policy", "set", "agency_name", "Reno Police Dept.", "--basis", "x", as_user="okafor"
    )
    assert code == 0
    with rt.transaction() as session:
        homes = session.execute(select(Agency.name).where(Agency.is_home)).scalars().all()
    assert homes == ["Reno Police Dept."]


def test_show_names_a_recorded_value_set_aside_and_the_value_in_force(
    rt: Runtime, cli: CliRun
) -> None:
    """R30: images kept 30 days, recorded before images had the reads' floor of a year, are
    not obeyed: ``policy show`` names the value set aside and why, and shows the year in
    force."""
    with rt.transaction() as session:
        session.add(PolicySetting(key="retention_image_days", value=30, legal_basis="old"))
    code, out = cli("policy", "show")
    assert code == 0 and "retention_image_days = 365" in out
    warning = next(line for line in out.splitlines() if line.startswith("warning: "))
    assert "retention_image_days: the recorded value is not in force" in warning
    assert "Gov. Code 34090.6" in warning


def test_free_text_is_no_case_number_even_under_a_format_recorded_around_the_rules(
    rt: Runtime, cli: CliRun
) -> None:
    """R21: with the format ^#.*$ recorded, '#just curious about my neighbor' ran a search. The
    format is set aside on load, and whatever the formats a number is a reference (at most 24
    letters, digits and - / .): the search is refused (exit 3) saying so."""
    with rt.transaction() as session:
        session.add(PolicySetting(key="case_number_patterns", value=["^#.*$"], legal_basis="x"))
    code, out = cli(
        "search",
        "history",
        "4BDA423",
        "--purpose",
        "stolen_vehicle",
        "--case-number",
        "#just curious about my neighbor",
        as_user="rivera",
    )
    assert code == 3 and "a number is a reference, not free text" in out, out
    assert "curious" not in out


def test_show_lists_every_value_with_its_rule(cli: CliRun) -> None:
    code, entries = cli("policy", "show", "--json")
    assert code == 0 and [e["key"] for e in entries] == list(POLICY_KEYS)
    lockout = next(e for e in entries if e["key"] == "lockout_attempts")
    assert lockout["value"] == 5 and "CJIS" in lockout["rule"] and lockout["legal_basis"] is None


def test_a_profile_applies_with_its_citations(cli: CliRun) -> None:
    code, listed = cli("policy", "profile", "list", "--json")
    assert code == 0 and {p["name"] for p in listed} == {
        "daly-city",
        "palos-verdes-estates",
        "piedmont",
        "pomona",
        "santa-clara",
    }
    code, applied = cli(
        "policy", "profile", "apply", "palos-verdes-estates", "--json", as_user="okafor"
    )
    assert code == 0
    values = {v["key"]: v for v in applied["values"]}
    assert values["retention_nonhit_days"]["value"] == 730
    assert "two years" in values["retention_nonhit_days"]["citation"]
    assert "silent" in values["canvass_max_radius_m"]["citation"]
    code, shown = cli("policy", "show", "--json")
    in_force = {e["key"]: e for e in shown}
    assert in_force["retention_nonhit_days"]["value"] == 730
    assert in_force["agency_name"]["value"] == "Palos Verdes Estates Police Department"
    assert in_force["retention_nonhit_days"]["legal_basis"].startswith(
        "Palos Verdes Estates Police Department's policy profile: Palos Verdes Estates ALPR "
        "Privacy Policy"
    )
    code, out = cli("policy", "profile", "apply", "springfield", as_user="okafor")
    assert code == 2 and "daly-city" in out


def test_a_refused_users_add_is_recorded_and_creates_nobody(rt: Runtime, cli: CliRun) -> None:
    code, out = cli(
        "users",
        "add",
        "mallory",
        "--role",
        "administrator",
        "--full-name",
        "Mallory",
        "--agency",
        "Demo City Police Department",
        "--password-stdin",
        as_user="rivera",
        stdin="Mallory-Wants-In-2026\n",
    )
    assert code == 3 and "users.manage" in out
    assert _refused(rt, "user_change") == ["rivera"]
    with rt.transaction() as session:
        assert session.execute(select(User).where(User.username == "mallory")).first() is None
