"""The register of agencies and of the agreements to share ALPR data with them (R40, R43, R47):
who they are (kind and state, consistent with each other and with the agency's name; an
immigration enforcement agency is not registered at all), which agreement is on file, its
signed document kept by its SHA-256, when it takes effect, expires or was ended. Agreements are
never edited: an early end is its own record. Every change, and every refused one, is in the
access log.

An agency with an agreement in force may receive a hot list's alerts, so the register is kept by
the records desk (``agencies.manage``), which no role that sets where alerts go
(``hotlists.manage``) holds: the ALPR Administrator reads it, and cannot make an agency eligible
and then send alerts to it alone (R04)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from alpr.data.models import Agency, AgencyKind, AgreementEnding, AgreementKind, SharingAgreement
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind, one_of
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.releases.immigration import immigration_phrase
from alpr.governance.releases.jurisdiction import outside_california
from alpr.governance.releases.labels import AGENCY_KINDS, AGREEMENT_KINDS, STATES
from alpr.governance.releases.rules import SB54, CitedAgreement
from alpr.governance.runtime import Runtime

CALIFORNIA_KINDS = {
    AgencyKind.CA_LOCAL_LE,
    AgencyKind.CA_STATE_LE,
    AgencyKind.CA_PROSECUTOR,
    AgencyKind.CA_PUBLIC_OTHER,
}
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
EDIT = Permission.MANAGE_AGENCIES
READ = (
    Permission.MANAGE_AGENCIES,
    Permission.FILE_RELEASES,
    Permission.APPROVE_RELEASES,
    Permission.MANAGE_HOTLISTS,  # whoever sets webhooks sees the agencies they are weighed against
)


@dataclass(frozen=True)
class AgencyView:
    id: int
    name: str
    kind: AgencyKind
    kind_label: str
    state: str
    state_label: str
    contact: str | None
    agreement: str | None  # the agreement in force today in words, or the last one and why not


@dataclass(frozen=True)
class AgreementView:
    id: int
    agency: str
    kind: AgreementKind
    kind_label: str
    title: str
    scope: str
    starts_on: date
    ends_on: date | None
    ended_on: date | None
    end_reason: str | None
    in_force: bool
    standing: str
    document_filename: str | None
    document_sha256: str | None


def _check_state(kind: AgencyKind, state: str) -> str:
    code = state.strip().upper()
    if code not in STATES:
        raise InvalidInput(f"{state!r} is not a state: use its two-letter code, e.g. CA, NV, US")
    if kind in CALIFORNIA_KINDS and code != "CA":
        raise InvalidInput(f"{AGENCY_KINDS[kind]}: the state is CA")
    if kind is AgencyKind.OUT_OF_STATE and code in ("CA", "US"):
        raise InvalidInput("an agency outside California names its state, e.g. NV or OR")
    if kind is AgencyKind.FEDERAL and code != "US":
        raise InvalidInput("a federal agency's state is US")
    return code


def _check_name(name: str, kind: AgencyKind) -> None:
    """Refuse an immigration enforcement agency whatever its kind, and a California kind for an
    agency whose name says it is federal or of another state."""
    phrase = immigration_phrase(name)
    if phrase is not None:
        raise Refusal(
            RefusalKind.RULE,
            f'{SB54} The agency\'s name speaks of immigration enforcement ("{phrase}"), so it '
            "is not registered to receive ALPR data.",
        )
    words = outside_california(name)
    if kind in CALIFORNIA_KINDS and words is not None:
        raise Refusal(
            RefusalKind.RULE,
            f'Refused: the agency\'s name says it is federal or outside California ("{words}"), '
            f"but it was given the kind {AGENCY_KINDS[kind].lower()}. ALPR data is shared only "
            "with California state or local public agencies (Civil Code 1798.90.55(b)), so "
            "the register's kind must match what the name says: register it as a federal "
            "agency (state US) or as an agency outside California with its state.",
        )


def named_agency(session: Session, name: str) -> Agency:
    agency = session.execute(select(Agency).where(Agency.name == name.strip())).scalar_one_or_none()
    if agency is None:
        raise InvalidInput(f"no agency named {name!r}; add it to the register first")
    return agency


def add_agency(
    rt: Runtime,
    *,
    actor: Principal | None,
    name: str,
    kind: str,
    state: str,
    contact: str | None = None,
) -> AgencyView:
    """Add an agency the department deals with; its kind and state decide what the law lets
    it receive. A name that contradicts its kind, or an immigration enforcement agency, is
    refused and the refusal recorded."""
    clean = " ".join(name.split())
    if not clean:
        raise InvalidInput("the agency's name is required")
    if len(clean) > 200:
        raise InvalidInput("the agency's name is at most 200 characters")
    chosen = one_of(AgencyKind, kind, "a kind of agency")
    code = _check_state(chosen, state)

    def run(session: Session, _who: Actor) -> Done[AgencyView]:
        _check_name(clean, chosen)
        if session.execute(select(Agency.id).where(Agency.name == clean)).first():
            raise InvalidInput(f"{clean!r} is already in the register")
        agency = Agency(
            name=clean,
            kind=chosen,
            state=code,
            contact=(contact or "").strip() or None,
            created_at=rt.now(),
        )
        session.add(agency)
        session.flush()
        return Done(
            _agency_view(session, agency, _today(rt)),
            detail=f"agency added: {clean} ({AGENCY_KINDS[chosen]}, {code})",
        )

    return administered(rt, Act(actor, EDIT, Event.REGISTRY_CHANGE, f"add agency {clean}"), run)


def _today(rt: Runtime) -> date:
    return rt.now().astimezone(rt.settings.tz).date()


def _standing(agreement: SharingAgreement, ending: AgreementEnding | None, today: date) -> str:
    if ending is not None and ending.ended_on <= today:
        return f"was ended on {ending.ended_on.isoformat()} ({ending.reason})"
    if agreement.starts_on > today:
        return f"takes effect on {agreement.starts_on.isoformat()}"
    ends_on = agreement.ends_on
    if ending is not None and (ends_on is None or ending.ended_on < ends_on):
        ends_on = ending.ended_on
    if ends_on is not None and ends_on < today:
        return f"expired on {ends_on.isoformat()}"
    if ends_on is None:
        return "in force with no expiry date"
    return f"in force until {ends_on.isoformat()}"


def _in_force(agreement: SharingAgreement, ending: AgreementEnding | None, today: date) -> bool:
    return _standing(agreement, ending, today).startswith("in force")


def _endings(session: Session, ids: list[int]) -> dict[int, AgreementEnding]:
    if not ids:
        return {}
    return {
        e.agreement_id: e
        for e in session.execute(
            select(AgreementEnding).where(AgreementEnding.agreement_id.in_(ids))
        ).scalars()
    }


def cited_agreement(
    session: Session, *, agency_id: int, today: date, agreement_id: int | None = None
) -> CitedAgreement | None:
    """The agreement a request from this agency relies on: the one named, else the one in
    force today, else the latest on file (so that an expired one is named); None if the agency
    has none."""
    query = select(SharingAgreement).where(SharingAgreement.agency_id == agency_id)
    if agreement_id is not None:
        query = query.where(SharingAgreement.id == agreement_id)
    agreements = list(session.execute(query.order_by(SharingAgreement.starts_on)).scalars())
    if agreement_id is not None and not agreements:
        raise InvalidInput(f"agreement {agreement_id} is not one of this agency's agreements")
    endings = _endings(session, [a.id for a in agreements])
    ranked = sorted(
        agreements,
        key=lambda a: (_in_force(a, endings.get(a.id), today), a.starts_on, a.id),
    )
    if not ranked:
        return None
    chosen = ranked[-1]
    ending = endings.get(chosen.id)
    return CitedAgreement(
        chosen.id,
        chosen.title,
        _in_force(chosen, ending, today),
        _standing(chosen, ending, today),
    )


def _in_words(cited: CitedAgreement | None) -> str | None:
    if cited is None:
        return None
    if cited.in_force:
        return f"{cited.title}, {cited.standing}"
    return f"None in force: {cited.title}, {cited.standing}"


def _agency_view(session: Session, agency: Agency, today: date) -> AgencyView:
    cited = cited_agreement(session, agency_id=agency.id, today=today)
    return AgencyView(
        agency.id,
        agency.name,
        agency.kind,
        AGENCY_KINDS[agency.kind],
        agency.state,
        STATES.get(agency.state, agency.state),
        agency.contact,
        _in_words(cited),
    )


def list_agencies(rt: Runtime, *, actor: Principal | None) -> list[AgencyView]:
    """Every agency but the department itself, by name."""

    def run(session: Session, _who: Actor) -> Done[list[AgencyView]]:
        agencies = session.execute(
            select(Agency).where(Agency.is_home.is_(False)).order_by(Agency.name)
        ).scalars()
        return Done([_agency_view(session, a, _today(rt)) for a in agencies])

    return administered(
        rt, Act(actor, READ, Event.REGISTRY_CHANGE, "list the agencies", view=True), run
    )


def document_path(rt: Runtime, sha256: str, filename: str) -> Path:
    return rt.settings.data_dir / "agreements" / f"{sha256}-{Path(filename).name}"


def add_agreement(
    rt: Runtime,
    *,
    actor: Principal | None,
    agency_name: str,
    kind: str,
    title: str,
    scope: str,
    starts_on: date,
    ends_on: date | None,
    document_name: str,
    document: bytes,
) -> AgreementView:
    """Record an agreement with its signed document; the document is kept under the data
    folder by its SHA-256 and the hash is recorded with the agreement."""
    chosen = one_of(AgreementKind, kind, "a kind of agreement")
    if not title.strip():
        raise InvalidInput("the agreement's title is required")
    if not scope.strip():
        raise InvalidInput("say what the agreement covers (its scope)")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput("the agreement cannot expire before it takes effect")
    if not document:
        raise InvalidInput("attach the signed agreement: the document file is empty")
    if len(document) > MAX_DOCUMENT_BYTES:
        raise InvalidInput("the document is larger than 50 MB")
    name = Path(document_name).name or "agreement"
    digest = hashlib.sha256(document).hexdigest()
    path = document_path(rt, digest, name)

    def run(session: Session, who: Actor) -> Done[AgreementView]:
        agency = named_agency(session, agency_name)
        if agency.is_home:
            raise InvalidInput("an agreement is with another agency, not the department itself")
        agreement = SharingAgreement(
            agency_id=agency.id,
            kind=chosen,
            title=title.strip(),
            scope=scope.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            document_sha256=digest,
            document_filename=name,
            recorded_by_id=who.user_id,
            recorded_at=rt.now(),
        )
        session.add(agreement)
        session.flush()
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():  # the document is kept by its hash: the same bytes, one file
            path.write_bytes(document)
        return Done(
            _agreement_view(agreement, agency.name, None, _today(rt)),
            detail=f"agreement {agreement.id} recorded with {agency.name}: {agreement.title} "
            f"({AGREEMENT_KINDS[chosen]}, {starts_on.isoformat()} to "
            f"{ends_on.isoformat() if ends_on else 'no expiry'}; document sha256 {digest})",
        )

    return administered(
        rt, Act(actor, EDIT, Event.REGISTRY_CHANGE, f"record an agreement with {agency_name}"), run
    )


def end_agreement(
    rt: Runtime, *, actor: Principal | None, agreement_id: int, ended_on: date, reason: str
) -> AgreementView:
    """End an agreement early (it is never edited or deleted: the ending is its own record)."""
    if not reason.strip():
        raise InvalidInput("say why the agreement ends")

    def run(session: Session, who: Actor) -> Done[AgreementView]:
        agreement = session.get(SharingAgreement, agreement_id)
        if agreement is None:
            raise InvalidInput(f"no agreement {agreement_id}")
        if _endings(session, [agreement_id]):
            raise Refusal(RefusalKind.RULE, f"Agreement {agreement_id} has already been ended.")
        if ended_on < agreement.starts_on:
            raise InvalidInput("an agreement cannot end before it takes effect")
        ending = AgreementEnding(
            agreement_id=agreement_id,
            ended_on=ended_on,
            reason=reason.strip(),
            ended_by_id=who.user_id,
            ended_by=who.name,
            recorded_at=rt.now(),
        )
        session.add(ending)
        session.flush()
        agency = session.get(Agency, agreement.agency_id)
        assert agency is not None
        return Done(
            _agreement_view(agreement, agency.name, ending, _today(rt)),
            detail=f"agreement {agreement_id} with {agency.name} ended on "
            f"{ended_on.isoformat()}: {reason.strip()}",
        )

    return administered(
        rt, Act(actor, EDIT, Event.REGISTRY_CHANGE, f"end agreement {agreement_id}"), run
    )


def _agreement_view(
    agreement: SharingAgreement, agency: str, ending: AgreementEnding | None, today: date
) -> AgreementView:
    return AgreementView(
        agreement.id,
        agency,
        agreement.kind,
        AGREEMENT_KINDS[agreement.kind],
        agreement.title,
        agreement.scope,
        agreement.starts_on,
        agreement.ends_on,
        ending.ended_on if ending else None,
        ending.reason if ending else None,
        _in_force(agreement, ending, today),
        _standing(agreement, ending, today),
        agreement.document_filename,
        agreement.document_sha256,
    )


def list_agreements(
    rt: Runtime, *, actor: Principal | None, agency_name: str | None = None
) -> list[AgreementView]:
    """Agreements on file (of one agency if named), each with where it stands today."""

    def run(session: Session, _who: Actor) -> Done[list[AgreementView]]:
        query = select(SharingAgreement, Agency.name).join(
            Agency, Agency.id == SharingAgreement.agency_id
        )
        if agency_name:
            query = query.where(Agency.id == named_agency(session, agency_name).id)
        rows = session.execute(query.order_by(Agency.name, SharingAgreement.starts_on)).all()
        endings = _endings(session, [a.id for a, _ in rows])
        return Done([_agreement_view(a, name, endings.get(a.id), _today(rt)) for a, name in rows])

    return administered(
        rt, Act(actor, READ, Event.REGISTRY_CHANGE, "list the agreements", view=True), run
    )


def agreement_document(rt: Runtime, *, actor: Principal, agreement_id: int) -> tuple[str, bytes]:
    """The signed document of an agreement, refused if it no longer matches the SHA-256
    recorded with it."""

    def run(session: Session, _who: Actor) -> Done[tuple[str, bytes]]:
        agreement = session.get(SharingAgreement, agreement_id)
        if agreement is None or not agreement.document_sha256 or not agreement.document_filename:
            raise InvalidInput(f"agreement {agreement_id} has no document on file")
        path = document_path(rt, agreement.document_sha256, agreement.document_filename)
        if not path.is_file():
            raise InvalidInput(f"the document of agreement {agreement_id} is missing from {path}")
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != agreement.document_sha256:
            raise Refusal(
                RefusalKind.RULE,
                f"The document of agreement {agreement_id} no longer matches the SHA-256 "
                "recorded with it; it was changed after it was recorded.",
            )
        return Done((agreement.document_filename, data))

    return administered(
        rt,
        Act(actor, READ, Event.REGISTRY_CHANGE, f"open agreement {agreement_id}'s document", True),
        run,
    )
