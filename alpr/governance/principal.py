"""Who is asking: a named, authenticated member (R01)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from alpr.data.models import RoleCode
from alpr.governance.permissions import Permission, allows


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    full_name: str
    agency_name: str
    role: RoleCode
    permissions: frozenset[str]
    is_contractor: bool
    authenticated_at: datetime
    client_addr: str | None = None

    def can(self, permission: Permission) -> bool:
        return allows(self.permissions, permission)
