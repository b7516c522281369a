"""Where a hot list's alerts are sent (R40, R43, R44, R47, R20): an alert posted to a webhook
carries a plate, a place, a time and why the plate is wanted out of the department, so it is
shared as a release is, by the same rules (``releases.rules.evaluate``).

The destination names an agency from the register: the department itself (its own CAD), or an
agency the rules let receive plate-level data on a sharing agreement in force that day, without
a commander's review of each alert (a California law enforcement agency or prosecutor). An
agency outside California, federal, non-government, one whose name speaks of immigration
enforcement, or one without an agreement in force is refused. The address is bound to the
agency: its host must be one the register names for that agency, the whole host compared
exactly (``receiving_hosts``), and those hosts are kept by the records desk, not by whoever
sets webhooks, so no one person picks both where alerts go and who is said to receive them.
An address that is not a web address, plain ``http`` other than to this machine's own, or at
a host not registered for the agency is refused. Only the ALPR Administrator, who manages hot
lists, sets or clears a webhook, and each change (and each refusal) is in the access log with
the destination and the agency.

When a delivery is due the agency and the host are weighed again, as an agreement can lapse or
end and a host be removed from the register, and so is the alert itself: its list disabled, the
entry it matched taken off or expired, the alert reviewed as anything but confirmed (a misread,
a wrong state, a vehicle that does not match, an entry no longer active in CLETS, dismissed), or
its priority now below the lowest the list's webhook sends. A delivery no longer allowed is
refused for good, never sent, kept as a problem on the Hot lists page, and recorded.
The deliveries sent are recorded as a release of data, one record per batch naming every alert,
plate and receiving agency, in the transaction that marks them delivered: a delivery whose
record could not be written is not marked delivered, and is sent again and recorded then. An
attempt that failed is recorded too, as allowed with no confirmed receipt and the error: a
timeout, a connection cut or an error answer may come after the receiver has the alert, so
data may have left (R20; a breach report, R51, collects the allowed records)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple
from urllib.error import URLError
from urllib.parse import urlsplit

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from alpr.data.models import (
    Agency,
    Alert,
    Disposition,
    HotList,
    HotListEntry,
    LegalBasis,
    Priority,
    ReleaseDecisionKind,
    RequestedData,
    WebhookDelivery,
)
from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.actors import SYSTEM
from alpr.governance.alerts import latest_dispositions
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind, one_of
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.hotlists import named_list
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.releases.receiving_hosts import LOCAL_HOSTS, host_problem
from alpr.governance.releases.registry import cited_agreement
from alpr.governance.releases.rules import ReleaseQuery, evaluate
from alpr.governance.runtime import Runtime
from alpr.recognition.sources import redact_url
from alpr.recognition.webhooks import (
    MAX_ATTEMPTS,
    backoff,
    high_enough,
    payload,
    post,
    warn_failed,
)

UNREVIEWED = (
    "Alerts are sent as they happen, with no commander reviewing each one, so only an agency "
    "that needs no such review may receive them."
)
PURPOSE = "Notification of hot-list alerts to the receiving agency's dispatch or in-car systems"


@dataclass(frozen=True)
class Destination:
    list_name: str
    url: str  # credentials masked
    agency: str
    min_priority: str | None
    problem: str | None  # why its alerts would not be sent today; None: they are


class Delivered(NamedTuple):
    sent: int
    failed: int
    refused: int


def _today(rt: Runtime) -> date:
    return rt.now().astimezone(rt.settings.tz).date()


def _shown(url: str) -> str:
    """The address as the access log may show it: credentials masked, or not at all if it is
    not one."""
    try:
        return redact_url(url.strip())
    except ValueError:
        return "an address that is not a web address"


def checked_url(url: str) -> str:
    """The address, if alerts may be posted to it: https, or http to this machine only."""
    clean = url.strip()
    try:
        parts = urlsplit(clean)
        host = parts.hostname
        _port = parts.port
    except ValueError:
        raise InvalidInput(
            "the webhook's address is not a web address (https://host/path)"
        ) from None
    if (
        not host
        or parts.scheme not in ("https", "http")
        or any(c.isspace() or c == "\\" for c in clean)
    ):
        raise InvalidInput(f"{redact_url(clean)!r} is not a web address (https://host/path)")
    if parts.scheme == "http" and host not in LOCAL_HOSTS:
        raise InvalidInput(
            "alerts carry plates, places and times: the webhook's address must use https "
            "(plain http only to this machine, 127.0.0.1 or localhost)"
        )
    return clean


def destination_problem(session: Session, rt: Runtime, agency: Agency) -> str | None:
    """Why ``agency`` may not receive a hot list's alerts today, in the release rules' words;
    None if it may: the department itself, or an agency the rules let receive plate-level data
    on an agreement in force today with no exception claimed (a standing feed is never an
    exigent circumstance or a court order)."""
    if agency.is_home:
        return None
    decision = evaluate(
        ReleaseQuery(
            agency_kind=agency.kind,
            agency_state=agency.state,
            purpose=PURPOSE,
            immigration_related=False,
            legal_basis=LegalBasis.MOU,
            requested=RequestedData.PLATE_LEVEL,
            agreement=cited_agreement(session, agency_id=agency.id, today=_today(rt)),
            agency_name=agency.name,
        )
    )
    if decision.decision is ReleaseDecisionKind.ELIGIBLE:
        return None
    reasons = decision.reasons
    if decision.decision is ReleaseDecisionKind.REVIEW:
        # Drop "nothing is released before the commander approves": no one reviews each alert.
        reasons = [*reasons[:-1], UNREVIEWED]
    return f"{agency.name} may not receive hot-list alerts: " + " ".join(reasons)


def _agency(session: Session, name: str) -> Agency:
    agency = session.execute(select(Agency).where(Agency.name == name.strip())).scalar_one_or_none()
    if agency is None:
        raise InvalidInput(
            f"no agency named {name!r} in the register: the destination of alerts is the "
            "department itself or an agency registered with its agreement"
        )
    return agency


def _described(url: str, agency: Agency) -> str:
    return f"{redact_url(url)} (received by {agency.name})"


def _refused_problem(session: Session, rt: Runtime, url: str, agency: Agency) -> str | None:
    """Why alerts may not go to ``url`` for ``agency`` today: the agency, then the host."""
    return destination_problem(session, rt, agency) or host_problem(session, url, agency)


def set_webhook(
    rt: Runtime,
    *,
    actor: Principal | None,
    list_name: str,
    url: str,
    agency_name: str,
    min_priority: str | None = None,
) -> Destination:
    """Send the list's alerts (of ``min_priority`` or above) to ``url``, received by the agency
    named; refused, and the refusal recorded, unless the law lets that agency receive them
    and the address is at a host the register names for it."""
    minimum = one_of(Priority, min_priority, "a priority") if min_priority else None
    summary = f"set the webhook of hot list {list_name} to {_shown(url)} ({agency_name})"

    def run(session: Session, _who: Actor) -> Done[Destination]:
        try:
            address = checked_url(url)
        except InvalidInput as invalid:
            raise Refusal(RefusalKind.RULE, str(invalid)) from None
        hot_list = named_list(session, list_name)
        agency = _agency(session, agency_name)
        problem = _refused_problem(session, rt, address, agency)
        if problem is not None:
            raise Refusal(RefusalKind.RULE, problem)
        before = _current(session, hot_list)
        hot_list.webhook_url = address
        hot_list.webhook_agency_id = agency.id
        hot_list.webhook_min_priority = minimum
        level = f"priority {minimum.value} and above" if minimum else "every priority"
        return Done(
            Destination(hot_list.name, redact_url(address), agency.name, minimum, None),
            detail=f"webhook of hot list {hot_list.name} set: alerts ({level}) to "
            f"{_described(address, agency)}" + (f"; before: {before}" if before else ""),
            query={
                "list": hot_list.name,
                "destination": redact_url(address),
                "agency": agency.name,
            },
        )

    return administered(
        rt, Act(actor, Permission.MANAGE_HOTLISTS, Event.HOTLIST_CHANGE, summary), run
    )


def _current(session: Session, hot_list: HotList) -> str | None:
    if hot_list.webhook_url is None:
        return None
    agency = (
        session.get(Agency, hot_list.webhook_agency_id)
        if hot_list.webhook_agency_id is not None
        else None
    )
    if agency is None:
        return f"{redact_url(hot_list.webhook_url)} (no agency named)"
    return _described(hot_list.webhook_url, agency)


def clear_webhook(rt: Runtime, *, actor: Principal | None, list_name: str) -> bool:
    """Send the list's alerts nowhere; deliveries still queued are refused when due. Returns
    whether the list had a webhook."""

    def run(session: Session, _who: Actor) -> Done[bool]:
        hot_list = named_list(session, list_name)
        before = _current(session, hot_list)
        hot_list.webhook_url = None
        hot_list.webhook_agency_id = None
        hot_list.webhook_min_priority = None
        return Done(
            before is not None,
            detail=f"webhook of hot list {hot_list.name} cleared"
            + (f": alerts no longer sent to {before}" if before else " (it had none)"),
        )

    return administered(
        rt,
        Act(
            actor,
            Permission.MANAGE_HOTLISTS,
            Event.HOTLIST_CHANGE,
            f"clear the webhook of hot list {list_name}",
        ),
        run,
    )


def destinations(rt: Runtime, *, principal: Principal) -> list[Destination]:
    """Every list's webhook, with why its alerts would not be sent today if they would not."""

    def run(session: Session, _who: Actor) -> Done[list[Destination]]:
        shown = []
        for hot_list in session.execute(
            select(HotList).where(HotList.webhook_url.is_not(None)).order_by(HotList.name)
        ).scalars():
            assert hot_list.webhook_url is not None
            agency = (
                session.get(Agency, hot_list.webhook_agency_id)
                if hot_list.webhook_agency_id is not None
                else None
            )
            shown.append(
                Destination(
                    hot_list.name,
                    redact_url(hot_list.webhook_url),
                    agency.name if agency else "",
                    hot_list.webhook_min_priority,
                    _disabled(hot_list)
                    or (
                        _refused_problem(session, rt, hot_list.webhook_url, agency)
                        if agency
                        else UNNAMED
                    ),
                )
            )
        return Done(shown)

    return administered(
        rt,
        Act(
            principal,
            Permission.VIEW_HOTLISTS,
            Event.HOTLIST_CHANGE,
            "where alerts are sent",
            view=True,
        ),
        run,
    )


UNNAMED = (
    "The webhook names no agency from the register (it was set before destinations were "
    "checked): its alerts are not sent until it is set again with the agency that receives them."
)
CHANGED = (
    "The list's webhook was changed or cleared after this alert was queued: it is not sent to "
    "the old destination."
)


def _disabled(hot_list: HotList) -> str | None:
    if hot_list.enabled:
        return None
    return f"Hot list {hot_list.name} is disabled: it raises no alerts and sends none queued."


def _withdrawn(
    session: Session, rt: Runtime, alert: Alert, hot_list: HotList, disposition: str | None
) -> str | None:
    """Why the alert itself should no longer go out, wherever it was going: its list is
    disabled, the entry it matched is off the list or expired (the plate is no longer wanted on
    it), a person reviewed it as anything but confirmed, or the list's webhook now sends only
    alerts of a higher priority."""
    disabled = _disabled(hot_list)
    if disabled is not None:
        return disabled
    entry = session.get(HotListEntry, alert.entry_id)
    assert entry is not None
    if entry.removed_at is not None:
        return (
            f"The entry the plate matched was taken off {hot_list.name}: the plate is no longer "
            "wanted on it."
        )
    if entry.expires_at is not None and entry.expires_at <= rt.now():
        return (
            f"The entry the plate matched on {hot_list.name} expired: the plate is no longer "
            "wanted on it."
        )
    if disposition is not None and disposition != Disposition.CONFIRMED:
        shown = disposition.replace("_", " ")
        return f"The alert was reviewed as {shown}: an alert found not to be a hit is not sent."
    minimum = hot_list.webhook_min_priority
    if not high_enough(alert.priority, minimum):
        assert minimum is not None
        return (
            f"The list's webhook now sends alerts of priority {minimum.value} and above; this "
            f"alert's priority is {alert.priority.value}."
        )
    return None


@dataclass
class _Batch:
    """What one round of deliveries sent, tried and refused, for its access records."""

    sent: list[dict[str, Any]]
    failed: list[dict[str, Any]]
    refused: list[dict[str, Any]]

    def record(self, session: Session, rt: Runtime) -> None:
        for rows, outcome, verb in (
            (self.sent, Outcome.ALLOWED, "sent"),
            # The rules allowed it and it was posted: the receiver may hold it (R20, R51).
            (self.failed, Outcome.ALLOWED, "attempted, no confirmed receipt"),
            (self.refused, Outcome.REFUSED, "refused, not sent"),
        ):
            if not rows:
                continue
            access_log.append(
                session,
                at=rt.now(),
                event=Event.RELEASE,
                outcome=outcome,
                username=SYSTEM,
                query={
                    "kind": "alert_notification",
                    "agencies": sorted({r["agency"] for r in rows}),
                    "deliveries": rows,
                },
                plates=[r["plate"] for r in rows],
                result_ids=[r["alert_id"] for r in rows],
                detail=f"hot-list alerts {verb}: "
                + "; ".join(
                    f"alert {r['alert_id']} ({r['plate']}, {r['list']}) to {r['destination']}"
                    + (f" received by {r['agency']}" if r["agency"] else "")
                    + (f": {r['problem']}" if r.get("problem") else "")
                    for r in rows
                ),
            )


def _due(session: Session, now: datetime) -> list[WebhookDelivery]:
    """The deliveries due, each taken by this round until it commits: the worker's camera
    threads and its heartbeat deliver at once, and a delivery another round holds is skipped,
    never sent twice (Postgres; a SQLite transaction holds the database's write lock)."""
    return list(
        session.execute(
            select(WebhookDelivery)
            .where(
                WebhookDelivery.delivered_at.is_(None),
                WebhookDelivery.refused_at.is_(None),
                WebhookDelivery.attempts < MAX_ATTEMPTS,
                or_(
                    WebhookDelivery.next_attempt_at.is_(None),
                    WebhookDelivery.next_attempt_at <= now,
                ),
            )
            .order_by(WebhookDelivery.id)
            .with_for_update(skip_locked=True)
        ).scalars()
    )


def _problem(
    session: Session,
    rt: Runtime,
    delivery: WebhookDelivery,
    alert: Alert,
    hot_list: HotList,
    disposition: str | None,
    weighed: dict[tuple[int, str], str | None],
) -> str | None:
    if delivery.agency_id is None:
        return UNNAMED
    if hot_list.webhook_url != delivery.url or hot_list.webhook_agency_id != delivery.agency_id:
        return CHANGED
    withdrawn = _withdrawn(session, rt, alert, hot_list, disposition)
    if withdrawn is not None:
        return withdrawn
    key = (delivery.agency_id, delivery.url)
    if key not in weighed:
        agency = session.get(Agency, delivery.agency_id)
        assert agency is not None
        weighed[key] = _refused_problem(session, rt, delivery.url, agency)
    return weighed[key]


def deliver_due(rt: Runtime, *, timeout_s: float = 5.0) -> Delivered:
    """Send every delivery that is due, whose alert should still go out and whose agency may
    receive it today; refuse the others for good. All are recorded (a release of data: sent,
    attempted with no confirmed receipt, or refused); a failed attempt is retried later with
    backoff."""
    now = rt.now()
    with rt.transaction() as session:
        due = _due(session, now)
        if not due:
            return Delivered(0, 0, 0)
        batch = _Batch([], [], [])
        weighed: dict[tuple[int, str], str | None] = {}
        names: dict[int, str] = {}
        dispositions = latest_dispositions(session, [d.alert_id for d in due])
        for delivery in due:
            alert = session.get(Alert, delivery.alert_id)
            assert alert is not None
            hot_list = session.get(HotList, alert.hot_list_id)
            assert hot_list is not None
            if delivery.agency_id is not None and delivery.agency_id not in names:
                agency = session.get(Agency, delivery.agency_id)
                names[delivery.agency_id] = agency.name if agency else ""
            row: dict[str, Any] = {
                "alert_id": alert.id,
                "plate": alert.plate,
                "list": hot_list.name,
                "destination": redact_url(delivery.url),
                "agency": names.get(delivery.agency_id or 0, ""),
            }
            problem = _problem(
                session, rt, delivery, alert, hot_list, dispositions.get(alert.id), weighed
            )
            if problem is not None:
                delivery.refused_at = now
                delivery.last_error = f"Not sent: {problem}"[:500]
                batch.refused.append({**row, "problem": problem})
                continue
            delivery.attempts += 1
            try:
                post(delivery.url, payload(session, alert), timeout_s=timeout_s)
            except (URLError, OSError) as exc:
                delivery.last_error = str(exc)[:500]
                delivery.next_attempt_at = now + backoff(delivery.attempts)
                batch.failed.append(
                    {**row, "attempt": delivery.attempts, "problem": delivery.last_error}
                )
                warn_failed(alert.id, delivery.url, delivery.attempts, exc)
                continue
            delivery.delivered_at = now
            delivery.last_error = None
            batch.sent.append(row)
        batch.record(session, rt)
        return Delivered(len(batch.sent), len(batch.failed), len(batch.refused))


def eligible_agencies(rt: Runtime, *, principal: Principal) -> list[str]:
    """The agencies that may receive alerts today: the department first, then by name."""

    def run(session: Session, _who: Actor) -> Done[list[str]]:
        agencies = session.execute(
            select(Agency).order_by(Agency.is_home.desc(), Agency.name)
        ).scalars()
        return Done([a.name for a in agencies if destination_problem(session, rt, a) is None])

    return administered(
        rt,
        Act(
            principal,
            Permission.MANAGE_HOTLISTS,
            Event.HOTLIST_CHANGE,
            "agencies that may receive alerts",
            view=True,
        ),
        run,
    )
