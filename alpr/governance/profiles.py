"""The five shipped policy profiles, one per department policy in use (``alpr/policy_profiles``):
every value the department's written ALPR policy states, with the section that states it.
Applying a profile records every value of the Policy, each change with the profile's citation
as its legal basis; a value the policy is silent on takes the shipped default, the strictest
reading, and says so. The names of the ALPR Administrator and the designee stay as recorded."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.permissions import Permission
from alpr.governance.policy import record_changes
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.policy import POLICY_KEYS, Policy

PROFILES = Path(__file__).resolve().parents[1] / "policy_profiles"
# The people in charge are named by the agency, not by its written policy: a profile leaves
# them as recorded.
NAMED_BY_THE_AGENCY = ("administrator_name", "designee_name")


@dataclass(frozen=True)
class ProfileValue:
    key: str
    title: str
    value: Any
    citation: str
    stated: bool


@dataclass(frozen=True)
class Profile:
    name: str
    department: str
    document: str
    values: tuple[ProfileValue, ...]


def _load(path: Path) -> Profile:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    stated: dict[str, dict[str, Any]] = data.get("values", {})
    unknown = sorted(set(stated) - set(POLICY_KEYS))
    if unknown:
        raise ValueError(f"profile {path.stem} names unknown settings: {', '.join(unknown)}")
    defaults = Policy()
    silent = f"{data['department']} policy is silent: the shipped default, the strictest reading"
    return Profile(
        name=path.stem,
        department=data["department"],
        document=data["document"],
        values=tuple(
            ProfileValue(
                key=key,
                title=Policy.model_fields[key].title or key,
                value=stated[key]["value"] if key in stated else getattr(defaults, key),
                citation=stated[key]["cite"] if key in stated else silent,
                stated=key in stated,
            )
            for key in POLICY_KEYS
            if key not in NAMED_BY_THE_AGENCY
        ),
    )


@cache
def profiles() -> tuple[Profile, ...]:
    return tuple(_load(path) for path in sorted(PROFILES.glob("*.toml")))


def profile(name: str) -> Profile:
    found = next((p for p in profiles() if p.name == name), None)
    if found is None:
        names = ", ".join(p.name for p in profiles())
        raise InvalidInput(f"no policy profile named {name!r}; profiles: {names}")
    return found


def apply_profile(rt: Runtime, *, actor: Principal | None, name: str) -> list[str]:
    """Make the profile the Policy in force; returns what changed, in words."""
    chosen = profile(name)

    def run(session: Session, who: Actor) -> Done[list[str]]:
        changed = record_changes(
            session,
            rt,
            who,
            {
                v.key: (v.value, f"{chosen.department}'s policy profile: {v.citation}")
                for v in chosen.values
            },
        )
        return Done(
            changed,
            detail=f"policy profile {chosen.name} applied: "
            + ("; ".join(changed) or "no value changed"),
        )

    return administered(
        rt,
        Act(actor, Permission.MANAGE_POLICY, Event.POLICY_CHANGE, f"apply policy profile {name}"),
        run,
    )
