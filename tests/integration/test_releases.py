"""Releases on both databases (R41, R42, R45): file, approve, fulfil; refused requests cannot
be approved, decisions cannot be edited, and no plate number can reach a non-government
package by any path."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from alpr.data.demo import seed_demo_data
from alpr.data.models import Read, ReleaseRequest
from alpr.governance.errors import Refusal, RefusalKind
from alpr.governance.releases.requests import RequestForm, decide, file_request, fulfil
from alpr.governance.runtime import Runtime
from tests.conftest import Clock, TestUser

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


@pytest.fixture
def staff(rt: Runtime, clock: Clock, make_user: Callable[..., TestUser]) -> dict[str, TestUser]:
    seed_demo_data(rt.engine, image_store=rt.images, reads=5000, seed=7, now=NOW)
    return {
        "clerk": make_user("nguyen", "records_clerk"),
        "commander": make_user("ellis", "command"),
        "detective": make_user("rivera", "investigator"),
    }


def _form(**changes: object) -> RequestForm:
    base: dict[str, object] = {
        "requester_name": "Det. Sgt. Kim",
        "requester_contact": "kim@smcsheriff.example",
        "purpose": "Armed robbery series 26-0911",
        "description": "Reads of 7KQM482, last week",
        "requested": "plate_level",
        "legal_basis": "warrant",
        "immigration_related": False,
        "agency_name": "San Mateo County Sheriff's Office",
        "plates": ("7KQM482",),
        "start": NOW - timedelta(days=30),
        "end": NOW,
    }
    base.update(changes)
    return RequestForm(**base)  # type: ignore[arg-type]


def test_law_enforcement_request_is_filed_approved_and_fulfilled(
    rt: Runtime, staff: dict[str, TestUser]
) -> None:
    filed = file_request(
        rt,
        principal=staff["clerk"].principal,
        form=_form(),
        attachments=(("warrant", "warrant.pdf", b"%PDF signed warrant"),),
    )
    assert filed.decision.decision.value == "eligible"
    with pytest.raises(Refusal, match="approved request"):
        fulfil(rt, principal=staff["clerk"].principal, request_id=filed.id)
    with pytest.raises(Refusal) as exc:
        decide(
            rt,
            principal=staff["clerk"].principal,
            request_id=filed.id,
            approve=True,
            note="self-approval",
        )
    assert exc.value.kind is RefusalKind.PERMISSION
    decide(
        rt,
        principal=staff["commander"].principal,
        request_id=filed.id,
        approve=True,
        note="Warrant on file, official purpose",
    )
    package = fulfil(rt, principal=staff["clerk"].principal, request_id=filed.id)
    assert not package.aggregate_only and "7KQM482" in (package.folder / "reads.csv").read_text()
    assert set(package.files) == {"reads.csv"} and (package.folder / "manifest.json").exists()
    with pytest.raises(Refusal, match="final"):
        decide(
            rt,
            principal=staff["commander"].principal,
            request_id=filed.id,
            approve=False,
            note="changed my mind",
        )
    with pytest.raises(DatabaseError, match="append-only"), rt.engine.begin() as conn:
        conn.execute(text("UPDATE release_decisions SET approved = false"))


def test_refused_request_cannot_be_approved(rt: Runtime, staff: dict[str, TestUser]) -> None:
    filed = file_request(
        rt,
        principal=staff["clerk"].principal,
        form=_form(
            agency_name="U.S. Immigration and Customs Enforcement", immigration_related=True
        ),
    )
    assert filed.decision.decision.value == "refused" and "R43" in filed.decision.requirements
    with pytest.raises(Refusal, match="does not allow"):
        decide(
            rt,
            principal=staff["commander"].principal,
            request_id=filed.id,
            approve=True,
            note="please",
        )


@pytest.mark.parametrize("requested", ["plate_level", "aggregate"])
def test_no_plate_reaches_a_non_government_package(
    rt: Runtime, staff: dict[str, TestUser], requested: str
) -> None:
    filed = file_request(
        rt,
        principal=staff["clerk"].principal,
        form=_form(
            agency_name="Peninsula Daily Journal",
            requested=requested,
            plates=("7KQM482",),
            purpose="Story on ALPR use",
            offense="Stolen",
            lat=37.6963,
            lon=-122.4607,
            radius_m=800.0,
        ),
    )
    assert filed.decision.decision.value == "aggregate_only"
    decide(
        rt,
        principal=staff["commander"].principal,
        request_id=filed.id,
        approve=True,
        note="Counts only",
    )
    package = fulfil(rt, principal=staff["clerk"].principal, request_id=filed.id)
    assert package.aggregate_only and set(package.files) == {"aggregate_report.json"}
    with rt.transaction() as session:
        plates = set(session.execute(select(Read.plate)).scalars())
    for path in package.folder.iterdir():
        content = path.read_text()
        assert not {t for t in re.findall(r"[A-Z0-9]{5,8}", content) if t in plates}
        assert not re.search(r"\.(jpg|png)", content)
    with rt.transaction() as session:
        stored = session.get(ReleaseRequest, filed.id)
        assert stored is not None and stored.status.value == "fulfilled"


def test_detective_cannot_file_or_fulfil(rt: Runtime, staff: dict[str, TestUser]) -> None:
    with pytest.raises(Refusal) as exc:
        file_request(rt, principal=staff["detective"].principal, form=_form())
    assert exc.value.kind is RefusalKind.PERMISSION
