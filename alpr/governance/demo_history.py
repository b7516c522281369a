"""A day of the demo agency's work, done through the same services as the pages, so that a
local demonstration of the oversight pages has something to show: the detective canvasses the
shooting scene and follows the plate seen leaving it; the officer starts watching alerts and
reviews one; the clerk files the sheriff's request for that plate, the commander approves it
and the clerk produces the package; the administrator previews the purge and records the audit
plan, and the sergeant draws the week's audit for the commander to sign off. Each act leaves its
access record exactly as it would in use."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from alpr.data.demo.seed import PARTNERS, DemoSummary
from alpr.data.models import User
from alpr.governance.alerts import poll_alerts, review_alert, start_monitoring
from alpr.governance.gateway import JustificationInput
from alpr.governance.identity import principal_for
from alpr.governance.investigations.searches import canvass, plate_history
from alpr.governance.oversight.audits import draw_audit, record_plan
from alpr.governance.principal import Principal
from alpr.governance.releases.fulfilment import fulfil
from alpr.governance.releases.requests import Attachment, RequestForm, decide, file_request
from alpr.governance.retention.purge import purge
from alpr.governance.runtime import Runtime
from alpr.governance.scopes import ScopeInput


def _principals(rt: Runtime) -> dict[str, Principal]:
    now = rt.now()
    with rt.transaction() as session:
        return {
            user.username: principal_for(session, user, authenticated_at=now, client_addr=None)
            for user in session.execute(select(User)).scalars()
        }


def seed_history(rt: Runtime, *, summary: DemoSummary) -> None:
    """The day's work of the demo accounts (seeded already), in the order it happens."""
    people = _principals(rt)
    shooting = summary.shooting
    scene = shooting.scene
    why = JustificationInput(
        purpose="major_crime_canvass", case_number=shooting.case_number, exigent=False
    )
    canvass(
        rt,
        principal=people["detective"],
        justification=why,
        lat=scene.lat,
        lon=scene.lon,
        radius_m=scene.radius_m,
        start=scene.start,
        end=scene.end,
        address=scene.address,
    )
    plate_history(
        rt,
        principal=people["detective"],
        justification=JustificationInput(
            purpose="wanted_vehicle", case_number=shooting.case_number, exigent=False
        ),
        plate=shooting.telltale_plate,
    )

    day = rt.now().astimezone(rt.settings.tz)
    watch = JustificationInput(
        purpose="stolen_vehicle",
        description=f"Stolen vehicles (10851 VC), Beat 3, day watch {day:%-d %b} from 07:00",
    )
    start_monitoring(rt, principal=people["officer"], justification=watch)
    waiting = poll_alerts(
        rt, principal=people["officer"], justification=watch, since=rt.now() - timedelta(days=7)
    )
    if waiting:
        review_alert(
            rt,
            principal=people["officer"],
            alert_id=waiting[-1].id,
            disposition="misread",
            characters_compared=True,
            clets_confirmed=False,
            note="Crop shows a different last character; no stop made",
        )

    filed = file_request(
        rt,
        principal=people["clerk"],
        form=RequestForm(
            requester_name="Det. Sgt. Kim",
            requester_contact="kim@smcsheriff.example",
            purpose=f"Shooting {shooting.case_number}: the vehicle seen leaving the scene",
            description=f"Reads of {shooting.telltale_plate} around the night of the shooting",
            requested="plate_level",
            legal_basis="mou",
            immigration_related=False,
            agency_name=PARTNERS[0][0],
            purpose_code="wanted_vehicle",
            scope=ScopeInput(
                plates=(shooting.telltale_plate,),
                start=scene.start - timedelta(days=1),
                end=scene.end + timedelta(days=1),
                case_number=shooting.case_number,
            ),
        ),
        attachments=(Attachment("request", "sheriff-request.txt", b"Written request on file"),),
    )
    decide(
        rt,
        principal=people["commander"],
        request_id=filed.id,
        approve=True,
        note="Under the county MOU; the sheriff's case is the same shooting",
    )
    fulfil(rt, principal=people["clerk"], request_id=filed.id)
    purge(rt, actor=people["admin"], dry_run=True)
    record_plan(
        rt,
        principal=people["admin"],
        frequency_days=7,
        sample_size=10,
        auditor="sergeant",
        approver="commander",
    )
    draw_audit(
        rt,
        principal=people["sergeant"],
        period_start=day.date() - timedelta(days=6),
        period_end=day.date(),
    )
