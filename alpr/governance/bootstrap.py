"""Reference data every installation needs: the role catalogue with its permissions and the
home agency. Safe to run again: it brings the database in line with the catalogue."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from alpr.data.models import Agency, AgencyKind, Role, RolePermission
from alpr.governance.permissions import ROLE_CATALOGUE
from alpr.governance.runtime import Runtime


def sync_roles(session: Session) -> None:
    for definition in ROLE_CATALOGUE:
        role = session.get(Role, definition.code)
        if role is None:
            role = Role(code=definition.code)
            session.add(role)
        role.name = definition.name
        role.job_titles = definition.job_titles
        role.description = definition.description
        session.flush()
        wanted = {p.value for p in definition.permissions}
        have = set(
            session.execute(
                select(RolePermission.permission).where(RolePermission.role_code == definition.code)
            ).scalars()
        )
        session.execute(
            delete(RolePermission).where(
                RolePermission.role_code == definition.code,
                RolePermission.permission.in_(have - wanted),
            )
        )
        session.add_all(
            RolePermission(role_code=definition.code, permission=p) for p in wanted - have
        )


def ensure_home_agency(session: Session, name: str) -> Agency:
    agency = session.execute(select(Agency).where(Agency.is_home.is_(True))).scalar_one_or_none()
    if agency is None:
        agency = Agency(name=name, kind=AgencyKind.CA_LOCAL_LE, state="CA", is_home=True)
        session.add(agency)
        session.flush()
    return agency


def bootstrap(rt: Runtime) -> None:
    with rt.transaction() as session:
        sync_roles(session)
        ensure_home_agency(session, rt.policy(session).agency_name)
