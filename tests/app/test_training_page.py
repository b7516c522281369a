"""Training records as a trainer keeps them: people by name, not account codes."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.conftest import TestUser


def test_members_are_named_by_their_names(
    make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    make_user("rivera", "investigator")
    at = app_as(make_user("admin2", "administrator"), "app_pages/training.py")
    assert not at.exception
    [member] = [s for s in at.selectbox if s.label == "Member"]
    assert "Rivera (rivera)" in member.options
    table = at.dataframe[0].value
    assert "Rivera (rivera)" in list(table["Member"])
