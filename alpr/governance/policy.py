"""Agency policy in force: the settings' defaults overlaid by the values the ALPR
Administrator recorded, each change validated like the settings and logged with its basis."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from alpr.config import Settings
from alpr.data.models import PolicyChange, PolicySetting
from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.actors import check_actor
from alpr.governance.errors import InvalidInput
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime

# Settings that describe the deployment rather than the agency's policy.
NOT_POLICY = frozenset({"environment", "data_dir", "database_url", "model_dir", "onnx_threads"})


def policy_keys() -> list[str]:
    return [name for name in Settings.model_fields if name not in NOT_POLICY]


def set_policy(
    rt: Runtime, *, actor: Principal | None, key: str, value: Any, legal_basis: str
) -> None:
    if key not in policy_keys():
        raise InvalidInput(f"{key!r} is not a policy setting; settings: {', '.join(policy_keys())}")
    if not legal_basis.strip():
        raise InvalidInput("record the legal basis or policy section for this change")
    with rt.transaction() as session:
        actor, actor_name = check_actor(session, rt, actor, Permission.MANAGE_POLICY)
        current = rt.policy(session)
        try:
            Settings.model_validate({**current.model_dump(), key: value})
        except ValidationError as exc:
            raise InvalidInput("; ".join(str(err["msg"]) for err in exc.errors())) from None
        old = getattr(current, key)
        row = session.get(PolicySetting, key)
        if row is None:
            session.add(
                PolicySetting(
                    key=key,
                    value=value,
                    legal_basis=legal_basis,
                    updated_at=rt.now(),
                    updated_by_id=actor.user_id if actor else None,
                )
            )
        else:
            row.value = value
            row.legal_basis = legal_basis
            row.updated_at = rt.now()
            row.updated_by_id = actor.user_id if actor else None
        session.add(
            PolicyChange(
                key=key,
                old_value=old,
                new_value=value,
                legal_basis=legal_basis,
                changed_by_id=actor.user_id if actor else None,
                changed_at=rt.now(),
            )
        )
        access_log.append(
            session,
            at=rt.now(),
            event=Event.POLICY_CHANGE,
            outcome=Outcome.SUCCESS,
            principal=actor,
            username=actor_name,
            detail=f"{key}: {old!r} -> {value!r} ({legal_basis})",
        )
