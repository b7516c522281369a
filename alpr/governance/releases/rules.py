"""The rules engine for requests for ALPR data: one table of rules, each citing the
requirement it enforces, with reasons written for a records clerk to forward.

Civil Code 1798.90.55 and the Attorney General's bulletin 2023-DLE-06: share only with
California state or local public agencies; SB 54: nothing for immigration enforcement."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alpr.data.models import AgencyKind, LegalBasis, ReleaseDecisionKind, RequestedData

CA_LAW_ENFORCEMENT = {AgencyKind.CA_LOCAL_LE, AgencyKind.CA_STATE_LE, AgencyKind.CA_PROSECUTOR}
OUTSIDE_CALIFORNIA = {AgencyKind.OUT_OF_STATE, AgencyKind.FEDERAL}
SEVERITY = {
    ReleaseDecisionKind.ELIGIBLE: 0,
    ReleaseDecisionKind.REVIEW: 1,
    ReleaseDecisionKind.AGGREGATE_ONLY: 2,
    ReleaseDecisionKind.REFUSED: 3,
}


@dataclass(frozen=True)
class ReleaseQuery:
    agency_kind: AgencyKind
    agency_state: str
    purpose: str
    immigration_related: bool
    legal_basis: LegalBasis
    requested: RequestedData
    agreement_current: bool | None = None  # None: no agreement on file
    allow_out_of_state_exception: bool = False

    @property
    def in_california(self) -> bool:
        return self.agency_state.upper() == "CA" and self.agency_kind not in OUTSIDE_CALIFORNIA


@dataclass(frozen=True)
class Rule:
    requirement: str
    applies: Callable[[ReleaseQuery], bool]
    decision: ReleaseDecisionKind
    reason: str
    final: bool = False


def _exception_allowed(q: ReleaseQuery) -> bool:
    return q.allow_out_of_state_exception and q.legal_basis in (
        LegalBasis.EXIGENT,
        LegalBasis.COURT_ORDER,
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "R43",
        lambda q: q.immigration_related,
        ReleaseDecisionKind.REFUSED,
        "Refused: California law (SB 54, Gov. Code 7284.6) forbids sharing ALPR data for "
        "immigration enforcement, whoever asks and on whatever basis.",
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
        "Requester is not a law enforcement or prosecutorial agency: only the number of "
        "plates read in a period at a place and the number of hits for a specific offense "
        "can be released, never plate numbers or images.",
        final=True,
    ),
    Rule(
        "R40",
        lambda q: not q.in_california and not _exception_allowed(q),
        ReleaseDecisionKind.REFUSED,
        "Refused: California law allows sharing ALPR data only with California state or "
        "local public agencies; out-of-state and federal agencies are not public agencies "
        "under Civil Code 1798.90.5.",
        final=True,
    ),
    Rule(
        "R44",
        lambda q: not q.in_california and _exception_allowed(q),
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
        lambda q: q.legal_basis is LegalBasis.MOU and not q.agreement_current,
        ReleaseDecisionKind.REVIEW,
        "The request relies on a sharing agreement that is absent or expired: review the "
        "agreement before release.",
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
        reasons.append(rule.reason)
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


def evaluate_description(
    data: dict[str, object], *, allow_out_of_state_exception: bool
) -> Decision:
    """Evaluate a request described in JSON (``alpr releases evaluate``); bad fields are
    reported by name."""
    try:
        query = ReleaseQuery(
            agency_kind=AgencyKind(str(data["agency_kind"])),
            agency_state=str(data.get("agency_state") or "CA"),
            purpose=str(data.get("purpose") or ""),
            immigration_related=_flag(data.get("immigration_related", False)),
            legal_basis=LegalBasis(str(data.get("legal_basis") or "none")),
            requested=RequestedData(str(data.get("requested") or "plate_level")),
            agreement_current=(
                None if data.get("agreement_current") is None else _flag(data["agreement_current"])
            ),
            allow_out_of_state_exception=allow_out_of_state_exception,
        )
    except KeyError as exc:
        raise ValueError(f"the request lacks {exc.args[0]}") from None
    return evaluate(query)


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{value!r} must be true or false")
    return value
