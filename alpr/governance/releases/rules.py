"""The rules engine for requests for ALPR data: one table of rules, each citing the
requirement it enforces, with reasons written for a records clerk to forward.

Civil Code 1798.90.55 and the Attorney General's bulletin 2023-DLE-06: share only with
California state or local public agencies, and an agency whose name says it is federal or of
another state is treated as such whatever the register says; SB 54: nothing for immigration
enforcement, whatever the request's box says (its free text, the requester's and the agency's
names are screened in words). Out-of-state, federal and
non-government requesters never receive plate-level data on the strength of an agreement; the
narrow exception (an exigent circumstance or a court order) exists only where the agency's policy
allows it, and only with the document attached."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alpr.data.models import AgencyKind, LegalBasis, ReleaseDecisionKind, RequestedData
from alpr.governance.releases.immigration import immigration_phrase
from alpr.governance.releases.jurisdiction import outside_california

CA_LAW_ENFORCEMENT = {AgencyKind.CA_LOCAL_LE, AgencyKind.CA_STATE_LE, AgencyKind.CA_PROSECUTOR}
OUTSIDE_CALIFORNIA = {AgencyKind.OUT_OF_STATE, AgencyKind.FEDERAL}
EXCEPTION_BASES = {LegalBasis.EXIGENT, LegalBasis.COURT_ORDER}
SEVERITY = {
    ReleaseDecisionKind.ELIGIBLE: 0,
    ReleaseDecisionKind.REVIEW: 1,
    ReleaseDecisionKind.AGGREGATE_ONLY: 2,
    ReleaseDecisionKind.REFUSED: 3,
}
SB54 = (
    "Refused: California law (SB 54, Gov. Code 7284.6) forbids sharing ALPR data for "
    "immigration enforcement, whoever asks and on whatever basis."
)


@dataclass(frozen=True)
class CitedAgreement:
    """The sharing agreement a request relies on, as it stands on the day of the decision."""

    id: int
    title: str
    in_force: bool
    standing: str  # e.g. "in force until 2027-06-30", "expired on 2025-12-31"


@dataclass(frozen=True)
class ReleaseQuery:
    agency_kind: AgencyKind
    agency_state: str
    purpose: str
    immigration_related: bool
    legal_basis: LegalBasis
    requested: RequestedData
    agreement: CitedAgreement | None = None  # None: no agreement on file
    allow_out_of_state_exception: bool = False
    exception_document: bool = False  # the court order or exigency record is attached
    description: str = ""
    requester_name: str = ""
    agency_name: str = ""  # "": no agency from the register
    offense: str = ""

    @property
    def named_outside_california(self) -> str | None:
        """The words of the agency's name that say it is federal or of another state."""
        return outside_california(self.agency_name)

    @property
    def registered_in_california(self) -> bool:
        return self.agency_state.upper() == "CA" and self.agency_kind not in OUTSIDE_CALIFORNIA

    @property
    def in_california(self) -> bool:
        return self.registered_in_california and self.named_outside_california is None

    @property
    def immigration_phrase(self) -> str | None:
        return immigration_phrase(
            self.purpose, self.description, self.offense, self.requester_name, self.agency_name
        )

    @property
    def exception_claimed(self) -> bool:
        return self.allow_out_of_state_exception and self.legal_basis in EXCEPTION_BASES


Reason = str | Callable[[ReleaseQuery], str]


@dataclass(frozen=True)
class Rule:
    requirement: str
    applies: Callable[[ReleaseQuery], bool]
    decision: ReleaseDecisionKind
    reason: Reason
    final: bool = False

    def reason_for(self, query: ReleaseQuery) -> str:
        return self.reason if isinstance(self.reason, str) else self.reason(query)


def _immigration(q: ReleaseQuery) -> str:
    phrase = q.immigration_phrase
    if phrase is None:
        return SB54
    return f'{SB54} The request speaks of immigration enforcement: "{phrase}".'


def _whatever_agreement(q: ReleaseQuery) -> str:
    reason = (
        "Refused: California law allows sharing ALPR data only with California state or "
        "local public agencies (Civil Code 1798.90.55(b)); out-of-state and federal agencies "
        "are not public agencies under Civil Code 1798.90.5."
    )
    if q.registered_in_california:
        reason += (
            " The agency's name says it is federal or outside California "
            f'("{q.named_outside_california}"), whatever kind and state the register gives it.'
        )
    if q.agreement is not None:
        reason += f" The agreement on file ('{q.agreement.title}') does not change this."
    return reason


def _agreement_missing(q: ReleaseQuery) -> str:
    if q.agreement is None:
        return (
            "The request relies on a sharing agreement, but none is on file for this agency: "
            "record the agreement, or review the request on another basis."
        )
    return (
        f"The request relies on '{q.agreement.title}', which {q.agreement.standing}: review "
        "the agreement before release."
    )


def _agreement_cited(q: ReleaseQuery) -> str:
    assert q.agreement is not None
    return f"The release relies on '{q.agreement.title}', {q.agreement.standing}."


RULES: tuple[Rule, ...] = (
    Rule(
        "R43",
        lambda q: q.immigration_related or q.immigration_phrase is not None,
        ReleaseDecisionKind.REFUSED,
        _immigration,
        final=True,
    ),
    Rule(
        "R46",
        lambda q: q.legal_basis is LegalBasis.PUBLIC_RECORDS_REQUEST,
        ReleaseDecisionKind.AGGREGATE_ONLY,
        "Public records request: routed to the Records Manager. ALPR data is not open to "
        "public review; at most aggregate counts can be released (no plates, no images).",
        final=True,
    ),
    Rule(
        "R45",
        lambda q: q.agency_kind is AgencyKind.NON_GOVERNMENT,
        ReleaseDecisionKind.AGGREGATE_ONLY,
        "Requester is not a law enforcement or prosecutorial agency: plate numbers and images "
        "are refused whatever agreement or order is cited; only the number of plates read in "
        "a period at a place and the number of hits for a specific offense can be released.",
        final=True,
    ),
    Rule(
        "R40",
        lambda q: not q.in_california and not q.exception_claimed,
        ReleaseDecisionKind.REFUSED,
        _whatever_agreement,
        final=True,
    ),
    Rule(
        "R44",
        lambda q: not q.in_california and q.exception_claimed and not q.exception_document,
        ReleaseDecisionKind.REFUSED,
        "Refused until the court order or the record of the exigent circumstance is attached: "
        "the department's policy allows release outside California only on that document.",
        final=True,
    ),
    Rule(
        "R44",
        lambda q: not q.in_california and q.exception_claimed and q.exception_document,
        ReleaseDecisionKind.REVIEW,
        "Agency outside California: the department's policy allows release only because an "
        "exigent circumstance or a court order is documented; the commander must review it.",
    ),
    Rule(
        "R40",
        lambda q: q.agency_kind is AgencyKind.CA_PUBLIC_OTHER,
        ReleaseDecisionKind.REVIEW,
        "California public agency outside law enforcement: sharing only as permitted by law; "
        "the commander must confirm the legal authority before release.",
    ),
    Rule(
        "R41",
        lambda q: q.in_california and not q.purpose.strip(),
        ReleaseDecisionKind.REFUSED,
        "Refused until the request states its intended purpose.",
        final=True,
    ),
    Rule(
        "R47",
        lambda q: (
            q.legal_basis is LegalBasis.MOU and (q.agreement is None or not q.agreement.in_force)
        ),
        ReleaseDecisionKind.REVIEW,
        _agreement_missing,
    ),
    Rule(
        "R47",
        lambda q: (
            q.legal_basis is LegalBasis.MOU and q.agreement is not None and q.agreement.in_force
        ),
        ReleaseDecisionKind.ELIGIBLE,
        _agreement_cited,
    ),
    Rule(
        "R40",
        lambda q: q.in_california and q.agency_kind in CA_LAW_ENFORCEMENT,
        ReleaseDecisionKind.ELIGIBLE,
        "California law enforcement agency or prosecutor with an official purpose: may be "
        "released once the commander approves.",
    ),
)


@dataclass(frozen=True)
class Decision:
    decision: ReleaseDecisionKind
    reasons: list[str]
    requirements: list[str]


def evaluate(query: ReleaseQuery) -> Decision:
    """Apply every rule in order; the strictest decision wins, a final rule stops the rest.
    Anything the rules do not allow is refused (deny by default)."""
    decision: ReleaseDecisionKind | None = None
    reasons: list[str] = []
    requirements: list[str] = []
    for rule in RULES:
        if not rule.applies(query):
            continue
        if decision is None or SEVERITY[rule.decision] > SEVERITY[decision]:
            decision = rule.decision
        reasons.append(rule.reason_for(query))
        requirements.append(rule.requirement)
        if rule.final:
            break
    if decision is None:
        return Decision(
            ReleaseDecisionKind.REFUSED,
            ["Refused: no rule allows this release (deny by default)."],
            ["R40"],
        )
    if decision in (ReleaseDecisionKind.ELIGIBLE, ReleaseDecisionKind.REVIEW):
        reasons.append(
            "Nothing is released before the commander or designee approves the "
            "request; the approved request is kept on file."
        )
        requirements.append("R42")
    return Decision(decision, reasons, list(dict.fromkeys(requirements)))
