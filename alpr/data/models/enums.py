"""Closed vocabularies stored as text with CHECK constraints on both databases."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum


class AgencyKind(StrEnum):
    CA_LOCAL_LE = "ca_local_le"
    CA_STATE_LE = "ca_state_le"
    CA_PROSECUTOR = "ca_prosecutor"
    CA_PUBLIC_OTHER = "ca_public_other"
    OUT_OF_STATE = "out_of_state"
    FEDERAL = "federal"
    NON_GOVERNMENT = "non_government"


class AgreementKind(StrEnum):
    """The standing arrangements to receive, provide or share ALPR data (R47)."""

    MOU = "mou"
    INTER_AGENCY_AGREEMENT = "inter_agency_agreement"
    CONTRACT = "contract"


class RoleCode(StrEnum):
    INVESTIGATOR = "investigator"
    PATROL = "patrol"
    SERGEANT = "sergeant"
    RECORDS_CLERK = "records_clerk"
    COMMAND = "command"
    ADMINISTRATOR = "administrator"


class Purpose(StrEnum):
    """The enumerated authorized purposes (R10), plus the exigent life-safety case (R15)."""

    STOLEN_VEHICLE = "stolen_vehicle"
    WANTED_VEHICLE = "wanted_vehicle"
    STOLEN_PLATE = "stolen_plate"
    MISSING_PERSON = "missing_person"
    AMBER_ALERT = "amber_alert"
    ACTIVE_WARRANT = "active_warrant"
    HOMELAND_SECURITY = "homeland_security"
    ELECTRONIC_SURVEILLANCE = "electronic_surveillance"
    SUSPECT_INTERDICTION = "suspect_interdiction"
    STOLEN_PROPERTY = "stolen_property"
    MAJOR_CRIME_CANVASS = "major_crime_canvass"


class CameraKind(StrEnum):
    FIXED = "fixed"
    MOBILE = "mobile"


class CameraStatus(StrEnum):
    UNKNOWN = "unknown"
    UP = "up"
    DOWN = "down"
    DISABLED = "disabled"


class HotListKind(StrEnum):
    STOLEN_VEHICLE = "stolen_vehicle"
    WANTED_PERSON = "wanted_person"
    MISSING_PERSON = "missing_person"
    AMBER_ALERT = "amber_alert"
    CUSTOM = "custom"


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class MatchKind(StrEnum):
    EXACT = "exact"
    PARTIAL = "partial"
    CONFUSION = "confusion"


class Disposition(StrEnum):
    CONFIRMED = "confirmed"
    MISREAD = "misread"
    WRONG_STATE = "wrong_state"
    VEHICLE_MISMATCH = "vehicle_mismatch"
    ENTRY_INACTIVE = "entry_inactive"
    DISMISSED = "dismissed"


class LegalBasis(StrEnum):
    NONE = "none"
    MOU = "mou"
    COURT_ORDER = "court_order"
    WARRANT = "warrant"
    EXIGENT = "exigent"
    PUBLIC_RECORDS_REQUEST = "public_records_request"


class RequestedData(StrEnum):
    PLATE_LEVEL = "plate_level"
    AGGREGATE = "aggregate"


class ReleaseDecisionKind(StrEnum):
    ELIGIBLE = "eligible"
    REVIEW = "review"
    REFUSED = "refused"
    AGGREGATE_ONLY = "aggregate_only"


class ReleaseStatus(StrEnum):
    FILED = "filed"
    APPROVED = "approved"
    DENIED = "denied"
    FULFILLED = "fulfilled"
    ROUTED_TO_RECORDS_MANAGER = "routed_to_records_manager"


class SessionKind(StrEnum):
    WEB = "web"
    CLI = "cli"


class SessionEnd(StrEnum):
    """Why a sign-in session ended."""

    SIGNED_OUT = "signed_out"
    IDLE = "idle"
    EXPIRED = "expired"
    DISABLED = "disabled"
    LOCKED = "locked"
    ROLE_CHANGED = "role_changed"
    MFA_RESET = "mfa_reset"
    PASSWORD_RESET = "password_reset"  # noqa: S105  (a reason, not a password)


class AuditVerdict(StrEnum):
    APPROPRIATE = "appropriate"
    INAPPROPRIATE = "inappropriate"


class FlagDisposition(StrEnum):
    """What the reviewing supervisor found a misuse flag to be."""

    JUSTIFIED = "justified"
    NEEDS_FOLLOW_UP = "needs_follow_up"
    MISUSE_REFERRED = "misuse_referred"


def text_enum(enum: type[StrEnum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint listing the values."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum),
        values_callable=lambda e: [m.value for m in e],
    )
