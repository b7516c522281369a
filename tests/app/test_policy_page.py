"""The policy in force reads like the written policy: every setting's name, value and basis
in full, not cut off at the edge of a fixed-width grid."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from alpr.data.models import PolicySetting
from alpr.governance.policy import set_policy
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser


def test_policy_in_force_is_shown_in_tables_that_wrap(
    make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    at = app_as(make_user("boss", "administrator"), "app_pages/policy.py")
    assert not at.exception
    in_force = at.tabs[0]
    assert in_force.table and not in_force.dataframe
    settings = [s for t in in_force.table for s in t.value["Setting"]]
    assert any(s.startswith("Canvass window without approval") for s in settings)


def test_case_number_formats_are_shown_as_numbers_they_accept(
    make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    at = app_as(make_user("boss", "administrator"), "app_pages/policy.py")
    rows = {
        s: v
        for t in at.tabs[0].table
        for s, v in zip(t.value["Setting"], t.value["Value"], strict=True)
    }
    assert rows["Case, call and warrant number formats"] == (
        "For example 26-0123, C26-01234 or W260123"
    )
    assert rows["Offenses a description may name, beyond the shipped list"] == "None"


def test_a_recorded_value_set_aside_is_named_for_the_administrator(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """A format recorded under looser rules ('.*') is not in force, and the page says which
    setting and why, so that the administrator records one the rules accept."""
    with app_env.transaction() as session:
        session.add(PolicySetting(key="case_number_patterns", value=[".*"], legal_basis="old"))
    at = app_as(make_user("boss", "administrator"), "app_pages/policy.py")
    assert not at.exception
    [notice] = [e.value for e in at.error if "not in force" in e.value]
    assert notice.startswith("**Case, call and warrant number formats**")
    assert "accepts 'my ex'" in notice


def test_profiles_and_history_read_whole_in_tables_that_wrap(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """A profile's sources and a change's legal basis are read whole, as the written policy
    (a grid cut them after a few words at 1024 pixels); a change names the person who made it,
    and one no person made the system's set-up, not the codes 'okafor' or 'system'."""
    basis = "Daly City Policy 457.5: stored a minimum of one year (Gov. Code 34090)"
    set_policy(app_env, actor=None, key="retention_nonhit_days", value=400, legal_basis=basis)
    boss = make_user("okafor", "administrator")
    set_policy(app_env, actor=boss.principal, key="lockout_attempts", value=3, legal_basis="Memo")
    at = app_as(boss, "app_pages/policy.py")
    assert not at.exception
    profiles, history = at.tabs[2], at.tabs[3]
    assert profiles.table and not profiles.dataframe
    assert history.table and not history.dataframe
    [by_person, by_system] = history.table[0].value.to_dict("records")
    assert (by_person["Basis"], by_person["By"]) == ("Memo", "Okafor")
    assert (by_system["Basis"], by_system["By"]) == (basis, "The system's set-up")
    assert by_system["From"] == "365" and by_system["To"] == "400"
    assert "\u2011" in by_system["When"]  # its date never breaks at a hyphen
