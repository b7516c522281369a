"""One door for privileged acts (R20, R22, CJIS): every act that is not a data search is
authorized again against the database and recorded in the access log, refused or done; the
operator of the server's command line is named as such."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from alpr.data.models import AccessRecord, User
from alpr.governance.cameras import add_camera
from alpr.governance.errors import Refusal, RefusalKind
from alpr.governance.oversight.review import LogFilter, review_log
from alpr.governance.runtime import Runtime
from alpr.governance.users import change_role, create_user, disable_user, list_users
from tests.conftest import TestUser


def _records(rt: Runtime, event: str) -> list[tuple[str, str, str]]:
    with rt.transaction() as session:
        return [
            (r.outcome, r.username, r.detail or "")
            for r in session.execute(
                select(AccessRecord).where(AccessRecord.event == event).order_by(AccessRecord.id)
            ).scalars()
        ]


def test_a_refused_users_add_by_a_detective_is_recorded(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    detective = make_user("rivera", "investigator")
    with pytest.raises(Refusal) as refused:
        create_user(
            rt,
            actor=detective.principal,
            username="mallory",
            full_name="Mallory",
            role="administrator",
            agency_name=detective.principal.agency_name,
            password="Mallory-Wants-In-2026",
        )
    assert refused.value.kind is RefusalKind.PERMISSION
    with rt.transaction() as session:
        assert session.execute(select(User).where(User.username == "mallory")).first() is None
    ((outcome, username, detail),) = _records(rt, "user_change")
    assert (outcome, username) == ("refused", "rivera")
    assert "create user mallory" in detail and "users.manage" in detail


def test_a_refused_access_log_review_is_recorded(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    officer = make_user("chen", "patrol")
    window = LogFilter(start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2027, 1, 1, tzinfo=UTC))
    with pytest.raises(Refusal):
        review_log(rt, principal=officer.principal, filters=window)
    ((outcome, username, detail),) = _records(rt, "access_log_view")
    assert (outcome, username) == ("refused", "chen") and "access log review" in detail


def test_a_disabled_administrator_is_refused_and_recorded(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    admin = make_user("okafor", "administrator")
    disable_user(rt, actor=None, username="okafor")
    with pytest.raises(Refusal, match="disabled"):
        add_camera(rt, actor=admin.principal, name="Main St", lat=37.7, lon=-122.4)
    assert _records(rt, "system")[-1][:2] == ("refused", "okafor")


def test_acts_done_are_recorded_with_who_did_them(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    admin = make_user("okafor", "administrator")
    add_camera(rt, actor=admin.principal, name="Main St", lat=37.7, lon=-122.4)
    add_camera(rt, actor=None, name="Elm St", lat=37.7, lon=-122.41)
    done = _records(rt, "system")
    assert [(o, u) for o, u, _ in done] == [("success", "okafor"), ("success", "system")]
    assert "camera Main St registered" in done[0][2]


def test_looking_at_a_list_is_not_recorded_but_a_refused_look_is(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    admin = make_user("okafor", "administrator")
    clerk = make_user("nguyen", "records_clerk")
    assert [u.username for u in list_users(rt, actor=admin.principal)] == ["nguyen", "okafor"]
    assert _records(rt, "user_change") == []
    with pytest.raises(Refusal):
        list_users(rt, actor=clerk.principal)
    assert [r[:2] for r in _records(rt, "user_change")] == [("refused", "nguyen")]


def test_nobody_changes_their_own_role(rt: Runtime, make_user: Callable[..., TestUser]) -> None:
    """Separation of duties (R04): an administrator, who does not search reads, cannot make
    themselves an investigator (or a sergeant reviewing their own record); another
    administrator changes a role, and the refused attempt is recorded."""
    admin = make_user("okafor", "administrator")
    other = make_user("ellis", "administrator")
    with pytest.raises(Refusal, match="own role") as refused:
        change_role(rt, actor=admin.principal, username="okafor", role="investigator")
    assert refused.value.kind is RefusalKind.RULE
    assert [r[:2] for r in _records(rt, "permission_change")] == [("refused", "okafor")]
    change_role(rt, actor=other.principal, username="okafor", role="investigator")
    with rt.transaction() as session:
        role = session.execute(select(User.role_code).where(User.username == "okafor")).scalar()
    assert role is not None and role.value == "investigator"
