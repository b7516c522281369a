"""Every table of the product, importable from one place."""

from alpr.data.models.access import AccessRecord, Search
from alpr.data.models.cameras import Camera, CameraHeartbeat
from alpr.data.models.enums import (
    AgencyKind,
    AgreementKind,
    AuditVerdict,
    CameraKind,
    CameraStatus,
    Disposition,
    HotListKind,
    LegalBasis,
    MatchKind,
    Priority,
    Purpose,
    ReleaseDecisionKind,
    ReleaseStatus,
    RequestedData,
    RoleCode,
)
from alpr.data.models.hotlists import Alert, AlertReview, HotList, HotListEntry, WebhookDelivery
from alpr.data.models.incidents import Incident
from alpr.data.models.oversight import Audit, AuditPlan, AuditSample
from alpr.data.models.people import (
    Agency,
    ColleaguePlate,
    Role,
    RolePermission,
    SignInAttempt,
    TrainingRecord,
    User,
)
from alpr.data.models.policy import PolicyChange, PolicySetting
from alpr.data.models.reads import (
    Image,
    Plate,
    PlatePrune,
    PlateStoredDuringPrune,
    Read,
    ReadCorrection,
)
from alpr.data.models.releases import (
    AgreementEnding,
    ReleaseAttachment,
    ReleaseDecision,
    ReleasePackage,
    ReleaseRequest,
    SharingAgreement,
)
from alpr.data.models.retention import EvidenceExport, LegalHold, LegalHoldRead, PurgeRun
from alpr.data.models.scopes import Scope

__all__ = [
    "AccessRecord",
    "Agency",
    "AgencyKind",
    "AgreementEnding",
    "AgreementKind",
    "Alert",
    "AlertReview",
    "Audit",
    "AuditPlan",
    "AuditSample",
    "AuditVerdict",
    "Camera",
    "CameraHeartbeat",
    "CameraKind",
    "CameraStatus",
    "ColleaguePlate",
    "Disposition",
    "EvidenceExport",
    "HotList",
    "HotListEntry",
    "HotListKind",
    "Image",
    "Incident",
    "LegalBasis",
    "LegalHold",
    "LegalHoldRead",
    "MatchKind",
    "Plate",
    "PlatePrune",
    "PlateStoredDuringPrune",
    "PolicyChange",
    "PolicySetting",
    "Priority",
    "PurgeRun",
    "Purpose",
    "Read",
    "ReadCorrection",
    "ReleaseAttachment",
    "ReleaseDecision",
    "ReleaseDecisionKind",
    "ReleasePackage",
    "ReleaseRequest",
    "ReleaseStatus",
    "RequestedData",
    "Role",
    "RoleCode",
    "RolePermission",
    "Scope",
    "Search",
    "SharingAgreement",
    "SignInAttempt",
    "TrainingRecord",
    "User",
    "WebhookDelivery",
]
