"""The release rules engine, table-driven (R40-R47): agency kind x purpose x legal basis x the
agreement on file, immigration-related by the box or by the words of any free-text field
(look-alike letters and invisible characters do not hide them), an agency whose name says it is
federal or of another state whatever its kind, aggregate or plate-level, the narrow exception
with and without its document; each with the decision and the words of the reason that only its
rule gives (so that removing a rule fails its scenarios)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from alpr.data.models import AgencyKind, LegalBasis, ReleaseDecisionKind, RequestedData
from alpr.governance.releases.rules import CitedAgreement, ReleaseQuery, evaluate

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
IN_FORCE = CitedAgreement(1, "County ALPR data sharing MOU", True, "in force until 2027-06-30")
EXPIRED = CitedAgreement(2, "Regional MOU 2023", False, "expired on 2025-12-31")
ENDED = CitedAgreement(3, "Task force MOU", False, "was ended on 2026-10-01 (task force closed)")

# Words only the rule cited gives.
SB54 = "SB 54"
NOT_PUBLIC = "not public agencies under Civil Code 1798.90.5"
DOCUMENT = "Refused until the court order or the record of the exigent circumstance is attached"
EXCEPTION = "the department's policy allows release only because"
COUNTS = "plate numbers and images are refused"
RECORDS = "routed to the Records Manager"
PURPOSE = "states its intended purpose"
OTHER_PUBLIC = "California public agency outside law enforcement"
LE = "California law enforcement agency or prosecutor"
NO_AGREEMENT = "none is on file for this agency"


def _expired(q: ReleaseQuery) -> str:
    assert q.agreement is not None
    return f"'{q.agreement.title}', which {q.agreement.standing}"


def _relies(q: ReleaseQuery) -> str:
    assert q.agreement is not None
    return f"relies on '{q.agreement.title}', {q.agreement.standing}"


# kind, state, purpose, immigration box, basis, requested, agreement, exception allowed,
# document attached, decision, rule cited, words of its reason
T, F = True, False
SVR, TRIAL, DISCOVERY = "Stolen vehicle recovery", "Trial preparation, People v. Doe", "Discovery"
TRAFFIC, ROBBERY, ABDUCTION = "Traffic planning", "Robbery suspect", "Child abduction in progress"
FUGITIVE, TASK_FORCE = "Fugitive", "Drug trafficking task force"
KIDNAPPING, MISLABELLED = "Kidnapping across state lines", "Wrongly labelled agency"
NEWS, INVESTIGATOR, CONTRACTOR = (
    "News story on ALPR use",
    "Private investigator",
    "Security contractor",
)
TIP_LINE, CPRA, CITY_CPRA = "Deportation tip line", "Public records request", "Records request"

SCENARIOS: list[tuple[object, ...]] = [
    (K.CA_LOCAL_LE, "CA", HOMICIDE, F, B.WARRANT, P, None, F, F, E, "R40", LE),
    (K.CA_LOCAL_LE, "CA", HOMICIDE, F, B.NONE, P, None, F, F, E, "R42", LE),
    (K.CA_LOCAL_LE, "CA", HOMICIDE, F, B.MOU, P, IN_FORCE, F, F, E, "R47", _relies),
    (K.CA_LOCAL_LE, "CA", HOMICIDE, F, B.MOU, P, EXPIRED, F, F, RV, "R47", _expired),
    (K.CA_LOCAL_LE, "CA", HOMICIDE, F, B.MOU, P, ENDED, F, F, RV, "R47", _expired),
    (K.CA_LOCAL_LE, "CA", HOMICIDE, F, B.MOU, P, None, F, F, RV, "R47", NO_AGREEMENT),
    (K.CA_LOCAL_LE, "CA", HOMICIDE, T, B.WARRANT, P, None, F, F, RF, "R43", SB54),
    (K.CA_LOCAL_LE, "CA", HOMICIDE, T, B.MOU, P, IN_FORCE, F, F, RF, "R43", SB54),
    (K.CA_LOCAL_LE, "CA", "", F, B.WARRANT, P, None, F, F, RF, "R41", PURPOSE),
    (K.CA_LOCAL_LE, "CA", HOMICIDE, F, B.WARRANT, A, None, F, F, E, "R40", LE),
    (K.CA_STATE_LE, "CA", SVR, F, B.NONE, P, None, F, F, E, "R40", LE),
    (K.CA_STATE_LE, "CA", SVR, T, B.COURT_ORDER, P, None, F, F, RF, "R43", SB54),
    (K.CA_PROSECUTOR, "CA", TRIAL, F, B.COURT_ORDER, P, None, F, F, E, "R40", LE),
    (K.CA_PROSECUTOR, "CA", DISCOVERY, F, B.NONE, A, None, F, F, E, "R42", LE),
    (K.CA_PUBLIC_OTHER, "CA", TRAFFIC, F, B.NONE, A, None, F, F, RV, "R40", OTHER_PUBLIC),
    (K.CA_PUBLIC_OTHER, "CA", TRAFFIC, F, B.NONE, P, None, F, F, RV, "R42", OTHER_PUBLIC),
    (K.CA_PUBLIC_OTHER, "CA", TRAFFIC, T, B.NONE, A, None, F, F, RF, "R43", SB54),
    (K.CA_PUBLIC_OTHER, "CA", TRAFFIC, F, B.MOU, P, EXPIRED, F, F, RV, "R47", _expired),
    # Outside California: refused whatever agreement is cited, in force, expired or absent.
    (K.OUT_OF_STATE, "NV", ROBBERY, F, B.WARRANT, P, None, F, F, RF, "R40", NOT_PUBLIC),
    (K.OUT_OF_STATE, "NV", ROBBERY, F, B.MOU, P, IN_FORCE, F, F, RF, "R40", NOT_PUBLIC),
    (K.OUT_OF_STATE, "NV", ROBBERY, F, B.MOU, P, EXPIRED, F, F, RF, "R40", NOT_PUBLIC),
    (K.OUT_OF_STATE, "NV", ROBBERY, F, B.MOU, P, None, F, F, RF, "R40", NOT_PUBLIC),
    (K.OUT_OF_STATE, "NV", ROBBERY, F, B.MOU, P, EXPIRED, T, F, RF, "R40", NOT_PUBLIC),
    (K.OUT_OF_STATE, "NV", ABDUCTION, F, B.EXIGENT, P, None, F, T, RF, "R40", NOT_PUBLIC),
    (K.OUT_OF_STATE, "NV", ABDUCTION, F, B.EXIGENT, P, None, T, T, RV, "R44", EXCEPTION),
    (K.OUT_OF_STATE, "NV", ABDUCTION, F, B.EXIGENT, P, None, T, F, RF, "R44", DOCUMENT),
    (K.OUT_OF_STATE, "NV", HOMICIDE, F, B.COURT_ORDER, P, None, T, T, RV, "R44", EXCEPTION),
    (K.OUT_OF_STATE, "NV", HOMICIDE, F, B.COURT_ORDER, P, IN_FORCE, T, F, RF, "R44", DOCUMENT),
    (K.OUT_OF_STATE, "NV", HOMICIDE, F, B.WARRANT, P, None, T, T, RF, "R40", NOT_PUBLIC),
    (K.OUT_OF_STATE, "NV", HOMICIDE, T, B.COURT_ORDER, P, None, T, T, RF, "R43", SB54),
    (K.FEDERAL, "US", FUGITIVE, F, B.WARRANT, P, None, F, F, RF, "R40", NOT_PUBLIC),
    (K.FEDERAL, "US", TASK_FORCE, F, B.MOU, P, IN_FORCE, F, F, RF, "R40", NOT_PUBLIC),
    (K.FEDERAL, "US", TASK_FORCE, F, B.MOU, P, EXPIRED, F, F, RF, "R40", NOT_PUBLIC),
    (K.FEDERAL, "US", TASK_FORCE, F, B.MOU, A, None, F, F, RF, "R40", NOT_PUBLIC),
    (K.FEDERAL, "US", FUGITIVE, T, B.WARRANT, P, None, F, F, RF, "R43", SB54),
    (K.FEDERAL, "US", KIDNAPPING, F, B.COURT_ORDER, P, None, T, T, RV, "R44", EXCEPTION),
    (K.FEDERAL, "US", KIDNAPPING, F, B.COURT_ORDER, P, None, T, F, RF, "R44", DOCUMENT),
    (K.CA_LOCAL_LE, "NV", MISLABELLED, F, B.WARRANT, P, None, F, F, RF, "R40", NOT_PUBLIC),
    # Not a government agency: counts only, whatever agreement or order is cited.
    (K.NON_GOVERNMENT, "CA", NEWS, F, B.NONE, A, None, F, F, AG, "R45", COUNTS),
    (K.NON_GOVERNMENT, "CA", NEWS, F, B.NONE, P, None, F, F, AG, "R45", COUNTS),
    (K.NON_GOVERNMENT, "CA", INVESTIGATOR, F, B.COURT_ORDER, P, None, T, T, AG, "R45", COUNTS),
    (K.NON_GOVERNMENT, "CA", CONTRACTOR, F, B.MOU, P, IN_FORCE, F, F, AG, "R45", COUNTS),
    (K.NON_GOVERNMENT, "CA", TIP_LINE, F, B.NONE, A, None, F, F, RF, "R43", SB54),
    (K.NON_GOVERNMENT, "CA", CPRA, F, B.PUBLIC_RECORDS_REQUEST, P, None, F, F, AG, "R46", RECORDS),
    (
        K.CA_LOCAL_LE,
        "CA",
        CITY_CPRA,
        F,
        B.PUBLIC_RECORDS_REQUEST,
        P,
        None,
        F,
        F,
        AG,
        "R46",
        RECORDS,
    ),
    (K.OUT_OF_STATE, "OR", CPRA, F, B.PUBLIC_RECORDS_REQUEST, A, None, F, F, AG, "R46", RECORDS),
]

# Purposes that speak of immigration enforcement with the box left unticked: refused by SB 54,
# the phrase that matched shown as written.
IMMIGRATION_WORDS = [
    ("Assist federal immigration enforcement with a removal case", "immigration"),
    ("Locate a subject for ICE", "ICE"),
    ("CBP border investigation", "CBP"),
    ("HSI request for plates", "HSI"),
    ("Deportation of a suspect", "Deportation"),
    ("Subject has a removal order", "removal order"),
    ("Check the driver's immigration status", "immigration"),
    ("Apoyo a la migra en un operativo", "migra"),
    ("Verificar la situación migratoria del conductor", "migratoria"),
    ("Deportación de un sospechoso", "Deportación"),
    ("Caso de inmigración", "inmigración"),
    ("Orden de expulsión contra el conductor", "Orden de expulsión"),
    ("Conductor indocumentado", "indocumentado"),
    ("287(g) agreement support", "287(g)"),
    # Look-alike letters, invisible characters and compatibility forms do not hide a word.
    ("Іmmigration enforcement assist", "Іmmigration"),  # Cyrillic І
    ("Dеportation of a suspect", "Dеportation"),  # Cyrillic е
    ("Check the driver's immi\u200bgration status", "immi\u200bgration"),  # zero-width space
    ("Check the driver's immi\u00adgration status", "immi\u00adgration"),  # soft hyphen
    ("Locate a subject for ＩＣＥ", "ＩＣＥ"),  # full-width letters
    ("Locate a subject for ΙCΕ", "ΙCΕ"),  # Greek capitals
    ("Subject in removal\u00a0\u00a0proceedings", "removal\u00a0\u00a0proceedings"),
    # The statutes and the words of immigration enforcement.
    ("8 USC 1326 reentry after removal", "8 USC 1326"),
    ("Improper entry, 8 U.S.C. § 1325(a)", "8 U.S.C. § 1325"),
    ("Powers under 8 U.S.C. section 1357", "8 U.S.C. section 1357"),
    ("Hold the subject on a detainer", "detainer"),
    ("Subject found after re-entry after deportation", "re-entry after deportation"),
    ("Illegal reentry case", "Illegal reentry"),
    # The wording of removal, visas and inadmissibility, and ICE's agents in any case (R43).
    ("Subject has a final order for removal", "final order for removal"),
    ("Driver overstayed his visa", "overstayed his visa"),
    ("INA 212(a)(6) inadmissible alien", "INA 212"),
    ("Subject is an inadmissible alien", "inadmissible alien"),
    ("Assist DHS with locating a visa violator", "visa violator"),
    ("Help Ice agents", "Help Ice"),
    ("Locate the driver for ice officers", "ice officers"),
    ("Assisting ice with the subject's address", "Assisting ice"),
    ("Inadmissibility under 8 USC 1182", "8 USC 1182"),
]
ORDINARY_WORDS = [
    HOMICIDE,
    "Snow removal contractor's truck stolen",
    "Crash on black ice on Skyline Blvd",
    "Stolen vehicle recovery",
    "Robo de vehículo en Daly City",
    "Insurance fraud ring",
    "Robbery series",
    "Hit and run",
    "Missing person",
    "Vehicle theft, 18 U.S.C. 2312",
    "Human trafficking ring, 8 U.S.C. 1324",
    "Return of a prisoner under the Interstate Agreement on Detainers",
    # Words that hold the letters of "ice" or sit near the new phrases (R43).
    "Iced-over windshield, hit and run",
    "Police officers assist the victim",
    "Tracking device found on the vehicle",
    "Notice of the hearing was served",
    "Department of Justice officials asked for the reads",
    "Office of the Sheriff, Investigations",
    "Help clear ice from the crash scene",
    "Vehicle overstayed the 72-hour parking limit",
    "Visa card fraud at a gas station",
    "Det. Ina Park, burglary case 212",
    "Inadmissible evidence at the suppression hearing",
    "Restraining order for removal of firearms",
]
# Every free-text field of a request is screened, not only its purpose.
FREE_TEXT = ("purpose", "description", "offense", "requester_name", "agency_name")


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
        "document",
        "expected",
        "cites",
        "words",
    ),
    SCENARIOS,
)
def test_decision_requirement_and_reason(
    kind: AgencyKind,
    state: str,
    purpose: str,
    immigration: bool,
    basis: LegalBasis,
    requested: RequestedData,
    agreement: CitedAgreement | None,
    exception: bool,
    document: bool,
    expected: ReleaseDecisionKind,
    cites: str,
    words: object,
) -> None:
    query = ReleaseQuery(
        kind, state, purpose, immigration, basis, requested, agreement, exception, document
    )
    decision = evaluate(query)
    assert decision.decision is expected
    assert cites in decision.requirements
    said = words(query) if callable(words) else str(words)
    assert any(said in reason for reason in decision.reasons), decision.reasons
    assert decision.reasons and all(r.endswith(".") for r in decision.reasons)


@pytest.mark.parametrize(("purpose", "phrase"), IMMIGRATION_WORDS)
def test_immigration_purpose_in_words_is_refused_whatever_the_box_says(
    purpose: str, phrase: str
) -> None:
    """R43 (SB 54, Gov. Code 7284.6): with the box unticked, the words of immigration
    enforcement refuse the request, the phrase shown as written."""
    for description in ("", "Reads of 7KQM482 last week"):
        decision = evaluate(
            ReleaseQuery(K.CA_LOCAL_LE, "CA", purpose, False, B.WARRANT, P, description=description)
        )
        assert decision.decision is RF and decision.requirements == ["R43"]
        assert f'"{phrase}"' in decision.reasons[0] and SB54 in decision.reasons[0]
    in_description = evaluate(
        ReleaseQuery(K.CA_LOCAL_LE, "CA", HOMICIDE, False, B.WARRANT, P, description=purpose)
    )
    assert in_description.decision is RF and f'"{phrase}"' in in_description.reasons[0]


@pytest.mark.parametrize("field", FREE_TEXT)
@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("U.S. Immigration and Customs Enforcement", "Immigration"),
        ("Agent Doe, ICE ERO San Francisco", "ICE"),
        ("Improper entry, 8 USC 1325", "8 USC 1325"),
    ],
)
def test_every_free_text_field_is_screened_for_immigration(
    field: str, text: str, phrase: str
) -> None:
    query = replace(
        ReleaseQuery(K.CA_LOCAL_LE, "CA", HOMICIDE, False, B.WARRANT, P), **{field: text}
    )
    decision = evaluate(query)
    assert decision.decision is RF and decision.requirements == ["R43"]
    assert f'"{phrase}"' in decision.reasons[0] and SB54 in decision.reasons[0]


@pytest.mark.parametrize("purpose", ORDINARY_WORDS)
def test_ordinary_purposes_are_not_taken_for_immigration(purpose: str) -> None:
    """R43: words that hold the letters of a signal ("iced", "police", "justice") or sit near
    one (a parking limit overstayed, an order for removal of firearms) are not refused."""
    query = ReleaseQuery(K.CA_LOCAL_LE, "CA", purpose, False, B.WARRANT, P)
    decision = evaluate(query)
    assert decision.decision is E and "R43" not in decision.requirements
    for field in FREE_TEXT[1:]:
        elsewhere = evaluate(replace(query, purpose=HOMICIDE, **{field: purpose}))
        assert "R43" not in elsewhere.requirements


@pytest.mark.parametrize(
    ("kind", "name", "words"),
    [
        (K.CA_STATE_LE, "Federal Bureau of Investigation SF", "Federal"),
        (K.CA_LOCAL_LE, "FBI San Francisco Division", "FBI"),
        (K.CA_LOCAL_LE, "U.S. Marshals Service", "U.S."),
        (K.CA_LOCAL_LE, "Oregon State Police", "Oregon"),
        (K.CA_PROSECUTOR, "Washoe County District Attorney, NV", "NV"),
        (K.CA_PUBLIC_OTHER, "Nevada Department of Transportation", "Nevada"),
        (K.CA_LOCAL_LE, "Fеderal Protective Service", "Fеderal"),  # Cyrillic е
        # Federal agencies by their department, acronym or armed force, and agencies of other
        # states by a state code after a dash or a neighbouring state's city.
        (K.CA_LOCAL_LE, "DHS Office of Inspector General", "DHS"),
        (K.CA_LOCAL_LE, "U. S. Marshals", "U. S."),
        (K.CA_LOCAL_LE, "US Marshals", "US"),
        (K.CA_LOCAL_LE, "Naval Criminal Investigative Service", "Naval"),
        (K.CA_LOCAL_LE, "NCIS Southwest Field Office", "NCIS"),
        (K.CA_LOCAL_LE, "Bureau of Prisons", "Bureau of Prisons"),
        (K.CA_LOCAL_LE, "IRS Criminal Investigation", "IRS"),
        (K.CA_LOCAL_LE, "Department of Homeland Security", "Department of Homeland Security"),
        (K.CA_LOCAL_LE, "Army CID, Fort Irwin", "Army"),
        (K.CA_LOCAL_LE, "Coast Guard Investigative Service", "Coast Guard"),
        (K.CA_LOCAL_LE, "Las Vegas Metropolitan Police Department", "Las Vegas"),
        (K.CA_LOCAL_LE, "Reno PD - NV", "NV"),
        (K.CA_LOCAL_LE, "Carson City Sheriff's Office", "Carson City"),
        (K.CA_LOCAL_LE, "Phoenix Police Department", "Phoenix"),
    ],
)
def test_an_agency_named_federal_or_of_another_state_is_refused_whatever_the_register_says(
    kind: AgencyKind, name: str, words: str
) -> None:
    """R40, R44: a name that says federal or another state outweighs the register's kind and
    state; the refusal cites Civil Code 1798.90.55(b) and shows the words."""
    decision = evaluate(ReleaseQuery(kind, "CA", HOMICIDE, False, B.WARRANT, P, agency_name=name))
    assert decision.decision is RF and decision.requirements == ["R40"]
    assert NOT_PUBLIC in decision.reasons[0] and f'("{words}")' in decision.reasons[0]
    assert "Civil Code 1798.90.55(b)" in decision.reasons[0]


@pytest.mark.parametrize(
    "name",
    [
        "San Mateo County Sheriff's Office",
        "Nevada County Sheriff's Office",
        "Nevada City Police Department",
        "LA County Sheriff's Department",
        "Orange County SD",
        "USC Department of Public Safety",
        "California Department of Justice",
        "Mt. Shasta Police Department",
        # Californian names that hold a signal's letters or sit near one (R40).
        "Carson Sheriff's Station",
        "Moreno Valley Police Department",
        "California Military Department",
        "California Army National Guard",
        "California Department of Justice, Bureau of Investigation",
        "Los Angeles Police Department Detective Bureau",
        "Office of the State Fire Marshal",
        "Alameda County Office of Homeland Security",
        "Sausalito Police Department",
    ],
)
def test_california_agencies_are_not_taken_for_outside_agencies(name: str) -> None:
    """R40: a Californian name is not taken for a federal or out-of-state one."""
    decision = evaluate(
        ReleaseQuery(K.CA_LOCAL_LE, "CA", HOMICIDE, False, B.WARRANT, P, agency_name=name)
    )
    assert decision.decision is E and decision.requirements == ["R40", "R42"]


def test_every_branch_has_scenarios() -> None:
    cited = {(s[9], s[10]) for s in SCENARIOS}
    assert cited >= {
        (E, "R40"),
        (E, "R47"),
        (RV, "R47"),
        (RV, "R40"),
        (RV, "R44"),
        (RF, "R44"),
        (RF, "R40"),
        (RF, "R41"),
        (RF, "R43"),
        (AG, "R45"),
        (AG, "R46"),
    }
    assert len(SCENARIOS) >= 40
