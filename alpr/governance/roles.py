"""The role catalogue as recorded in the database (R02): who may use the system and for what."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from alpr.data.models import Role, RolePermission
from alpr.governance.runtime import Runtime


@dataclass(frozen=True)
class RoleEntry:
    code: str
    name: str
    job_titles: str
    description: str
    permissions: tuple[str, ...]


def role_catalogue(rt: Runtime) -> list[RoleEntry]:
    """Roles, job titles and permissions; public information (it is on the policy page)."""
    with rt.transaction() as session:
        roles = session.execute(select(Role).order_by(Role.name)).scalars().all()
        granted: dict[str, list[str]] = {}
        for code, permission in session.execute(
            select(RolePermission.role_code, RolePermission.permission).order_by(
                RolePermission.permission
            )
        ):
            granted.setdefault(code.value, []).append(permission)
        return [
            RoleEntry(
                code=role.code.value,
                name=role.name,
                job_titles=role.job_titles,
                description=role.description,
                permissions=tuple(granted.get(role.code.value, [])),
            )
            for role in roles
        ]
