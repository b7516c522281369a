"""Audits (R23): the written plan, a sample per period (random records plus every flagged
one), the auditor's verdict on each, and a sign-off after which nothing can change."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alpr.data.models import AccessRecord, Audit, AuditPlan, AuditSample, AuditVerdict, User
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.oversight.misuse import misuse_flags
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime


@dataclass(frozen=True)
class AuditView:
    id: int
    period_start: date
    period_end: date
    samples: int
    flagged: int
    marked: int
    signed_off: bool
    overdue: bool


def _user_id(session: Session, username: str) -> int:
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise InvalidInput(f"no user named {username!r}")
    return int(user.id)


def record_plan(
    rt: Runtime,
    *,
    principal: Principal,
    frequency_days: int,
    sample_size: int,
    auditor: str,
    approver: str,
) -> int:
    if not 1 <= frequency_days <= 366 or not 1 <= sample_size <= 1000:
        raise InvalidInput("frequency is 1-366 days and the random sample 1-1000 records")

    def run(session: Session, _who: Actor) -> Done[int]:
        for plan in session.execute(select(AuditPlan).where(AuditPlan.active.is_(True))).scalars():
            plan.active = False
        plan = AuditPlan(
            frequency_days=frequency_days,
            sample_size=sample_size,
            include_flagged=True,
            auditor_id=_user_id(session, auditor),
            approver_id=_user_id(session, approver),
            created_by_id=principal.user_id,
            created_at=rt.now(),
            active=True,
        )
        session.add(plan)
        session.flush()
        return Done(
            plan.id,
            detail=f"audit plan {plan.id}: every {frequency_days} days, "
            f"{sample_size} random records plus all flagged",
        )

    return administered(
        rt, Act(principal, Permission.PLAN_AUDITS, Event.AUDIT, "record the audit plan"), run
    )


def draw_audit(
    rt: Runtime,
    *,
    principal: Principal,
    period_start: date,
    period_end: date,
    seed: int | None = None,
) -> int:
    def run(session: Session, _who: Actor) -> Done[int]:
        plan = session.execute(
            select(AuditPlan).where(AuditPlan.active.is_(True))
        ).scalar_one_or_none()
        if plan is None:
            raise InvalidInput("record an audit plan first")
        start = datetime.combine(period_start, time(0), tzinfo=UTC)
        end = datetime.combine(period_end + timedelta(days=1), time(0), tzinfo=UTC)
        flags = misuse_flags(session, rt.policy(session), tz=rt.settings.tz, start=start, end=end)
        flagged: dict[int, list[str]] = {}
        for flag in flags:
            flagged.setdefault(flag.record_id, []).append(flag.code)
        candidates = list(
            session.execute(
                select(AccessRecord.id).where(
                    AccessRecord.event == "search", AccessRecord.at >= start, AccessRecord.at < end
                )
            ).scalars()
        )
        rng = random.Random(seed)
        others = [c for c in candidates if c not in flagged]
        chosen = rng.sample(others, min(plan.sample_size, len(others)))
        audit = Audit(
            plan_id=plan.id, period_start=period_start, period_end=period_end, drawn_at=rt.now()
        )
        session.add(audit)
        session.flush()
        session.add_all(
            AuditSample(
                audit_id=audit.id, access_record_id=record_id, drawn_because="flag", flags=codes
            )
            for record_id, codes in flagged.items()
        )
        session.add_all(
            AuditSample(
                audit_id=audit.id, access_record_id=record_id, drawn_because="random", flags=[]
            )
            for record_id in chosen
        )
        return Done(
            audit.id,
            detail=f"audit {audit.id} drawn: {len(flagged)} flagged + {len(chosen)} random records",
        )

    return administered(
        rt, Act(principal, Permission.REVIEW_ACCESS_LOG, Event.AUDIT, "draw an audit"), run
    )


def mark_sample(
    rt: Runtime, *, principal: Principal, sample_id: int, appropriate: bool, note: str
) -> None:
    if not note.strip():
        raise InvalidInput("note why the access was or was not appropriate")
    verdict = AuditVerdict.APPROPRIATE if appropriate else AuditVerdict.INAPPROPRIATE

    def run(session: Session, _who: Actor) -> Done[None]:
        sample = session.get(AuditSample, sample_id)
        if sample is None:
            raise InvalidInput(f"no sample {sample_id}")
        sample.verdict = verdict
        sample.note = note.strip()
        sample.marked_by_id = principal.user_id
        sample.marked_at = rt.now()
        return Done(
            None,
            detail=f"audit {sample.audit_id}: record {sample.access_record_id} "
            f"{verdict.value}: {note.strip()}",
        )

    administered(
        rt,
        Act(principal, Permission.REVIEW_ACCESS_LOG, Event.AUDIT, f"mark audit sample {sample_id}"),
        run,
    )


def sign_off(rt: Runtime, *, principal: Principal, audit_id: int, summary: str) -> None:
    def run(session: Session, _who: Actor) -> Done[None]:
        audit = session.get(Audit, audit_id)
        if audit is None:
            raise InvalidInput(f"no audit {audit_id}")
        unmarked = session.execute(
            select(func.count()).where(
                AuditSample.audit_id == audit_id, AuditSample.verdict.is_(None)
            )
        ).scalar_one()
        if unmarked:
            raise Refusal(RefusalKind.RULE, f"{unmarked} sampled records are not marked yet.")
        audit.signed_off_at = rt.now()
        audit.signed_off_by_id = principal.user_id
        audit.summary = summary.strip() or "No findings."
        return Done(None, detail=f"audit {audit_id} signed off: {audit.summary}")

    administered(
        rt,
        Act(principal, Permission.SIGN_OFF_AUDITS, Event.AUDIT, f"sign off audit {audit_id}"),
        run,
    )


def audit_status(rt: Runtime, *, principal: Principal) -> list[AuditView]:
    def run(session: Session, _who: Actor) -> Done[list[AuditView]]:
        plan = session.execute(
            select(AuditPlan).where(AuditPlan.active.is_(True))
        ).scalar_one_or_none()
        views = []
        for audit in session.execute(select(Audit).order_by(Audit.id.desc())).scalars():
            samples = list(
                session.execute(
                    select(AuditSample).where(AuditSample.audit_id == audit.id)
                ).scalars()
            )
            due = audit.period_end + timedelta(days=plan.frequency_days if plan else 30)
            views.append(
                AuditView(
                    audit.id,
                    audit.period_start,
                    audit.period_end,
                    len(samples),
                    sum(s.drawn_because == "flag" for s in samples),
                    sum(s.verdict is not None for s in samples),
                    audit.signed_off_at is not None,
                    audit.signed_off_at is None and rt.now().date() > due,
                )
            )
        return Done(views)

    return administered(
        rt,
        Act(
            principal,
            (Permission.REVIEW_ACCESS_LOG, Permission.SIGN_OFF_AUDITS, Permission.PLAN_AUDITS),
            Event.AUDIT,
            "audit status",
            view=True,
        ),
        run,
    )
