"""Roles and permissions as data (R02, R04): the catalogue that bootstrap writes to the
database, and the single check every door calls. Anything not granted is denied."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alpr.data.models import RoleCode


class Permission(StrEnum):
    SEARCH_READS = "reads.search"
    VIEW_READ = "reads.view"
    EXPORT_READS = "reads.export"
    CORRECT_READS = "reads.correct"
    APPROVE_BROAD_SEARCH = "search.approve_broad"
    REVIEW_EXIGENT = "search.review_exigent"
    VIEW_ALERTS = "alerts.view"
    REVIEW_ALERTS = "alerts.review"
    VIEW_HOTLISTS = "hotlists.view"
    MANAGE_HOTLISTS = "hotlists.manage"
    ADD_HOTLIST_ENTRY = "hotlists.add_entry"
    FILE_RELEASES = "releases.file"
    APPROVE_RELEASES = "releases.approve"
    FULFIL_RELEASES = "releases.fulfil"
    # The register of agencies and their agreements, which say who may receive ALPR data, and
    # where each agency receives data (its hosts): the records desk's, never the one who sets
    # where a hot list's alerts go (MANAGE_HOTLISTS), so that no one person both makes an
    # agency eligible to receive alerts and sends them there (R04, R40, R47).
    MANAGE_AGENCIES = "agencies.manage"
    REGISTER_HOSTS = "agencies.hosts"
    REVIEW_ACCESS_LOG = "audit.review"
    PLAN_AUDITS = "audit.plan"
    SIGN_OFF_AUDITS = "audit.sign_off"
    VIEW_STATISTICS = "stats.view"
    PLACE_HOLDS = "holds.place"
    RELEASE_HOLDS = "holds.release"
    EXPORT_EVIDENCE = "evidence.export"
    MANAGE_RETENTION = "retention.manage"
    MANAGE_USERS = "users.manage"
    ACTIVATE_ACCOUNTS = "users.activate"
    MANAGE_TRAINING = "training.manage"
    RECORD_TRAINING = "training.record"
    MANAGE_POLICY = "policy.manage"
    MANAGE_CAMERAS = "cameras.manage"
    VIEW_CAMERAS = "cameras.view"
    MAINTAIN_SYSTEM = "system.maintain"


# Permissions that reach ALPR data: they also need current training (R03).
DATA_PERMISSIONS = frozenset(
    {
        Permission.SEARCH_READS,
        Permission.VIEW_READ,
        Permission.EXPORT_READS,
        Permission.CORRECT_READS,
        Permission.VIEW_ALERTS,
        Permission.REVIEW_ALERTS,
        Permission.VIEW_HOTLISTS,
        Permission.MANAGE_HOTLISTS,
        Permission.ADD_HOTLIST_ENTRY,
        Permission.FILE_RELEASES,  # a request's scope is counted: how often a plate was read
        Permission.FULFIL_RELEASES,
        Permission.REVIEW_ACCESS_LOG,
        Permission.REVIEW_EXIGENT,
        Permission.PLACE_HOLDS,
        Permission.EXPORT_EVIDENCE,
    }
)

# A designated trainer (R05) holds this personally, whatever the role: it is granted by the
# account's trainer designation, not by a role.
TRAINER_PERMISSIONS = frozenset({Permission.RECORD_TRAINING})

# Permissions that need the actor's own training to be current: ALPR data, and certifying
# the training of others.
NEEDS_TRAINING = DATA_PERMISSIONS | TRAINER_PERMISSIONS


@dataclass(frozen=True)
class RoleDefinition:
    code: RoleCode
    name: str
    job_titles: str
    description: str
    permissions: frozenset[Permission]


_INVESTIGATE = {
    Permission.SEARCH_READS,
    Permission.VIEW_READ,
    Permission.EXPORT_READS,
    Permission.CORRECT_READS,
    Permission.VIEW_ALERTS,
    Permission.REVIEW_ALERTS,
    Permission.VIEW_HOTLISTS,
    Permission.ADD_HOTLIST_ENTRY,
    Permission.PLACE_HOLDS,
    Permission.EXPORT_EVIDENCE,
    Permission.VIEW_CAMERAS,
}

ROLE_CATALOGUE: tuple[RoleDefinition, ...] = (
    RoleDefinition(
        RoleCode.INVESTIGATOR,
        "Investigator",
        "Detective; Investigator; Crime Analyst",
        "Searches stored reads for active investigations, enters partial plates from major "
        "crimes, reviews alerts, books evidence.",
        frozenset(_INVESTIGATE),
    ),
    RoleDefinition(
        RoleCode.PATROL,
        "Patrol officer",
        "Police Officer; Community Service Officer; Dispatcher",
        "Receives and reviews hot-list alerts from fixed and in-car cameras before any "
        "enforcement action.",
        frozenset(
            {
                Permission.VIEW_ALERTS,
                Permission.REVIEW_ALERTS,
                Permission.VIEW_READ,
                Permission.VIEW_HOTLISTS,
                Permission.VIEW_CAMERAS,
            }
        ),
    ),
    RoleDefinition(
        RoleCode.SERGEANT,
        "Sergeant",
        "Sergeant; Watch Commander; ALPR Auditor",
        "Supervises use: reviews the access log, misuse flags and exigent searches, audits, "
        "approves searches beyond the policy bounds, releases legal holds.",
        frozenset(
            _INVESTIGATE
            | {
                Permission.APPROVE_BROAD_SEARCH,
                Permission.REVIEW_EXIGENT,
                Permission.REVIEW_ACCESS_LOG,
                Permission.RELEASE_HOLDS,
                Permission.VIEW_STATISTICS,
            }
        ),
    ),
    RoleDefinition(
        RoleCode.RECORDS_CLERK,
        "Records clerk",
        "Records Specialist; Records Manager",
        "Files requests for ALPR data from other agencies and the public and produces "
        "approved releases; keeps the register of agencies, with the agreements signed with "
        "them and the hosts where each receives data.",
        frozenset(
            {
                Permission.FILE_RELEASES,
                Permission.FULFIL_RELEASES,
                Permission.MANAGE_AGENCIES,
                Permission.REGISTER_HOSTS,
            }
        ),
    ),
    RoleDefinition(
        RoleCode.COMMAND,
        "Command staff",
        "Captain; Lieutenant; Chief of Police",
        "Approves or denies releases, signs off audits, watches usage statistics, activates "
        "new accounts.",
        frozenset(
            {
                Permission.APPROVE_RELEASES,
                Permission.SIGN_OFF_AUDITS,
                Permission.VIEW_STATISTICS,
                Permission.VIEW_CAMERAS,
                Permission.ACTIVATE_ACCOUNTS,
            }
        ),
    ),
    RoleDefinition(
        RoleCode.ADMINISTRATOR,
        "ALPR Administrator",
        "ALPR Administrator (Commander); ALPR System Technician",
        "Manages users, training records, cameras, hot lists and where their alerts are sent, "
        "policy settings, retention, legal holds and the audit plan. Reads the register of "
        "agencies and agreements, which the records desk keeps. Does not search reads.",
        frozenset(
            {
                Permission.MANAGE_USERS,
                Permission.ACTIVATE_ACCOUNTS,
                Permission.MANAGE_TRAINING,
                Permission.MANAGE_POLICY,
                Permission.MAINTAIN_SYSTEM,
                Permission.MANAGE_CAMERAS,
                Permission.VIEW_CAMERAS,
                Permission.MANAGE_HOTLISTS,
                Permission.ADD_HOTLIST_ENTRY,
                Permission.VIEW_HOTLISTS,
                Permission.MANAGE_RETENTION,
                Permission.PLACE_HOLDS,
                Permission.RELEASE_HOLDS,
                Permission.PLAN_AUDITS,
                Permission.VIEW_STATISTICS,
            }
        ),
    ),
)


def role_definition(code: RoleCode) -> RoleDefinition:
    return next(r for r in ROLE_CATALOGUE if r.code == code)


def allows(permissions: frozenset[str], permission: Permission) -> bool:
    """The single permission check: granted only if listed."""
    return permission.value in permissions
