"""The gateway (R03, R04, R10, R20, R21): no data without permission, current training and a
valid justification; every access and every refusal is recorded with the elements of
Civil Code 1798.90.52."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from alpr.data.models import AccessRecord, Camera, CameraKind, Read, Search
from alpr.governance.errors import Refusal, RefusalKind
from alpr.governance.gateway import Answer, JustificationInput, Request, governed
from alpr.governance.oversight.checkpoints import verify_chain
from alpr.governance.permissions import Permission
from alpr.governance.runtime import Runtime
from tests.conftest import Clock, TestUser

GOOD = JustificationInput(purpose="stolen_vehicle", case_number="26-01234")


def _seed_read(rt: Runtime) -> int:
    with rt.transaction() as session:
        camera = Camera(name="Geneva & Mission", kind=CameraKind.FIXED, lat=37.7087, lon=-122.4497)
        session.add(camera)
        session.flush()
        return session.execute(
            insert(Read).returning(Read.id),
            {
                "captured_at": rt.now() - timedelta(hours=1),
                "camera_id": camera.id,
                "plate": "7ABC123",
                "confidence": 0.97,
                "lat": 37.7087,
                "lon": -122.4497,
            },
        ).scalar_one()


def _plate_lookup(plate: str) -> Callable[[Session], Answer[list[int]]]:
    def run(session: Session) -> Answer[list[int]]:
        ids = list(session.execute(select(Read.id).where(Read.plate == plate)).scalars())
        return Answer(ids, read_ids=ids)

    return run


def _request(
    user: TestUser, justification: JustificationInput | None = GOOD, **kw: object
) -> Request:
    return Request(
        principal=user.principal,
        permission=Permission.SEARCH_READS,
        kind="history",
        params={"plate": "7ABC123"},
        justification=justification,
        plates=["7ABC123"],
        **kw,  # type: ignore[arg-type]
    )


def _records(rt: Runtime) -> list[AccessRecord]:
    with rt.transaction() as session:
        return list(
            session.execute(
                select(AccessRecord).where(AccessRecord.event == "search").order_by(AccessRecord.id)
            ).scalars()
        )


def test_justified_search_returns_data_and_records_the_four_elements(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    read_id = _seed_read(rt)
    user = make_user("rivera", "investigator")
    result = governed(rt, _request(user), _plate_lookup("7ABC123"))
    assert result.result == [read_id]
    [record] = _records(rt)
    assert record.at == rt.now()  # date and time
    assert record.plates == ["7ABC123"] and record.query == {"kind": "history", "plate": "7ABC123"}
    assert record.username == "rivera" and record.agency_name  # who, and their agency
    assert record.purpose == "stolen_vehicle" and record.case_number == "26-01234"  # why
    assert record.result_ids == [read_id] and record.result_count == 1
    assert record.outcome == "allowed" and record.search_id == result.search_id


@pytest.mark.parametrize(
    "justification",
    [
        None,
        JustificationInput(purpose="stolen_vehicle"),
        JustificationInput(purpose="stolen_vehicle", description="investigation"),
        JustificationInput(purpose="curiosity", case_number="26-01234"),
    ],
)
def test_query_without_valid_justification_returns_nothing_and_is_logged_refused(
    rt: Runtime, make_user: Callable[..., TestUser], justification: JustificationInput | None
) -> None:
    _seed_read(rt)
    user = make_user("rivera", "investigator")
    ran = []

    def run(session: Session) -> Answer[None]:
        ran.append(True)
        return Answer(None)

    with pytest.raises(Refusal) as exc:
        governed(rt, _request(user, justification), run)
    assert exc.value.kind is RefusalKind.JUSTIFICATION and not ran
    [record] = _records(rt)
    assert record.outcome == "refused" and record.result_count == 0
    assert record.detail and record.detail.startswith("justification:")
    with rt.transaction() as session:
        search = session.execute(select(Search)).scalar_one()
        assert search.refused_reason and search.result_count == 0


def test_role_without_permission_is_refused(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    _seed_read(rt)
    for role in ("patrol", "records_clerk", "command", "administrator"):
        user = make_user(f"user_{role}", role)
        with pytest.raises(Refusal) as exc:
            governed(rt, _request(user), _plate_lookup("7ABC123"))
        assert exc.value.kind is RefusalKind.PERMISSION
    assert {r.outcome for r in _records(rt)} == {"refused"}


def test_lapsed_or_missing_training_blocks_data_access(
    rt: Runtime, make_user: Callable[..., TestUser], clock: Clock
) -> None:
    _seed_read(rt)
    lapsed = make_user("lapsed", "investigator", trained_on=date(2025, 11, 1))
    untrained = make_user("untrained", "investigator", trained_on=None)
    for user, message in ((lapsed, "lapsed on 2026-11-01"), (untrained, "No department-approved")):
        with pytest.raises(Refusal, match=message) as exc:
            governed(rt, _request(user), _plate_lookup("7ABC123"))
        assert exc.value.kind is RefusalKind.TRAINING


def test_disabled_account_is_refused_even_with_a_live_session(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    from alpr.governance.users import disable_user

    user = make_user("rivera", "investigator")
    disable_user(rt, actor=None, username="rivera")
    with pytest.raises(Refusal, match="disabled"):
        governed(rt, _request(user), _plate_lookup("7ABC123"))


def test_search_beyond_bounds_needs_another_supervisor(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    _seed_read(rt)
    detective = make_user("rivera", "investigator")
    sergeant = make_user("brooks", "sergeant")
    officer = make_user("chen", "patrol")
    broad = {"bounds": lambda _session, _policy: ["radius 5000 m > 1000 m"]}
    with pytest.raises(Refusal, match="sergeant approve") as exc:
        governed(rt, _request(detective, **broad), _plate_lookup("7ABC123"))
    assert exc.value.kind is RefusalKind.BOUNDS
    with pytest.raises(Refusal) as exc:
        governed(
            rt,
            _request(detective, approver=officer.principal, approval_note="ok", **broad),
            _plate_lookup("7ABC123"),
        )
    assert exc.value.kind is RefusalKind.PERMISSION
    with pytest.raises(Refusal, match="person running it"):
        governed(
            rt,
            _request(sergeant, approver=sergeant.principal, approval_note="ok", **broad),
            _plate_lookup("7ABC123"),
        )
    result = governed(
        rt,
        _request(
            detective, approver=sergeant.principal, approval_note="Homicide, wide area", **broad
        ),
        _plate_lookup("7ABC123"),
    )
    with rt.transaction() as session:
        search = session.get(Search, result.search_id)
        assert search is not None and search.approved_by_id == sergeant.principal.user_id
    assert _records(rt)[-1].query["approved_by"] == "brooks"  # type: ignore[index]


def test_concurrent_searches_keep_one_unbroken_access_log_chain(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """Four people searching at once: every record follows exactly the one before it (the
    chain lock is taken with the search row), so the log verifies (R22)."""
    _seed_read(rt)
    users = [make_user(f"detective{n}", "investigator") for n in range(4)]

    def search(user: TestUser) -> None:
        for _ in range(10):
            governed(rt, _request(user), _plate_lookup("7ABC123"))

    with ThreadPoolExecutor(len(users)) as pool:
        list(pool.map(search, users))
    with rt.transaction() as session:
        report = verify_chain(rt, session).report
        hashes = session.execute(select(AccessRecord.prev_hash)).scalars().all()
    assert report.ok and report.checked == 40
    assert len(set(hashes)) == 40
