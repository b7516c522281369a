"""A new account is activated by a second person (R01): whoever creates an account knows its
first password, so until another ALPR Administrator or member of command staff vouches for
its holder it cannot sign in or reach anything, and its creator may not activate it while
anyone else could."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select

from alpr.data.models import AccessRecord, User
from alpr.governance.auth.local import MfaChallenge, check_password
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import JustificationInput
from alpr.governance.identity import principal_for
from alpr.governance.investigations import searches
from alpr.governance.runtime import Runtime
from alpr.governance.users import (
    activate_user,
    awaiting_activation,
    create_user,
    list_users,
    record_training,
)
from tests.conftest import TEST_PASSWORD, TestUser

WHY = JustificationInput(purpose="major_crime_canvass", case_number="26-04711")


def _create(rt: Runtime, admin: TestUser, username: str, role: str = "investigator") -> None:
    create_user(
        rt,
        actor=admin.principal,
        username=username,
        full_name=username.title(),
        role=role,
        agency_name=admin.principal.agency_name,
        password=TEST_PASSWORD,
    )


def _log(rt: Runtime, verb: str) -> list[tuple[str, str, str]]:
    with rt.transaction() as session:
        return [
            (r.outcome, r.username, r.detail or "")
            for r in session.execute(
                select(AccessRecord)
                .where(AccessRecord.event == "user_change", AccessRecord.detail.contains(verb))
                .order_by(AccessRecord.id)
            ).scalars()
        ]


def test_an_account_its_creator_trained_reaches_nothing_until_a_second_person_activates_it(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    admin = make_user("okafor", "administrator")
    chief = make_user("ellis", "command")
    _create(rt, admin, "mallory")
    record_training(
        rt, actor=admin.principal, username="mallory", course="ALPR", completed_on=date(2026, 6, 1)
    )
    with pytest.raises(Refusal, match="awaits activation") as refused:
        check_password(rt, username="mallory", password=TEST_PASSWORD)
    assert refused.value.kind is RefusalKind.SIGN_IN
    with rt.transaction() as session:
        user = session.execute(select(User).where(User.username == "mallory")).scalar_one()
        held = principal_for(session, user, authenticated_at=rt.now(), client_addr="test")
    with pytest.raises(Refusal, match="awaits activation"):
        searches.plate_search(rt, principal=held, justification=WHY, pattern="7ABC123")

    with pytest.raises(Refusal, match="You created mallory, so a second person activates it"):
        activate_user(rt, actor=admin.principal, username="mallory")
    assert [a.username for a in awaiting_activation(rt, actor=chief.principal)] == ["mallory"]
    activate_user(rt, actor=chief.principal, username="mallory")

    assert isinstance(check_password(rt, username="mallory", password=TEST_PASSWORD), MfaChallenge)
    assert awaiting_activation(rt, actor=chief.principal) == []
    assert [(o, u) for o, u, _ in _log(rt, "activate")] == [
        ("refused", "okafor"),
        ("success", "ellis"),
    ]
    with pytest.raises(InvalidInput, match="active already"):
        activate_user(rt, actor=chief.principal, username="mallory")


def test_who_may_activate(rt: Runtime, make_user: Callable[..., TestUser]) -> None:
    admin = make_user("okafor", "administrator")
    make_user("ellis", "command")
    sergeant = make_user("brooks", "sergeant")
    other_admin = make_user("tanaka", "administrator")
    _create(rt, admin, "mallory")
    with pytest.raises(Refusal) as refused:
        activate_user(rt, actor=sergeant.principal, username="mallory")
    assert refused.value.kind is RefusalKind.PERMISSION
    activate_user(rt, actor=other_admin.principal, username="mallory")
    assert _log(rt, "activate")[-1][:2] == ("success", "tanaka")


def test_the_first_account_is_activated_by_its_creator_when_nobody_else_could(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """A new installation has one Administrator: the first person they add (the chief, or a
    second Administrator) is activated by them, and that is recorded and shown; from then on
    the rule holds."""
    admin = make_user("okafor", "administrator")
    make_user("rivera", "investigator")  # holds no activation: not a second person
    _create(rt, admin, "ellis", role="command")
    activate_user(rt, actor=admin.principal, username="ellis")
    (outcome, username, detail) = _log(rt, "activate")[-1]
    assert (outcome, username) == ("success", "okafor")
    assert "by its creator: nobody else could activate accounts yet" in detail
    shown = {u.username: u for u in list_users(rt, actor=admin.principal)}
    assert shown["ellis"].activated_by_creator and not shown["rivera"].activated_by_creator

    _create(rt, admin, "mallory")
    assert shown["ellis"].awaiting_activation is False
    with pytest.raises(Refusal, match="You created mallory"):
        activate_user(rt, actor=admin.principal, username="mallory")
    assert {u.username: u for u in list_users(rt, actor=admin.principal)}[
        "mallory"
    ].awaiting_activation
