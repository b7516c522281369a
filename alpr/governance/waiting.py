"""The work that waits for a person, counted for their home page: what their role must do
next that others' acts or the agency's plans have put in front of them (a request to decide,
an account to activate, an exigent search to review, an audit's sample to mark...). Every count
is a look at administrative lists, through the same acts as the pages that do the work, so it
needs the same permission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from alpr.data.models.enums import ReleaseStatus
from alpr.governance.oversight.audits import audit_status, plan_needed
from alpr.governance.oversight.exigent import exigent_waiting
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.releases.views import list_requests
from alpr.governance.runtime import Runtime
from alpr.governance.users import awaiting_activation, list_users

# Training that lapses within this many days is waiting work for the training manager now.
TRAINING_NOTICE_DAYS = 30


class Work(StrEnum):
    EXIGENT_REVIEWS = "exigent_reviews"
    AUDIT_VERDICTS = "audit_verdicts"
    RELEASE_DECISIONS = "release_decisions"
    RELEASE_PACKAGES = "release_packages"
    ACTIVATIONS = "activations"
    AUDIT_SIGN_OFFS = "audit_sign_offs"
    AUDIT_PLAN = "audit_plan"
    TRAINING_LAPSING = "training_lapsing"


@dataclass(frozen=True)
class Waiting:
    work: Work
    count: int


_UNDECIDED = {ReleaseStatus.FILED.value, ReleaseStatus.ROUTED_TO_RECORDS_MANAGER.value}


def _activations(rt: Runtime, principal: Principal) -> int:
    """Accounts this person may activate: not ones they created or reset themselves."""
    return sum(
        1
        for a in awaiting_activation(rt, actor=principal)
        if principal.username not in (a.created_by, a.credentials_reset_by)
    )


def _training_lapsing(rt: Runtime, principal: Principal) -> int:
    """Accounts in use whose training has lapsed, is missing or lapses within the notice."""
    soon = rt.now().astimezone(rt.settings.tz).date() + timedelta(days=TRAINING_NOTICE_DAYS)
    return sum(
        1
        for u in list_users(rt, actor=principal)
        if not u.disabled
        and (not u.training_current or u.training_lapses_on is None or u.training_lapses_on <= soon)
    )


def waiting_for(rt: Runtime, *, principal: Principal) -> list[Waiting]:
    """Every kind of work this person's role is waited on for, most pressing first, with how
    many wait (none: their role waits on nothing)."""
    counts: list[Waiting] = []
    if principal.can(Permission.REVIEW_EXIGENT):
        counts.append(Waiting(Work.EXIGENT_REVIEWS, exigent_waiting(rt, principal=principal)))
    if principal.can(Permission.REVIEW_ACCESS_LOG):
        # An audit drawn waits for an auditor's verdict on each record it sampled.
        unmarked = sum(
            1
            for a in audit_status(rt, principal=principal)
            if not a.signed_off and a.marked < a.samples
        )
        counts.append(Waiting(Work.AUDIT_VERDICTS, unmarked))
    if principal.can(Permission.APPROVE_RELEASES) or principal.can(Permission.FULFIL_RELEASES):
        statuses = [r.status for r in list_requests(rt, principal=principal)]
        if principal.can(Permission.APPROVE_RELEASES):
            undecided = sum(1 for s in statuses if s in _UNDECIDED)
            counts.append(Waiting(Work.RELEASE_DECISIONS, undecided))
        if principal.can(Permission.FULFIL_RELEASES):
            approved = statuses.count(ReleaseStatus.APPROVED.value)
            counts.append(Waiting(Work.RELEASE_PACKAGES, approved))
    if principal.can(Permission.ACTIVATE_ACCOUNTS):
        counts.append(Waiting(Work.ACTIVATIONS, _activations(rt, principal)))
    if principal.can(Permission.SIGN_OFF_AUDITS):
        unsigned = sum(1 for a in audit_status(rt, principal=principal) if not a.signed_off)
        counts.append(Waiting(Work.AUDIT_SIGN_OFFS, unsigned))
    if principal.can(Permission.PLAN_AUDITS):
        missing = plan_needed(rt, principal=principal) is not None
        counts.append(Waiting(Work.AUDIT_PLAN, int(missing)))
    if principal.can(Permission.MANAGE_TRAINING) and principal.can(Permission.MANAGE_USERS):
        counts.append(Waiting(Work.TRAINING_LAPSING, _training_lapsing(rt, principal)))
    return counts
