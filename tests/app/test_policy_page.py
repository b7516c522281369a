"""The policy in force reads like the written policy: every setting's name, value and basis
in full, not cut off at the edge of a fixed-width grid."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

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
