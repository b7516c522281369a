"""The agency policy in force, and changing it: the shipped defaults overlaid by the values the
ALPR Administrator recorded, each change validated against the law (refused naming the rule),
kept in the policy history with its legal basis, who made it and when, and in the access log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, get_origin

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased

from alpr.data.models import Agency, PolicyChange, PolicySetting, User
from alpr.governance import installation
from alpr.governance.access_log import Event
from alpr.governance.actors import SYSTEM
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.policy import POLICY_KEYS, Policy, limit_of, set_aside
from alpr.textinput import InputRefused, load_json


@dataclass(frozen=True)
class PolicyEntry:
    key: str
    title: str
    value: Any
    default: Any
    allowed: str | None
    rule: str | None
    legal_basis: str | None
    changed_at: datetime | None


@dataclass(frozen=True)
class PolicyChangeView:
    at: datetime
    key: str
    old_value: Any
    new_value: Any
    legal_basis: str | None
    changed_by: str
    changed_by_name: str


def _known(key: str) -> str:
    if key not in POLICY_KEYS:
        raise InvalidInput(f"{key!r} is not a policy setting; settings: {', '.join(POLICY_KEYS)}")
    return key


def parse_value(key: str, text: str) -> Any:
    """A value as typed on the command line: JSON for a list, otherwise the text itself, which
    validation turns into the setting's type."""
    if get_origin(Policy.model_fields[_known(key)].annotation) is not list:
        return text
    try:
        return load_json(text, what=key)
    except InputRefused:
        raise InvalidInput(
            f"{key} takes a JSON list, e.g. '[\"^\\\\d{{2}}-\\\\d{{5}}$\"]'"
        ) from None


def _validated(
    session: Session, rt: Runtime, current: Policy, changes: Mapping[str, Any]
) -> Policy:
    """The policy after the changes, or why the law or the setting's type refuses them (under
    the production rules when the database is a production database)."""
    try:
        return Policy.model_validate(
            {**current.model_dump(), **changes},
            context={"environment": installation.environment(session, rt)},
        )
    except ValidationError as exc:
        looser = [e["msg"] for e in exc.errors() if e["type"] == "policy"]
        if looser:
            raise Refusal(RefusalKind.RULE, "; ".join(looser)) from None
        raise InvalidInput("; ".join(map(_bad_input, exc.errors()))) from None


def _bad_input(error: ErrorDetails) -> str:
    """A value of the wrong type in words, with the range its setting allows."""
    key = str(error["loc"][0]) if error["loc"] else ""
    limit = limit_of(key) if key in POLICY_KEYS else None
    allowed = f" (allowed: {limit.allowed()})" if limit else ""
    return f"{'.'.join(map(str, error['loc']))}: {error['msg']}{allowed}"


def _check_name_free(session: Session, name: str) -> None:
    """The home agency's new name is no other agency's in the register: names tell agencies
    apart in releases and sharing agreements."""
    taken = select(Agency.id).where(Agency.name == name, Agency.is_home.is_(False))
    if session.execute(taken).first():
        raise InvalidInput(
            f"{name!r} is already the name of another agency in the register; the home agency "
            "needs a name of its own"
        )


def record_changes(
    session: Session, rt: Runtime, actor: Actor, changes: Mapping[str, tuple[Any, str]]
) -> list[str]:
    """Validate ``changes`` (key: value and legal basis) together and record those that
    change a value, or replace a recorded value set aside (even by the value standing in for
    it); returns what changed, in words. The home agency carries the agency name."""
    current = rt.policy(session)
    new = _validated(session, rt, current, {key: value for key, (value, _) in changes.items()})
    if new.agency_name != current.agency_name:
        _check_name_free(session, new.agency_name)
    replaced = set_aside(PolicySetting.recorded(session))
    changed = []
    now = rt.now()
    for key, (_, basis) in changes.items():
        old, value = getattr(current, key), getattr(new, key)
        if old == value and key not in replaced:
            continue
        row = session.get(PolicySetting, key) or PolicySetting(key=key)
        row.value, row.legal_basis, row.updated_at = value, basis, now
        row.updated_by_id = actor.user_id
        session.add(row)
        session.add(
            PolicyChange(
                key=key,
                old_value=old,
                new_value=value,
                legal_basis=basis,
                changed_by_id=actor.user_id,
                changed_by=actor.name,
                changed_at=now,
            )
        )
        changed.append(f"{key}: {old!r} -> {value!r} ({basis})")
    if new.agency_name != current.agency_name:
        session.execute(update(Agency).where(Agency.is_home.is_(True)).values(name=new.agency_name))
    rt.adopt_policy(session, PolicySetting.recorded(session))
    return changed


def set_policy(
    rt: Runtime, *, actor: Principal | None, key: str, value: Any, legal_basis: str
) -> Policy:
    """Change one policy value; returns the Policy in force after it."""
    _known(key)
    if not legal_basis.strip():
        raise InvalidInput("record the legal basis or policy section for this change")

    def run(session: Session, who: Actor) -> Done[Policy]:
        changed = record_changes(session, rt, who, {key: (value, legal_basis.strip())})
        return Done(rt.policy(session), detail="; ".join(changed) or f"{key} unchanged")

    return administered(
        rt,
        Act(actor, Permission.MANAGE_POLICY, Event.POLICY_CHANGE, f"change policy {key}"),
        run,
    )


def policy_in_force(rt: Runtime) -> Policy:
    """The Policy in force; public (the usage and privacy policy is posted, R52)."""
    with rt.transaction() as session:
        return rt.policy(session)


def policy_set_aside(rt: Runtime) -> dict[str, str]:
    """The recorded values this release refuses, with why (the shipped default stands in)."""
    with rt.transaction() as session:
        return set_aside(PolicySetting.recorded(session))


def policy_entries(rt: Runtime) -> list[PolicyEntry]:
    """Every policy value with its default, the rule bounding it and the basis of the value."""
    defaults = Policy()
    with rt.transaction() as session:
        policy = rt.policy(session)
        recorded = {row.key: row for row in session.execute(select(PolicySetting)).scalars().all()}
    entries = []
    for key in POLICY_KEYS:
        limit = limit_of(key)
        row = recorded.get(key)
        entries.append(
            PolicyEntry(
                key=key,
                title=Policy.model_fields[key].title or key,
                value=getattr(policy, key),
                default=getattr(defaults, key),
                allowed=limit.allowed() if limit else None,
                rule=limit.rule if limit else None,
                legal_basis=row.legal_basis if row else None,
                changed_at=row.updated_at if row else None,
            )
        )
    return entries


def policy_history(rt: Runtime, *, actor: Principal | None) -> list[PolicyChangeView]:
    """Every change to the policy, newest first."""

    def run(session: Session, _who: Actor) -> Done[list[PolicyChangeView]]:
        by = aliased(User)
        rows = session.execute(
            select(PolicyChange, by.username, by.full_name)
            .outerjoin(by, by.id == PolicyChange.changed_by_id)
            .order_by(PolicyChange.id.desc())
        ).all()
        return Done(
            [
                PolicyChangeView(
                    at=change.changed_at,
                    key=change.key,
                    old_value=change.old_value,
                    new_value=change.new_value,
                    legal_basis=change.legal_basis,
                    changed_by=change.changed_by or username or SYSTEM,
                    # The person by name, as the page reads the history.
                    changed_by_name=full_name or change.changed_by or username or SYSTEM,
                )
                for change, username, full_name in rows
            ]
        )

    return administered(
        rt,
        Act(actor, Permission.MANAGE_POLICY, Event.POLICY_CHANGE, "policy history", view=True),
        run,
    )
