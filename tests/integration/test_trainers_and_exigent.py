"""R05: designated trainers record the training of others (only they and the ALPR
Administrator may, never for themselves). R15: an exigent search waits in the supervisor's
queue until a sergeant other than the searcher records whether the emergency justified it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from alpr.data.models import AccessRecord, TrainingRecord
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import JustificationInput
from alpr.governance.investigations.searches import plate_history
from alpr.governance.oversight.exigent import exigent_queue, exigent_waiting, review_exigent
from alpr.governance.runtime import Runtime
from alpr.governance.users import designate_trainer, record_training
from tests.conftest import TestUser

EMERGENCY = JustificationInput(
    purpose="missing_person",
    description="Child abducted from Westlake Park at 14:10 today, suspect vehicle grey van",
    exigent=True,
)


@pytest.fixture
def people(make_user: Callable[..., TestUser]) -> dict[str, TestUser]:
    return {
        "admin": make_user("okafor", "administrator"),
        "trainer": make_user("vega", "patrol"),
        "trainee": make_user("newman", "patrol", trained_on=None),
        "detective": make_user("rivera", "investigator"),
        "sergeant": make_user("brooks", "sergeant"),
    }


def _record(rt: Runtime, actor: TestUser, username: str) -> None:
    record_training(
        rt,
        actor=actor.principal,
        username=username,
        course="ALPR operator course",
        completed_on=date(2026, 11, 2),
    )


def _trained(rt: Runtime, username: str) -> list[str]:
    with rt.transaction() as session:
        return list(
            session.execute(
                text(
                    "SELECT r.course FROM training_records r JOIN users u ON u.id = r.user_id "
                    "WHERE u.username = :name"
                ),
                {"name": username},
            ).scalars()
        )


def test_a_designated_trainer_records_training(rt: Runtime, people: dict[str, TestUser]) -> None:
    designate_trainer(rt, actor=people["admin"].principal, username="vega", trainer=True)
    _record(rt, people["trainer"], "newman")
    assert _trained(rt, "newman") == ["ALPR operator course"]
    with rt.transaction() as session:
        recorded_by = session.execute(select(TrainingRecord.recorded_by_id)).scalars().all()
    assert people["trainer"].principal.user_id in recorded_by


def test_only_trainers_and_the_administrator_record_training(
    rt: Runtime, people: dict[str, TestUser]
) -> None:
    for who in ("trainer", "detective", "sergeant"):  # not (or not yet) designated
        with pytest.raises(Refusal) as refused:
            _record(rt, people[who], "newman")
        assert refused.value.kind is RefusalKind.PERMISSION
    with pytest.raises(Refusal):
        designate_trainer(rt, actor=people["sergeant"].principal, username="vega", trainer=True)
    _record(rt, people["admin"], "newman")
    assert _trained(rt, "newman") == ["ALPR operator course"]
    with rt.transaction() as session:
        refused = session.execute(
            select(AccessRecord.username).where(
                AccessRecord.event.in_(("training_change", "permission_change")),
                AccessRecord.outcome == "refused",
            )
        ).scalars()
        assert sorted(refused) == ["brooks", "brooks", "rivera", "vega"]


def test_a_trainer_never_records_their_own_training(
    rt: Runtime, people: dict[str, TestUser]
) -> None:
    designate_trainer(rt, actor=None, username="vega", trainer=True)
    with pytest.raises(Refusal, match="own training"):
        _record(rt, people["trainer"], "vega")


def test_an_exigent_search_waits_for_a_supervisors_review(
    rt: Runtime, people: dict[str, TestUser]
) -> None:
    detective, sergeant = people["detective"].principal, people["sergeant"].principal
    ran = plate_history(rt, principal=detective, justification=EMERGENCY, plate="7ABC123")
    plate_history(
        rt,
        principal=detective,
        justification=JustificationInput(purpose="stolen_vehicle", case_number="26-01234"),
        plate="7ABC123",
    )
    assert exigent_waiting(rt, principal=sergeant) == 1
    (waiting,) = exigent_queue(rt, principal=sergeant)
    assert waiting.search_id == ran.search_id and "Westlake Park" in waiting.emergency
    assert waiting.searched.startswith("Plate history: the reads of plate 7ABC123, from ")
    own = plate_history(rt, principal=sergeant, justification=EMERGENCY, plate="7ABC124")
    with pytest.raises(Refusal, match="other than the person who ran it"):
        review_exigent(
            rt, principal=sergeant, search_id=own.search_id or 0, justified=True, note="mine"
        )
    with pytest.raises(Refusal) as refused:
        review_exigent(
            rt, principal=detective, search_id=waiting.search_id, justified=True, note="fine"
        )
    assert refused.value.kind is RefusalKind.PERMISSION
    with pytest.raises(InvalidInput):
        review_exigent(rt, principal=sergeant, search_id=waiting.search_id, justified=True, note="")
    review_exigent(
        rt,
        principal=sergeant,
        search_id=waiting.search_id,
        justified=True,
        note="AMBER alert 26-A-114 issued at 14:25; child found at 16:02",
    )
    assert [w.search_id for w in exigent_queue(rt, principal=sergeant)] == [own.search_id]
    with pytest.raises(Refusal, match="reviewed already"):
        review_exigent(
            rt, principal=sergeant, search_id=waiting.search_id, justified=False, note="x"
        )
    with pytest.raises(DatabaseError, match="append-only"), rt.engine.begin() as conn:
        conn.execute(text("UPDATE exigent_reviews SET justified = false"))


def test_only_supervisors_see_the_exigent_queue(rt: Runtime, people: dict[str, TestUser]) -> None:
    with pytest.raises(Refusal):
        exigent_queue(rt, principal=people["detective"].principal)
