"""R42, R30: an approved request is retained on file for the agency's retention of release
records, and then the purge removes it with its decision, package, attachments, scope and the
files kept for it on the server; the database refuses to delete a younger one, whoever asks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from alpr.data.models import (
    ReleaseAttachment,
    ReleaseDecision,
    ReleasePackage,
    ReleaseRequest,
    Scope,
)
from alpr.governance.oversight.transparency import policy_statement
from alpr.governance.releases import registry
from alpr.governance.releases.fulfilment import fulfil
from alpr.governance.releases.requests import Attachment, decide, file_request
from alpr.governance.retention.purge import purge
from alpr.governance.runtime import Runtime
from alpr.governance.scopes import ScopeInput
from tests.conftest import Clock, TestUser
from tests.integration.builders import World
from tests.integration.release_desk import LAT, LON, SHERIFF, form

FILED_LONG_AGO = datetime(2020, 3, 2, 12, tzinfo=UTC)  # beyond the default 1825 days


def _released(rt: Runtime, clerk: TestUser, commander: TestUser, world: World, at: datetime) -> int:
    """A plate-level request filed, approved and fulfilled at ``at``, with its warrant."""
    world.read("7KQM482", "geneva", at - timedelta(days=2), LAT, LON)
    scope = ScopeInput(
        plates=("7KQM482",),
        start=at - timedelta(days=10),
        end=at,
        case_number="SMSO-26-0911",
    )
    filed = file_request(
        rt,
        principal=clerk.principal,
        form=form(scope=scope),
        attachments=(Attachment("warrant", "warrant.pdf", b"%PDF signed warrant"),),
    )
    decide(
        rt, principal=commander.principal, request_id=filed.id, approve=True, note="Warrant on file"
    )
    fulfil(rt, principal=clerk.principal, request_id=filed.id)
    return filed.id


def _recorded(rt: Runtime) -> dict[str, set[int]]:
    with rt.transaction() as session:
        return {
            table.__tablename__: set(session.execute(select(column)).scalars())
            for table, column in (
                (ReleaseRequest, ReleaseRequest.id),
                (ReleaseDecision, ReleaseDecision.request_id),
                (ReleasePackage, ReleasePackage.request_id),
                (ReleaseAttachment, ReleaseAttachment.request_id),
                (Scope, Scope.id),
            )
        }


def test_release_records_go_after_their_retention_with_their_files(
    rt: Runtime, make_user: Callable[..., TestUser], clock: Clock
) -> None:
    today = clock.now
    registry.add_agency(rt, actor=None, name=SHERIFF, kind="ca_local_le", state="CA")
    registry.add_agreement(
        rt,
        actor=None,
        agency_name=SHERIFF,
        kind="mou",
        title="County ALPR data sharing MOU",
        scope="ALPR reads for criminal investigations",
        starts_on=date(2019, 7, 1),
        ends_on=None,
        document_name="mou.pdf",
        document=b"%PDF signed MOU",
    )
    world = World(rt)
    world.camera("geneva", LAT, LON)
    clock.now = FILED_LONG_AGO
    old = _released(
        rt,
        make_user("park", "records_clerk", trained_on=date(2019, 12, 1)),
        make_user("moss", "command", trained_on=date(2019, 12, 1)),
        world,
        FILED_LONG_AGO,
    )
    clock.now = today
    recent = _released(
        rt, make_user("nguyen", "records_clerk"), make_user("ellis", "command"), world, today
    )
    folders = {
        request_id: (
            rt.settings.data_dir / "releases" / f"request-{request_id}",
            rt.settings.data_dir / "attachments" / f"request-{request_id}",
        )
        for request_id in (old, recent)
    }
    assert all(folder.is_dir() for pair in folders.values() for folder in pair)
    before = _recorded(rt)
    assert {old, recent} <= before["release_requests"] and len(before["scopes"]) == 2

    preview = purge(rt, as_of=today, dry_run=True)
    assert preview.counts["release_requests"] == 1 and _recorded(rt) == before

    with pytest.raises(DatabaseError, match="append-only"), rt.engine.begin() as conn:
        conn.execute(text("DELETE FROM release_decisions WHERE request_id = :id"), {"id": recent})
    with pytest.raises(DatabaseError, match="append-only"), rt.engine.begin() as conn:
        conn.execute(
            text("UPDATE release_decisions SET note = 'edited' WHERE request_id = :id"), {"id": old}
        )

    report = purge(rt, as_of=today)

    assert report.counts["release_requests"] == 1
    after = _recorded(rt)
    for table in ("release_requests", "release_decisions", "release_packages"):
        assert after[table] == {recent}, table
    assert after["release_attachments"] == {recent} and len(after["scopes"]) == 1
    assert not any(folder.exists() for folder in folders[old])
    assert all(folder.is_dir() for folder in folders[recent])
    assert (
        policy_statement(rt).retention["Requests for data from others, with what was released"]
        == 1825
    )
