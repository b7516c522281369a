"""The register of agencies and agreements on both databases (R40, R43, R47): kinds and states
in words and consistent with each other and with the agency's name, no immigration enforcement
agency registered whatever its kind, agreements kept with their document's SHA-256, ended by a
record of their own and never edited, each change in the access log."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from alpr.data.models import AccessRecord
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.permissions import ROLE_CATALOGUE, Permission
from alpr.governance.releases import registry
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser

MOU = b"%PDF-1.7 signed memorandum of understanding"


def _agreement(rt: Runtime, **changes: object) -> registry.AgreementView:
    given: dict[str, object] = {
        "actor": None,
        "agency_name": "San Mateo County Sheriff's Office",
        "kind": "mou",
        "title": "County ALPR data sharing MOU",
        "scope": "Reads for criminal investigations",
        "starts_on": date(2025, 7, 1),
        "ends_on": date(2027, 6, 30),
        "document_name": "mou.pdf",
        "document": MOU,
    }
    given.update(changes)
    return registry.add_agreement(rt, **given)  # type: ignore[arg-type]


def test_agencies_are_registered_with_their_kind_and_state_in_words(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    clerk = make_user("nguyen", "records_clerk").principal
    view = registry.add_agency(
        rt, actor=clerk, name="  San Mateo County  Sheriff's Office", kind="ca_local_le", state="ca"
    )
    assert view.name == "San Mateo County Sheriff's Office"
    assert (
        view.kind_label == "California local law enforcement" and view.state_label == "California"
    )
    registry.add_agency(
        rt, actor=None, name="Reno Police Department", kind="out_of_state", state="NV"
    )
    names = [a.name for a in registry.list_agencies(rt, actor=clerk)]
    assert names == ["Reno Police Department", "San Mateo County Sheriff's Office"]
    with rt.transaction() as session:
        record = (
            session.execute(select(AccessRecord).where(AccessRecord.event == "registry_change"))
            .scalars()
            .first()
        )
    assert record is not None and record.username == "nguyen"
    assert "San Mateo County Sheriff's Office" in (record.detail or "")


@pytest.mark.parametrize(
    ("kind", "state", "message"),
    [
        ("ca_local_le", "NV", "^California local law enforcement: the state is CA$"),
        ("federal", "CA", "state is US"),
        ("out_of_state", "CA", "names its state"),
        ("county_sheriff", "CA", "not a kind of agency"),
        ("ca_local_le", "Cal", "not a state"),
    ],
)
def test_a_kind_and_a_state_that_disagree_are_refused(
    rt: Runtime, kind: str, state: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        registry.add_agency(rt, actor=None, name="Somewhere PD", kind=kind, state=state)
    assert registry.list_agencies(rt, actor=None) == []


def _refused_registrations(rt: Runtime) -> list[str]:
    with rt.transaction() as session:
        return [
            r.detail or ""
            for r in session.execute(
                select(AccessRecord).where(
                    AccessRecord.event == "registry_change", AccessRecord.outcome == "refused"
                )
            ).scalars()
        ]


@pytest.mark.parametrize(
    ("name", "kind", "words", "right_kind", "right_state"),
    [
        ("Federal Bureau of Investigation SF", "ca_state_le", "Federal", "federal", "US"),
        ("FBI San Francisco Division", "ca_local_le", "FBI", "federal", "US"),
        ("U.S. Marshals Service", "ca_public_other", "U.S.", "federal", "US"),
        ("Oregon State Police", "ca_local_le", "Oregon", "out_of_state", "OR"),
        ("Washoe County Sheriff's Office, NV", "ca_prosecutor", "NV", "out_of_state", "NV"),
        ("DHS Office of Inspector General", "ca_local_le", "DHS", "federal", "US"),
        ("U. S. Marshals", "ca_local_le", "U. S.", "federal", "US"),
        ("Naval Criminal Investigative Service", "ca_local_le", "Naval", "federal", "US"),
        ("Bureau of Prisons", "ca_local_le", "Bureau of Prisons", "federal", "US"),
        (
            "Las Vegas Metropolitan Police Department",
            "ca_local_le",
            "Las Vegas",
            "out_of_state",
            "NV",
        ),
        ("Reno PD - NV", "ca_local_le", "NV", "out_of_state", "NV"),
    ],
)
def test_a_name_that_says_federal_or_another_state_is_refused_a_california_kind(
    rt: Runtime,
    make_user: Callable[..., TestUser],
    name: str,
    kind: str,
    words: str,
    right_kind: str,
    right_state: str,
) -> None:
    """R40, R44: a records clerk cannot register a federal or out-of-state agency as California
    police (Civil Code 1798.90.55(b)); the refusal is logged and the right kind is accepted."""
    clerk = make_user("nguyen", "records_clerk").principal
    with pytest.raises(Refusal) as refused:
        registry.add_agency(rt, actor=clerk, name=name, kind=kind, state="CA")
    assert refused.value.kind is RefusalKind.RULE
    assert f'("{words}")' in refused.value.message
    assert "must match what the name says" in refused.value.message
    assert "Civil Code 1798.90.55(b)" in refused.value.message
    assert registry.list_agencies(rt, actor=clerk) == []
    [logged] = _refused_registrations(rt)
    assert name in logged and "must match what the name says" in logged
    added = registry.add_agency(rt, actor=clerk, name=name, kind=right_kind, state=right_state)
    assert (added.kind.value, added.state) == (right_kind, right_state)


@pytest.mark.parametrize(
    "name",
    [
        "Nevada County Sheriff's Office",
        "LA County Sheriff's Department",
        "USC Department of Public Safety",
        "California Department of Justice",
        "Carson Sheriff's Station",
        "Moreno Valley Police Department",
        "California Military Department",
    ],
)
def test_california_names_are_registered_with_a_california_kind(rt: Runtime, name: str) -> None:
    assert registry.add_agency(rt, actor=None, name=name, kind="ca_local_le", state="CA")


@pytest.mark.parametrize(
    ("name", "kind", "state", "phrase"),
    [
        (
            "U.S. Immigration and Customs Enforcement - San Francisco Field Office",
            "ca_local_le",
            "CA",
            "Immigration",
        ),
        ("U.S. Immigration and Customs Enforcement", "federal", "US", "Immigration"),
        ("Іmmigration and Customs Enforcement", "federal", "US", "Іmmigration"),  # Cyrillic І
        ("ICE Enforcement and Removal Operations", "non_government", "CA", "ICE"),
        ("Customs and Border Protection", "out_of_state", "AZ", "Customs and Border Protection"),
    ],
)
def test_an_immigration_agency_is_refused_whatever_its_kind(
    rt: Runtime, make_user: Callable[..., TestUser], name: str, kind: str, state: str, phrase: str
) -> None:
    clerk = make_user("nguyen", "records_clerk").principal
    with pytest.raises(Refusal, match="SB 54") as refused:
        registry.add_agency(rt, actor=clerk, name=name, kind=kind, state=state)
    assert refused.value.kind is RefusalKind.RULE and f'("{phrase}")' in refused.value.message
    assert registry.list_agencies(rt, actor=clerk) == []
    [logged] = _refused_registrations(rt)
    assert "SB 54" in logged


def test_only_the_records_desk_keeps_the_register(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    detective = make_user("rivera", "investigator").principal
    with pytest.raises(Refusal) as refused:
        registry.add_agency(rt, actor=detective, name="X PD", kind="ca_local_le", state="CA")
    assert refused.value.kind is RefusalKind.PERMISSION
    with pytest.raises(Refusal):
        registry.list_agencies(rt, actor=detective)
    clerk = make_user("nguyen", "records_clerk").principal
    registry.add_agency(rt, actor=clerk, name="X PD", kind="ca_local_le", state="CA")
    with pytest.raises(InvalidInput, match="already in the register"):
        registry.add_agency(rt, actor=clerk, name="X PD", kind="ca_local_le", state="CA")


SETS_WEBHOOKS = [
    r.code.value for r in ROLE_CATALOGUE if Permission.MANAGE_HOTLISTS in r.permissions
]


def test_no_role_that_sets_webhooks_keeps_the_register() -> None:
    """R04: the register of agencies and agreements is the records desk's alone, and no role
    that chooses where a hot list's alerts go keeps it."""
    assert SETS_WEBHOOKS
    keepers = [r.code.value for r in ROLE_CATALOGUE if Permission.MANAGE_AGENCIES in r.permissions]
    assert keepers == ["records_clerk"]


@pytest.mark.parametrize("role", SETS_WEBHOOKS)
def test_a_role_that_sets_webhooks_cannot_add_an_agency_or_an_agreement(
    rt: Runtime, make_user: Callable[..., TestUser], role: str
) -> None:
    """R04, R40, R47: an agency with an agreement in force may receive a hot list's alerts,
    so whoever sets where alerts go (the ALPR Administrator) cannot add an agency, nor record
    or end an agreement: each attempt is refused for want of the permission, recorded, and
    changes nothing; the register stays readable to them. Fails if the role may keep it."""
    registry.add_agency(
        rt, actor=None, name="San Mateo County Sheriff's Office", kind="ca_local_le", state="CA"
    )
    kept = _agreement(rt)
    setter = make_user("okafor", role).principal
    attempts: list[Callable[[], object]] = [
        lambda: registry.add_agency(
            rt, actor=setter, name="Pacifica Police Department", kind="ca_local_le", state="CA"
        ),
        lambda: _agreement(rt, actor=setter, title="A second MOU"),
        lambda: registry.end_agreement(
            rt, actor=setter, agreement_id=kept.id, ended_on=date(2026, 1, 1), reason="Ended"
        ),
    ]
    for attempt in attempts:
        with pytest.raises(Refusal) as refused:
            attempt()
        assert refused.value.kind is RefusalKind.PERMISSION
    assert [a.name for a in registry.list_agencies(rt, actor=setter)] == [
        "San Mateo County Sheriff's Office"
    ]
    [shown] = registry.list_agreements(rt, actor=setter)
    assert (shown.id, shown.ended_on) == (kept.id, None)
    with rt.transaction() as session:
        refusals = session.execute(
            select(AccessRecord.detail)
            .where(AccessRecord.username == "okafor", AccessRecord.outcome == "refused")
            .order_by(AccessRecord.id)
        ).scalars()
        assert [d.split(":")[0] for d in refusals if d] == [
            "add agency Pacifica Police Department",
            "record an agreement with San Mateo County Sheriff's Office",
            f"end agreement {kept.id}",
        ]


def test_an_agreement_keeps_its_document_and_is_never_edited(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    clerk = make_user("nguyen", "records_clerk").principal
    registry.add_agency(
        rt, actor=None, name="San Mateo County Sheriff's Office", kind="ca_local_le", state="CA"
    )
    view = _agreement(rt, actor=clerk)
    assert view.document_sha256 == hashlib.sha256(MOU).hexdigest()
    assert view.in_force and view.standing == "in force until 2027-06-30"
    assert registry.agreement_document(rt, actor=clerk, agreement_id=view.id) == (
        "mou.pdf",
        MOU,
    )
    [agency] = registry.list_agencies(rt, actor=clerk)
    assert agency.agreement == "County ALPR data sharing MOU, in force until 2027-06-30"
    for statement in (
        "UPDATE sharing_agreements SET ends_on = NULL",
        "UPDATE sharing_agreements SET document_sha256 = 'forged'",
        "DELETE FROM sharing_agreements",
    ):
        with pytest.raises(DatabaseError, match="append-only"), rt.engine.begin() as conn:
            conn.execute(text(statement))
    ended = registry.end_agreement(
        rt, actor=clerk, agreement_id=view.id, ended_on=date(2026, 10, 1), reason="Superseded"
    )
    assert not ended.in_force and ended.standing == "was ended on 2026-10-01 (Superseded)"
    with pytest.raises(Refusal, match="already been ended"):
        registry.end_agreement(
            rt, actor=clerk, agreement_id=view.id, ended_on=date(2026, 10, 2), reason="again"
        )
    with pytest.raises(DatabaseError, match="append-only"), rt.engine.begin() as conn:
        conn.execute(text("DELETE FROM agreement_endings"))
    path = registry.document_path(rt, hashlib.sha256(MOU).hexdigest(), "mou.pdf")
    path.write_bytes(b"%PDF a different agreement")
    with pytest.raises(Refusal, match="no longer matches"):
        registry.agreement_document(rt, actor=clerk, agreement_id=view.id)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"agency_name": "Nowhere PD"}, "no agency named"),
        ({"kind": "handshake"}, "not a kind of agreement"),
        ({"document": b""}, "attach the signed agreement"),
        ({"ends_on": date(2024, 1, 1)}, "expire before it takes effect"),
        ({"title": " "}, "title is required"),
    ],
)
def test_an_incomplete_agreement_is_refused_and_nothing_recorded(
    rt: Runtime, changes: dict[str, object], message: str
) -> None:
    registry.add_agency(
        rt, actor=None, name="San Mateo County Sheriff's Office", kind="ca_local_le", state="CA"
    )
    with pytest.raises(InvalidInput, match=message):
        _agreement(rt, **changes)
    assert registry.list_agreements(rt, actor=None) == []


def test_the_agreement_a_request_cites_is_the_one_in_force(rt: Runtime) -> None:
    registry.add_agency(
        rt, actor=None, name="San Mateo County Sheriff's Office", kind="ca_local_le", state="CA"
    )
    _agreement(rt, title="Old MOU", starts_on=date(2020, 1, 1), ends_on=date(2024, 12, 31))
    current = _agreement(rt, title="Current MOU")
    agency_id = registry.list_agencies(rt, actor=None)[0].id
    with rt.transaction() as session:
        cited = registry.cited_agreement(session, agency_id=agency_id, today=date(2026, 11, 20))
        old = registry.cited_agreement(session, agency_id=agency_id, today=date(2028, 1, 1))
    assert cited is not None and cited.id == current.id and cited.in_force
    assert old is not None and old.standing == "expired on 2027-06-30"
