"""The public usage and privacy policy (R52) with the figures of the last 30 days: what the
system is for, who may use it and with what training, who is responsible (R06), how use is
monitored (R24), sharing, retention and how errors are corrected."""

from __future__ import annotations

from dataclasses import dataclass

from alpr.governance.justification import PURPOSE_LABELS
from alpr.governance.oversight.usage import PublicFigures, public_figures
from alpr.governance.roles import RoleEntry, role_catalogue
from alpr.governance.runtime import Runtime
from alpr.governance.training import TRAINING_TOPICS


@dataclass(frozen=True)
class PolicyStatement:
    agency: str
    purposes: list[str]
    roles: list[RoleEntry]
    training_topics: tuple[str, ...]
    training_validity_days: int
    administrator: str
    designee: str
    records_manager: str
    out_of_state_exception: bool
    retention: dict[str, int]
    figures: PublicFigures


def policy_statement(rt: Runtime) -> PolicyStatement:
    with rt.transaction() as session:
        policy = rt.policy(session)
    return PolicyStatement(
        agency=policy.agency_name,
        purposes=list(PURPOSE_LABELS.values()),
        roles=role_catalogue(rt),
        training_topics=TRAINING_TOPICS,
        training_validity_days=policy.training_validity_days,
        administrator=f"{policy.administrator_title}: {policy.administrator_name}",
        designee=f"{policy.designee_title}: {policy.designee_name}",
        records_manager=policy.records_manager_title,
        out_of_state_exception=policy.allow_out_of_state_exception,
        retention={
            "Reads that matched no hot list": policy.retention_nonhit_days,
            "Reads that matched a hot list": policy.retention_hit_days,
            "Images": policy.retention_image_days,
            "Access log": policy.retention_audit_days,
            "Requests for data from others, with what was released": (
                policy.retention_release_days
            ),
        },
        figures=public_figures(rt),
    )
