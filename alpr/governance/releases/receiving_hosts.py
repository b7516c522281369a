"""Where each agency in the register receives data: the host names of its systems (its CAD's;
for the department, its own) (R40, R47, R04). A hot list's webhook sends alerts to an agency
only at one of its hosts, so the address is weighed with the agency, not taken on the word of
whoever sets webhooks: the hosts are kept by the records desk (``agencies.hosts``), which no
role that sets webhooks holds. Each host added or removed, and each refusal, is in the access
log (registry change)."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from alpr.data.models import Agency, AgencyHost, User
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.releases.registry import READ, named_agency
from alpr.governance.runtime import Runtime

EDIT = Permission.REGISTER_HOSTS
VIEW = (*READ, Permission.REGISTER_HOSTS)
# This machine's own addresses: a webhook there never leaves it (tests, a local relay's check).
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")


@dataclass(frozen=True)
class HostView:
    agency: str
    host: str
    added_at: datetime
    added_by: str | None


def checked_host(text: str) -> str:
    """The host name as the register keeps it (lower case), or bad input: a name such as
    ``cad.dalycity.org`` or an IP address, without a scheme, port, path or trailing dot."""
    host = text.strip().lower()
    if not host:
        raise InvalidInput("the host is required, e.g. cad.dalycity.org")
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    labels = host.split(".")
    if (
        len(host) > 253
        or not all(_LABEL.fullmatch(label) for label in labels)
        or labels[-1].isdigit()  # an address written in a form resolvers read otherwise
    ):
        raise InvalidInput(
            f"{text.strip()!r} is not a host name: give the host alone, e.g. cad.dalycity.org "
            "(no https://, port, path or trailing dot)"
        )
    return host


def host_of(url: str) -> str | None:
    """The host an address sends to, as ``urlsplit`` and the sender read it (lower case,
    without user, password or port); None if it has none."""
    try:
        return urlsplit(url.strip()).hostname
    except ValueError:
        return None


def hosts_of(session: Session, agency_id: int) -> list[str]:
    return list(
        session.execute(
            select(AgencyHost.host)
            .where(AgencyHost.agency_id == agency_id)
            .order_by(AgencyHost.host)
        ).scalars()
    )


def host_problem(session: Session, url: str, agency: Agency) -> str | None:
    """Why alerts may not be sent to ``url`` for ``agency``: its host is not one the register
    names for the agency (the whole host, compared exactly); None if it is, or if it is this
    machine's own."""
    host = host_of(url)
    if host in LOCAL_HOSTS:
        return None
    registered = hosts_of(session, agency.id)
    if host is not None and host in registered:
        return None
    named = ", ".join(registered) if registered else "none"
    return (
        f"{host or 'the address'} is not a host where {agency.name} receives data in the "
        f"register (registered: {named}). The records desk registers an agency's hosts on the "
        "Agencies and agreements page or with `alpr agencies host add`."
    )


def _view(session: Session, row: AgencyHost, agency: str) -> HostView:
    added_by = session.get(User, row.added_by_id) if row.added_by_id is not None else None
    return HostView(agency, row.host, row.added_at, added_by.username if added_by else None)


def add_host(rt: Runtime, *, actor: Principal | None, agency_name: str, host: str) -> HostView:
    """Register a host where the agency receives data (the department's own included)."""

    def run(session: Session, who: Actor) -> Done[HostView]:
        clean = checked_host(host)
        agency = named_agency(session, agency_name)
        if clean in hosts_of(session, agency.id):
            raise InvalidInput(f"{clean} is already registered for {agency.name}")
        row = AgencyHost(
            agency_id=agency.id, host=clean, added_by_id=who.user_id, added_at=rt.now()
        )
        session.add(row)
        session.flush()
        return Done(
            _view(session, row, agency.name),
            detail=f"host {clean} registered: {agency.name} receives data there",
            query={"agency": agency.name, "host": clean},
        )

    return administered(
        rt,
        Act(actor, EDIT, Event.REGISTRY_CHANGE, f"register host {host.strip()} for {agency_name}"),
        run,
    )


def remove_host(rt: Runtime, *, actor: Principal | None, agency_name: str, host: str) -> str:
    """Remove a host from the agency's: webhooks there stop delivering (refused, recorded).
    Returns the agency's name as the register spells it."""

    def run(session: Session, _who: Actor) -> Done[str]:
        clean = checked_host(host)
        agency = named_agency(session, agency_name)
        row = session.execute(
            select(AgencyHost).where(AgencyHost.agency_id == agency.id, AgencyHost.host == clean)
        ).scalar_one_or_none()
        if row is None:
            raise InvalidInput(f"{clean} is not registered for {agency.name}")
        session.delete(row)
        return Done(
            agency.name,
            detail=f"host {clean} removed: {agency.name} no longer receives data there",
            query={"agency": agency.name, "host": clean},
        )

    return administered(
        rt,
        Act(actor, EDIT, Event.REGISTRY_CHANGE, f"remove host {host.strip()} of {agency_name}"),
        run,
    )


def list_hosts(rt: Runtime, *, actor: Principal | None) -> list[HostView]:
    """Every registered host, by agency (the department first) and host."""

    def run(session: Session, _who: Actor) -> Done[list[HostView]]:
        rows = session.execute(
            select(AgencyHost, Agency.name)
            .join(Agency, Agency.id == AgencyHost.agency_id)
            .order_by(Agency.is_home.desc(), Agency.name, AgencyHost.host)
        ).all()
        return Done([_view(session, row, name) for row, name in rows])

    return administered(
        rt, Act(actor, VIEW, Event.REGISTRY_CHANGE, "list the agencies' hosts", view=True), run
    )


def agency_names(rt: Runtime, *, actor: Principal | None) -> list[str]:
    """Every agency in the register, the department first: those a host can be registered for."""

    def run(session: Session, _who: Actor) -> Done[list[str]]:
        return Done(
            list(
                session.execute(
                    select(Agency.name).order_by(Agency.is_home.desc(), Agency.name)
                ).scalars()
            )
        )

    return administered(
        rt, Act(actor, VIEW, Event.REGISTRY_CHANGE, "list the agencies", view=True), run
    )
