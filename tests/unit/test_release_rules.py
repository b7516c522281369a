"""The release rules engine, table-driven (R40-R47): agency kind x purpose x legal basis,
immigration-related or not, aggregate or plate-level, with the decision and the requirement
each decision cites."""

from __future__ import annotations

import pytest

from alpr.data.models import AgencyKind, LegalBasis, ReleaseDecisionKind, RequestedData
from alpr.governance.releases.rules import ReleaseQuery, evaluate

E, RV, RF, AG = (
    ReleaseDecisionKind.ELIGIBLE,
    ReleaseDecisionKind.REVIEW,
    ReleaseDecisionKind.REFUSED,
    ReleaseDecisionKind.AGGREGATE_ONLY,
)
K = AgencyKind
B = LegalBasis
P, A = RequestedData.PLATE_LEVEL, RequestedData.AGGREGATE
HOMICIDE = "Homicide investigation 26-04711"

# kind, state, purpose, immigration, basis, requested, agreement current, exception,
# expected decision, requirement cited
SCENARIOS = [
    (K.CA_LOCAL_LE, "CA", HOMICIDE, False, B.WARRANT, P, None, False, E, "R40"),
    (K.CA_LOCAL_LE, "CA", HOMICIDE, False, B.NONE, P, None, False, E, "R42"),
    (K.CA_LOCAL_LE, "CA", HOMICIDE, False, B.MOU, P, True, False, E, "R40"),
    (K.CA_LOCAL_LE, "CA", HOMICIDE, False, B.MOU, P, False, False, RV, "R47"),
    (K.CA_LOCAL_LE, "CA", HOMICIDE, False, B.MOU, P, None, False, RV, "R47"),
    (K.CA_LOCAL_LE, "CA", HOMICIDE, True, B.WARRANT, P, None, False, RF, "R43"),
    (K.CA_LOCAL_LE, "CA", "", False, B.WARRANT, P, None, False, RF, "R41"),
    (K.CA_LOCAL_LE, "CA", HOMICIDE, False, B.WARRANT, A, None, False, E, "R40"),
    (K.CA_STATE_LE, "CA", "Stolen vehicle recovery", False, B.NONE, P, None, False, E, "R40"),
    (
        K.CA_STATE_LE,
        "CA",
        "Stolen vehicle recovery",
        True,
        B.COURT_ORDER,
        P,
        None,
        False,
        RF,
        "R43",
    ),
    (
        K.CA_PROSECUTOR,
        "CA",
        "Trial preparation, People v. Doe",
        False,
        B.COURT_ORDER,
        P,
        None,
        False,
        E,
        "R40",
    ),
    (K.CA_PROSECUTOR, "CA", "Discovery", False, B.NONE, A, None, False, E, "R42"),
    (K.CA_PUBLIC_OTHER, "CA", "Traffic planning", False, B.NONE, A, None, False, RV, "R40"),
    (K.CA_PUBLIC_OTHER, "CA", "Traffic planning", False, B.NONE, P, None, False, RV, "R42"),
    (K.CA_PUBLIC_OTHER, "CA", "Traffic planning", True, B.NONE, A, None, False, RF, "R43"),
    (K.OUT_OF_STATE, "NV", "Robbery suspect", False, B.WARRANT, P, None, False, RF, "R40"),
    (K.OUT_OF_STATE, "NV", "Robbery suspect", False, B.MOU, P, True, False, RF, "R40"),
    (
        K.OUT_OF_STATE,
        "NV",
        "Child abduction in progress",
        False,
        B.EXIGENT,
        P,
        None,
        False,
        RF,
        "R40",
    ),
    (
        K.OUT_OF_STATE,
        "NV",
        "Child abduction in progress",
        False,
        B.EXIGENT,
        P,
        None,
        True,
        RV,
        "R44",
    ),
    (K.OUT_OF_STATE, "NV", "Homicide", False, B.COURT_ORDER, P, None, True, RV, "R44"),
    (K.OUT_OF_STATE, "NV", "Homicide", False, B.WARRANT, P, None, True, RF, "R40"),
    (K.OUT_OF_STATE, "NV", "Homicide", True, B.COURT_ORDER, P, None, True, RF, "R43"),
    (K.FEDERAL, "US", "Fugitive", False, B.WARRANT, P, None, False, RF, "R40"),
    (K.FEDERAL, "US", "Immigration status check", True, B.WARRANT, P, None, False, RF, "R43"),
    (K.FEDERAL, "US", "Immigration status check", True, B.COURT_ORDER, P, None, True, RF, "R43"),
    (
        K.FEDERAL,
        "US",
        "Kidnapping across state lines",
        False,
        B.COURT_ORDER,
        P,
        None,
        True,
        RV,
        "R44",
    ),
    (K.FEDERAL, "US", "Drug trafficking task force", False, B.MOU, A, True, False, RF, "R40"),
    (K.CA_LOCAL_LE, "NV", "Wrongly labelled agency", False, B.WARRANT, P, None, False, RF, "R40"),
    (K.NON_GOVERNMENT, "CA", "News story on ALPR use", False, B.NONE, A, None, False, AG, "R45"),
    (K.NON_GOVERNMENT, "CA", "News story on ALPR use", False, B.NONE, P, None, False, AG, "R45"),
    (
        K.NON_GOVERNMENT,
        "CA",
        "Private investigator",
        False,
        B.COURT_ORDER,
        P,
        None,
        False,
        AG,
        "R45",
    ),
    (K.NON_GOVERNMENT, "CA", "Deportation tip line", True, B.NONE, A, None, False, RF, "R43"),
    (
        K.NON_GOVERNMENT,
        "CA",
        "Public records request",
        False,
        B.PUBLIC_RECORDS_REQUEST,
        P,
        None,
        False,
        AG,
        "R46",
    ),
    (
        K.CA_LOCAL_LE,
        "CA",
        "Records request from a city",
        False,
        B.PUBLIC_RECORDS_REQUEST,
        P,
        None,
        False,
        AG,
        "R46",
    ),
    (
        K.OUT_OF_STATE,
        "OR",
        "Public records request",
        False,
        B.PUBLIC_RECORDS_REQUEST,
        A,
        None,
        False,
        AG,
        "R46",
    ),
]


@pytest.mark.parametrize(
    (
        "kind",
        "state",
        "purpose",
        "immigration",
        "basis",
        "requested",
        "agreement",
        "exception",
        "expected",
        "cites",
    ),
    SCENARIOS,
)
def test_decision_and_requirement(
    kind: AgencyKind,
    state: str,
    purpose: str,
    immigration: bool,
    basis: LegalBasis,
    requested: RequestedData,
    agreement: bool | None,
    exception: bool,
    expected: ReleaseDecisionKind,
    cites: str,
) -> None:
    decision = evaluate(
        ReleaseQuery(kind, state, purpose, immigration, basis, requested, agreement, exception)
    )
    assert decision.decision is expected
    assert cites in decision.requirements
    assert decision.reasons and all(r.endswith(".") for r in decision.reasons)


def test_at_least_thirty_scenarios() -> None:
    assert len(SCENARIOS) >= 30
