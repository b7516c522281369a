"""R01, R03: the administrator reads each account's standing in words (active, locked or
disabled; second factor; training current until when, lapsed, or none), not as a grid of
ticks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from alpr.data.models import User
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser


def test_accounts_are_described_in_words(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    admin = make_user("okafor", "administrator")
    make_user("alvarez", "investigator")
    make_user("chen", "patrol", trained_on=None, mfa_enrolled=False)
    make_user("brooks", "sergeant", trained_on=date(2020, 1, 6))
    with app_env.transaction() as session:
        session.execute(update(User).where(User.username == "brooks").values(is_trainer=True))
    at = app_as(admin, "app_pages/users.py")
    assert not at.exception
    rows = at.dataframe[0].value.set_index("Username")
    assert rows.loc["alvarez", "Training"] == "Current until 2027-06-01"
    assert rows.loc["alvarez", "Account"] == "Active"
    assert rows.loc["chen", "Training"] == "None on record: no ALPR data"
    assert rows.loc["chen", "Second factor"] == "Not enrolled yet"
    assert rows.loc["brooks", "Training"] == "Lapsed on 2021-01-05: no ALPR data"
    assert rows.loc["brooks", "Role"] == "Sergeant · designated trainer"
