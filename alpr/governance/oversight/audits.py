"""Audits (R23): the written plan, a sample per period (random records plus every flagged
one), the auditor's verdict on each, and a sign-off after which nothing can change."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alpr.data.models import (
    AccessRecord,
    Audit,
    AuditPlan,
    AuditSample,
    AuditVerdict,
    RolePermission,
    User,
)
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.oversight.describe import (
    FLAG_LABELS,
    plates_only,
    purpose_label,
    reason,
    searched_for,
    what,
)
from alpr.governance.oversight.misuse import misuse_flags
from alpr.governance.permissions import Permission, role_definition
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
    due: date  # the sign-off is due by this day: the period's end plus the plan's interval


@dataclass(frozen=True)
class SampledRecord:
    """One record drawn into an audit, with what the auditor needs to judge it."""

    sample_id: int
    record_id: int
    drawn_because: str  # "Flagged: ..." or "Random"
    at: datetime
    username: str
    full_name: str  # the person as the auditor knows them; the username where none is known
    what: str
    purpose: str
    reason: str
    exigent: bool
    searched_for: str
    results: int
    plates: str
    verdict: AuditVerdict | None
    note: str
    marked_by: str


@dataclass(frozen=True)
class AuditDetail:
    audit: AuditView
    plan_auditor: str
    plan_approver: str
    samples: list[SampledRecord]
    summary: str
    signed_off_by: str


def plan_keepers(session: Session) -> str:
    """Who may record the audit plan: the role, and the active accounts that hold it."""
    rows = session.execute(
        select(User.full_name, User.role_code)
        .join(RolePermission, RolePermission.role_code == User.role_code)
        .where(
            RolePermission.permission == Permission.PLAN_AUDITS.value,
            User.disabled_at.is_(None),
        )
        .order_by(User.full_name)
    ).all()
    roles = sorted({role_definition(role).name for _name, role in rows}) or ["ALPR Administrator"]
    names = ", ".join(name for name, _role in rows)
    return " or ".join(roles) + (f" ({names})" if names else "")


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
            raise InvalidInput(
                "there is no audit plan yet: the plan (how often, how many records, who audits "
                f"and who approves) is recorded on this page by an {plan_keepers(session)}"
            )
        start = datetime.combine(period_start, time(0), tzinfo=rt.settings.tz)
        end = datetime.combine(period_end + timedelta(days=1), time(0), tzinfo=rt.settings.tz)
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
    """The auditor's verdict on one sampled record (a note is needed for an inappropriate
    one); never on one's own record, never once the audit is signed off."""
    if not appropriate and not note.strip():
        raise InvalidInput("note why the access was not appropriate")
    verdict = AuditVerdict.APPROPRIATE if appropriate else AuditVerdict.INAPPROPRIATE

    def run(session: Session, _who: Actor) -> Done[None]:
        sample = session.get(AuditSample, sample_id)
        if sample is None:
            raise InvalidInput(f"no sample {sample_id}")
        audit = session.get(Audit, sample.audit_id)
        if audit is not None and audit.signed_off_at is not None:
            raise Refusal(RefusalKind.RULE, f"Audit {audit.id} is signed off: it cannot change.")
        searcher = session.execute(
            select(AccessRecord.user_id).where(AccessRecord.id == sample.access_record_id)
        ).scalar_one_or_none()
        if searcher == principal.user_id:
            raise Refusal(RefusalKind.RULE, "Your own record is audited by someone else.")
        sample.verdict = verdict
        sample.note = note.strip()
        sample.marked_by_id = principal.user_id
        sample.marked_at = rt.now()
        return Done(
            None,
            detail=f"audit {sample.audit_id}: record {sample.access_record_id} "
            f"{verdict.value}" + (f": {note.strip()}" if note.strip() else ""),
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


def _view(
    audit: Audit, samples: list[AuditSample], plan: AuditPlan | None, today: date
) -> AuditView:
    due = audit.period_end + timedelta(days=plan.frequency_days if plan else 30)
    return AuditView(
        audit.id,
        audit.period_start,
        audit.period_end,
        len(samples),
        sum(s.drawn_because == "flag" for s in samples),
        sum(s.verdict is not None for s in samples),
        audit.signed_off_at is not None,
        audit.signed_off_at is None and today > due,
        due,
    )


def _active_plan(session: Session) -> AuditPlan | None:
    return session.execute(select(AuditPlan).where(AuditPlan.active.is_(True))).scalar_one_or_none()


def audit_status(rt: Runtime, *, principal: Principal) -> list[AuditView]:
    def run(session: Session, _who: Actor) -> Done[list[AuditView]]:
        plan = _active_plan(session)
        samples: dict[int, list[AuditSample]] = {}
        for sample in session.execute(select(AuditSample)).scalars():
            samples.setdefault(sample.audit_id, []).append(sample)
        views = [
            _view(audit, samples.get(audit.id, []), plan, rt.now().date())
            for audit in session.execute(select(Audit).order_by(Audit.id.desc())).scalars()
        ]
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


def plan_needed(rt: Runtime, *, principal: Principal) -> str | None:
    """None when an audit plan is in force; otherwise who may record it."""

    def run(session: Session, _who: Actor) -> Done[str | None]:
        return Done(None if _active_plan(session) else plan_keepers(session))

    return administered(
        rt,
        Act(
            principal,
            (Permission.REVIEW_ACCESS_LOG, Permission.SIGN_OFF_AUDITS, Permission.PLAN_AUDITS),
            Event.AUDIT,
            "audit plan in force",
            view=True,
        ),
        run,
    )


def audit_detail(rt: Runtime, *, principal: Principal, audit_id: int) -> AuditDetail:
    """The audit with every sampled record: who did what, why, what it returned, why it was
    drawn, and the verdict so far. Shown to the auditor and to the one who signs off."""

    def run(session: Session, _who: Actor) -> Done[AuditDetail]:
        audit = session.get(Audit, audit_id)
        if audit is None:
            raise InvalidInput(f"no audit {audit_id}")
        names = {i: n for i, n in session.execute(select(User.id, User.full_name))}
        rows = session.execute(
            select(AuditSample, AccessRecord)
            .join(AccessRecord, AccessRecord.id == AuditSample.access_record_id)
            .where(AuditSample.audit_id == audit_id)
            .order_by(AuditSample.drawn_because, AccessRecord.at)
        ).all()
        tz = rt.settings.tz
        samples = [
            SampledRecord(
                sample_id=sample.id,
                record_id=record.id,
                drawn_because=(
                    "Flagged: " + ", ".join(FLAG_LABELS.get(c, c) for c in sample.flags)
                    if sample.drawn_because == "flag"
                    else "Random"
                ),
                at=record.at,
                username=record.username,
                full_name=names.get(record.user_id or -1, record.username),
                what=what(record),
                purpose=purpose_label(record.purpose),
                reason=reason(record),
                exigent=record.exigent,
                searched_for=searched_for(record, tz),
                results=record.result_count or 0,
                plates=", ".join(plates_only(record.plates)[:10]),
                verdict=sample.verdict,
                note=sample.note or "",
                marked_by=names.get(sample.marked_by_id or -1, ""),
            )
            for sample, record in rows
        ]
        plan = session.get(AuditPlan, audit.plan_id)
        detail = AuditDetail(
            audit=_view(audit, [s for s, _r in rows], _active_plan(session), rt.now().date()),
            plan_auditor=names.get(plan.auditor_id, "") if plan else "",
            plan_approver=names.get(plan.approver_id, "") if plan else "",
            samples=samples,
            summary=audit.summary or "",
            signed_off_by=names.get(audit.signed_off_by_id or -1, ""),
        )
        return Done(
            detail,
            query={"audit": audit_id},
            result_count=len(samples),
            detail=f"audit {audit_id} opened: {len(samples)} sampled records",
        )

    return administered(
        rt,
        Act(
            principal,
            (Permission.REVIEW_ACCESS_LOG, Permission.SIGN_OFF_AUDITS),
            Event.ACCESS_LOG_VIEW,
            f"audit {audit_id} opened",
        ),
        run,
    )
