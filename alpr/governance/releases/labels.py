"""The words a records clerk reads for the codes of the release records."""

from __future__ import annotations

from alpr.data.models import (
    AgencyKind,
    AgreementKind,
    LegalBasis,
    ReleaseDecisionKind,
    RequestedData,
)

AGENCY_KINDS: dict[AgencyKind, str] = {
    AgencyKind.CA_LOCAL_LE: "California local law enforcement",
    AgencyKind.CA_STATE_LE: "California state law enforcement",
    AgencyKind.CA_PROSECUTOR: "California prosecutor",
    AgencyKind.CA_PUBLIC_OTHER: "California public agency (not law enforcement)",
    AgencyKind.OUT_OF_STATE: "Agency outside California",
    AgencyKind.FEDERAL: "Federal agency",
    AgencyKind.NON_GOVERNMENT: "Not a government agency (public, media, private)",
}

AGREEMENT_KINDS: dict[AgreementKind, str] = {
    AgreementKind.MOU: "Memorandum of understanding",
    AgreementKind.INTER_AGENCY_AGREEMENT: "Inter-agency agreement",
    AgreementKind.CONTRACT: "Contract for ALPR services",
}

LEGAL_BASES: dict[LegalBasis, str] = {
    LegalBasis.NONE: "Written request only",
    LegalBasis.MOU: "Sharing agreement (MOU) on file",
    LegalBasis.COURT_ORDER: "Court order",
    LegalBasis.WARRANT: "Warrant",
    LegalBasis.EXIGENT: "Exigent circumstance",
    LegalBasis.PUBLIC_RECORDS_REQUEST: "Public records request (CPRA / FOIA)",
}

REQUESTED: dict[RequestedData, str] = {
    RequestedData.PLATE_LEVEL: "Plate-level reads",
    RequestedData.AGGREGATE: "Counts only",
}

RULES_DECISIONS: dict[ReleaseDecisionKind, str] = {
    ReleaseDecisionKind.ELIGIBLE: "Eligible once the commander approves",
    ReleaseDecisionKind.REVIEW: "Needs the commander's review",
    ReleaseDecisionKind.REFUSED: "Refused by law",
    ReleaseDecisionKind.AGGREGATE_ONLY: "Counts only",
}

# What a request's attachment is; the narrow exception outside California needs the document
# its legal basis names.
ATTACHMENT_KINDS: dict[str, str] = {
    "request": "Written request",
    "court_order": "Court order",
    "exigency": "Record of the exigent circumstance",
    "warrant": "Warrant",
    "other": "Other document",
}
# The document a legal basis rests on: the commander is warned when it is not attached.
BASIS_DOCUMENT: dict[LegalBasis, str] = {
    LegalBasis.NONE: "request",
    LegalBasis.COURT_ORDER: "court_order",
    LegalBasis.WARRANT: "warrant",
    LegalBasis.EXIGENT: "exigency",
}
EXCEPTION_DOCUMENT: dict[LegalBasis, str] = {
    basis: BASIS_DOCUMENT[basis] for basis in (LegalBasis.COURT_ORDER, LegalBasis.EXIGENT)
}

STATES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
    "US": "United States (federal)",
}
