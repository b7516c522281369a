"""The home page's "Waiting for you" on both databases: each role is told what others' acts
have put in front of it (R40-R48 decisions and packages, R01 activations by a second person,
R05 training, R15 exigent reviews, R24 audits), counted through the same permissions as the
pages that do the work, without an access record for looking."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from alpr.data.models import AccessRecord
from alpr.governance.errors import Refusal
from alpr.governance.releases.requests import decide, file_request
from alpr.governance.releases.views import list_requests
from alpr.governance.runtime import Runtime
from alpr.governance.users import create_user
from alpr.governance.waiting import Work, waiting_for
from tests.conftest import TestUser
from tests.integration.release_desk import form, make_desk, plates_scope


def _counts(rt: Runtime, user: TestUser) -> dict[Work, int]:
    return {w.work: w.count for w in waiting_for(rt, principal=user.principal)}


def _records(rt: Runtime) -> int:
    with rt.transaction() as session:
        return int(session.execute(select(func.count()).select_from(AccessRecord)).scalar_one())


def test_each_role_is_told_what_waits_for_it_and_only_that(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    desk = make_desk(rt, make_user)
    admin = make_user("okafor", "administrator")
    other_admin = make_user("diaz", "administrator")
    sergeant = make_user("brooks", "sergeant")
    make_user("newman", "patrol", trained_on=None)
    create_user(
        rt,
        actor=admin.principal,
        username="park",
        full_name="Ofc. Lee Park",
        role="patrol",
        agency_name="Demo City Police Department",
        password="Long-Enough-Passphrase-41",
    )
    filed = file_request(
        rt, principal=desk.clerk.principal, form=form(scope=plates_scope("7KQM482"))
    )
    before = _records(rt)

    assert _counts(rt, desk.commander)[Work.RELEASE_DECISIONS] == 1
    assert _counts(rt, desk.clerk)[Work.RELEASE_PACKAGES] == 0
    # The account's creator is never its second person; another administrator is.
    assert _counts(rt, admin)[Work.ACTIVATIONS] == 0
    assert _counts(rt, other_admin)[Work.ACTIVATIONS] == 1
    assert _counts(rt, desk.commander)[Work.ACTIVATIONS] == 1
    # Newman has no training on record; park's is missing too.
    assert _counts(rt, admin)[Work.TRAINING_LAPSING] == 2
    assert Work.EXIGENT_REVIEWS in _counts(rt, sergeant)
    assert _counts(rt, sergeant)[Work.AUDIT_VERDICTS] == 0  # no audit drawn yet
    # A detective's and a patrol officer's work is not put in front of them by others.
    assert waiting_for(rt, principal=desk.detective.principal) == []
    assert _records(rt) == before  # looking is not an access to ALPR data

    decide(
        rt,
        principal=desk.commander.principal,
        request_id=filed.id,
        approve=True,
        note="Warrant on file, official purpose",
    )
    assert _counts(rt, desk.commander)[Work.RELEASE_DECISIONS] == 0
    assert _counts(rt, desk.clerk)[Work.RELEASE_PACKAGES] == 1


def test_counts_need_the_permission_of_the_work(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """A role without the permission gets no count of that kind, and the gateway refuses the
    underlying list if asked directly (the count is no side door)."""
    detective = make_user("rivera", "investigator")
    assert waiting_for(rt, principal=detective.principal) == []
    with pytest.raises(Refusal):
        list_requests(rt, principal=detective.principal)
