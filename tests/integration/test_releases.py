"""Releases on both databases (R40-R48): a scoped request releases exactly its scope (counted
before approval, after corrections), an unscoped one cannot be approved, a scope beyond the
bounds needs the commander's recorded reason, the law is applied at filing and again at the
decision (to every free-text field, and to the agency's name whatever kind the register gives
it), the package carries images and JSON through the gateway and names every plate, a failed
write leaves nothing, and decided requests, scopes and packages cannot be edited."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from alpr.data.models import (
    AccessRecord,
    Agency,
    AgencyKind,
    Read,
    ReleasePackage,
    ReleaseRequest,
)
from alpr.governance import scopes
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.oversight.review import LogFilter, LogView, review_log
from alpr.governance.oversight.usage import public_figures
from alpr.governance.packages import Staging
from alpr.governance.policy import set_policy
from alpr.governance.releases import fulfilment, registry, rules
from alpr.governance.releases.fulfilment import fulfil, package_zip, verify_package
from alpr.governance.releases.requests import Attachment, decide, file_request, set_scope
from alpr.governance.releases.views import list_requests, request_view
from alpr.governance.runtime import Runtime
from alpr.governance.scopes import ScopeInput
from tests.conftest import Clock, TestUser
from tests.integration.release_desk import (
    CALTRANS,
    FBI,
    LAT,
    LON,
    NOW,
    PAPER,
    RENO,
    SHERIFF,
    WINDOW,
    Desk,
    area_scope,
    form,
    make_desk,
    plates_scope,
    public_counts_form,
)


@pytest.fixture
def desk(rt: Runtime, make_user: Callable[..., TestUser]) -> Desk:
    return make_desk(rt, make_user)


def _approve(desk: Desk, request_id: int, **extra: object) -> None:
    decide(
        desk.rt,
        principal=desk.commander.principal,
        request_id=request_id,
        approve=True,
        note="Warrant on file, official purpose",
        **extra,  # type: ignore[arg-type]
    )


def _released_ids(folder: Path) -> set[int]:
    with (folder / "reads.csv").open() as handle:
        return {int(row["read_id"]) for row in csv.DictReader(handle)}


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (plates_scope("7KQM482"), {"with_images", "second", "misread", "misread_too"}),
        (
            plates_scope("7KQM48?"),
            {"with_images", "second", "misread", "misread_too", "neighbour"},
        ),
        (
            area_scope(300),
            {"with_images", "corrected_away", "misread_too", "neighbour", "passer_by"},
        ),
        (area_scope(300, "7KQM482"), {"with_images", "misread_too"}),
    ],
    ids=["plate", "partial-plate", "case-area", "plate-in-area"],
)
def test_a_scoped_request_releases_exactly_its_scope(
    desk: Desk, scope: ScopeInput, expected: set[str]
) -> None:
    rt = desk.rt
    filed = file_request(rt, principal=desk.clerk.principal, form=form(scope=scope))
    assert filed.decision.decision.value == "eligible"
    assert filed.reads == len(expected)  # the clerk sees the count before approval
    listed = next(r for r in list_requests(rt, principal=desk.clerk.principal) if r.id == filed.id)
    assert listed.scope_reads == len(expected) and listed.agency == SHERIFF
    _approve(desk, filed.id)
    assert request_view(rt, principal=desk.clerk.principal, request_id=filed.id).decision
    package = fulfil(rt, principal=desk.clerk.principal, request_id=filed.id)
    wanted = {desk.reads[k] for k in expected}
    assert package.reads == len(expected) and _released_ids(package.folder) == wanted
    released = json.loads((package.folder / "reads.json").read_text())
    assert {r["read_id"] for r in released["reads"]} == wanted
    assert released["agency"] == SHERIFF and released["scope"]["case_number"]
    with rt.transaction() as session:
        record = session.execute(
            select(AccessRecord).where(
                AccessRecord.event == "release", AccessRecord.outcome == "allowed"
            )
        ).scalar_one()
        plates = set(session.execute(select(Read.plate).where(Read.id.in_(wanted))).scalars())
    assert set(record.result_ids or []) == wanted
    assert plates <= set(record.plates or [])
    assert record.purpose == "wanted_vehicle" and record.case_number
    assert request_view(rt, principal=desk.clerk.principal, request_id=filed.id).status == (
        "fulfilled"
    )


def test_the_public_page_counts_the_agencies_a_package_was_produced_for(desk: Desk) -> None:
    """R52: the public page's "agencies data was shared with" counts what was released (a
    decided request's stored status stays as filed), and a member of the public is no agency."""
    rt = desk.rt
    filed = file_request(rt, principal=desk.clerk.principal, form=form())
    _approve(desk, filed.id)
    assert public_figures(rt).agencies_shared_with == "0"  # approved, nothing released yet
    fulfil(rt, principal=desk.clerk.principal, request_id=filed.id)
    public = file_request(
        rt,
        principal=desk.clerk.principal,
        form=public_counts_form(),
    )
    _approve(desk, public.id)
    fulfil(rt, principal=desk.clerk.principal, request_id=public.id)
    assert public_figures(rt).agencies_shared_with == "fewer than 10"
    with rt.transaction() as session:
        shared = session.execute(
            text(
                "SELECT count(DISTINCT agency_id) FROM release_requests r "
                "JOIN release_packages p ON p.request_id = r.id"
            )
        ).scalar_one()
    assert shared == 1


def test_a_law_enforcement_package_carries_images_json_and_a_recorded_manifest(
    desk: Desk,
) -> None:
    rt = desk.rt
    filed = file_request(rt, principal=desk.clerk.principal, form=form())
    _approve(desk, filed.id)
    package = fulfil(rt, principal=desk.clerk.principal, request_id=filed.id)
    images = {
        (package.folder / name).read_bytes() for name in package.files if name.startswith("images/")
    }
    assert images == {desk.image, desk.crop}
    with (package.folder / "reads.csv").open() as handle:
        row = next(r for r in csv.DictReader(handle) if r["read_id"] == str(desk.reads["misread"]))
    assert row["plate_as_read"] == "7KQM4B2" and row["plate_corrected"] == "7KQM482"
    assert set(package.files) >= {"reads.csv", "reads.json", "request.json"}
    manifest = (package.folder / "manifest.json").read_bytes()
    with rt.transaction() as session:
        stored = session.execute(select(ReleasePackage)).scalar_one()
    assert stored.manifest_sha256 == hashlib.sha256(manifest).hexdigest() == package.manifest_sha256
    assert verify_package(rt, package.folder) == []
    name, data = package_zip(rt, principal=desk.clerk.principal, request_id=filed.id)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert f"request-{filed.id}/manifest.json" in archive.namelist()
        assert f"request-{filed.id}/reads.csv" in archive.namelist()
    assert name.endswith(".zip")
    with pytest.raises(Refusal, match="was produced"):
        fulfil(rt, principal=desk.clerk.principal, request_id=filed.id)


def test_rewriting_a_file_and_its_manifest_together_is_caught(desk: Desk, tmp_path: Path) -> None:
    rt = desk.rt
    filed = file_request(rt, principal=desk.clerk.principal, form=form())
    _approve(desk, filed.id)
    package = fulfil(rt, principal=desk.clerk.principal, request_id=filed.id)
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in package.folder.rglob("*"):
        if path.is_file():
            target = copy / path.relative_to(package.folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    reads = copy / "reads.csv"
    reads.write_text(reads.read_text().replace("7KQM482", "7KQM488"))
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["files"]["reads.csv"] = hashlib.sha256(reads.read_bytes()).hexdigest()
    (copy / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    assert verify_package(rt, copy) == [
        "manifest.json differs from the manifest recorded when the package was made",
        "reads.csv was changed",
    ]
    (package.folder / "reads.csv").write_text("tampered")
    with pytest.raises(Refusal, match=r"reads\.csv was changed"):
        package_zip(rt, principal=desk.clerk.principal, request_id=filed.id)


def test_an_unscoped_plate_level_request_cannot_be_approved(desk: Desk) -> None:
    rt = desk.rt
    filed = file_request(rt, principal=desk.clerk.principal, form=form(scope=None))
    assert filed.reads is None
    with pytest.raises(Refusal, match="must name what it covers"):
        _approve(desk, filed.id)
    with pytest.raises(InvalidInput, match="name what is covered"):
        set_scope(
            rt,
            principal=desk.clerk.principal,
            request_id=filed.id,
            scope=ScopeInput(start=WINDOW[0], end=WINDOW[1]),
        )
    assert (
        set_scope(
            rt, principal=desk.clerk.principal, request_id=filed.id, scope=plates_scope("7KQM482")
        )
        == 4
    )
    _approve(desk, filed.id)
    assert fulfil(rt, principal=desk.clerk.principal, request_id=filed.id).reads == 4


def test_a_scope_beyond_the_bounds_needs_the_commanders_reason(desk: Desk) -> None:
    rt = desk.rt
    set_policy(rt, actor=None, key="release_max_reads", value=2, legal_basis="test of bounds")
    filed = file_request(rt, principal=desk.clerk.principal, form=form())
    with pytest.raises(Refusal) as refused:
        _approve(desk, filed.id)
    assert refused.value.kind is RefusalKind.BOUNDS and "4 reads exceed 2" in refused.value.message
    _approve(desk, filed.id, override_reason="Three passes of the suspect car are the evidence")
    view = request_view(rt, principal=desk.clerk.principal, request_id=filed.id)
    assert view.decision is not None and view.decision.reads == 4
    assert view.decision.override_reason == "Three passes of the suspect car are the evidence"
    long = plates_scope("7KQM482")
    wide = ScopeInput(plates=long.plates, start=WINDOW[1] - timedelta(days=120), end=WINDOW[1])
    second = file_request(rt, principal=desk.clerk.principal, form=form(scope=wide))
    with pytest.raises(Refusal, match="period of 120 days exceeds 90 days"):
        _approve(desk, second.id)


@pytest.mark.parametrize(
    ("scope", "beyond"),
    [
        (plates_scope("7*"), "pattern 7* has 1 known characters; at least 3 are required"),
        (area_scope(5000), "radius 5000 m exceeds 1000 m"),
    ],
    ids=["one-known-character", "wide-area"],
)
def test_a_scope_as_broad_as_a_dragnet_needs_the_commanders_reason(
    desk: Desk, scope: ScopeInput, beyond: str
) -> None:
    """Field note 6 for releases (R42, R45): a partial plate with fewer known characters than
    a search needs, or an area wider than a canvass, is beyond the bounds even when the period
    and the count are within them; the commander's refused approval is recorded."""
    rt = desk.rt
    filed = file_request(
        rt, principal=desk.clerk.principal, form=form(legal_basis="mou", scope=scope)
    )
    assert filed.decision.decision.value == "eligible" and filed.reads
    with pytest.raises(Refusal) as refused:
        _approve(desk, filed.id)
    assert refused.value.kind is RefusalKind.BOUNDS and beyond in refused.value.message
    with pytest.raises(Refusal, match="Only an approved request"):
        fulfil(rt, principal=desk.clerk.principal, request_id=filed.id)
    with rt.transaction() as session:
        outcomes = session.execute(
            select(AccessRecord.outcome, AccessRecord.detail).where(AccessRecord.event == "release")
        ).all()
    assert any(o == "refused" and f"approve request {filed.id}" in (d or "") for o, d in outcomes)
    _approve(desk, filed.id, override_reason="The witness saw only the first character")
    view = request_view(rt, principal=desk.clerk.principal, request_id=filed.id)
    assert view.decision is not None
    assert view.decision.override_reason == "The witness saw only the first character"
    assert fulfil(rt, principal=desk.clerk.principal, request_id=filed.id).reads == filed.reads


@pytest.mark.parametrize("agency", [RENO, FBI])
def test_outside_california_is_refused_whatever_agreement_is_cited(desk: Desk, agency: str) -> None:
    rt = desk.rt
    filed = file_request(
        rt, principal=desk.clerk.principal, form=form(agency_name=agency, legal_basis="mou")
    )
    assert filed.decision.decision.value == "refused" and "R40" in filed.decision.requirements
    with pytest.raises(Refusal, match="does not allow"):
        _approve(desk, filed.id)


def test_an_expired_agreement_is_named_and_a_missing_one_said(desk: Desk, clock: Clock) -> None:
    rt = desk.rt
    filed = file_request(
        rt, principal=desk.clerk.principal, form=form(agency_name=CALTRANS, legal_basis="mou")
    )
    assert filed.decision.decision.value == "review"
    assert any(
        "'Traffic study agreement 2024', which expired on 2025-12-31" in r
        for r in filed.decision.reasons
    )
    in_force = file_request(rt, principal=desk.clerk.principal, form=form(legal_basis="mou"))
    assert in_force.decision.decision.value == "eligible"
    assert any("County ALPR data sharing MOU" in r for r in in_force.decision.reasons)
    clock.now = clock.now.replace(year=2027, month=7, day=2)  # the MOU has expired since
    decided = decide(
        rt,
        principal=desk.commander.principal,
        request_id=in_force.id,
        approve=False,
        note="The MOU has lapsed; renew it first",
    )
    assert decided.decision.value == "review"
    assert any("expired on 2027-06-30" in r for r in decided.reasons)


def test_an_immigration_purpose_in_words_is_refused_with_the_phrase_shown(desk: Desk) -> None:
    rt = desk.rt
    filed = file_request(
        rt,
        principal=desk.clerk.principal,
        form=form(
            purpose="Assist federal immigration enforcement with a removal case",
            immigration_related=False,
        ),
    )
    assert filed.decision.decision.value == "refused"
    assert '"immigration"' in filed.decision.reasons[0] and "SB 54" in filed.decision.reasons[0]
    spanish = file_request(
        rt,
        principal=desk.clerk.principal,
        form=form(purpose="Apoyo a la migra", description="Situación migratoria del conductor"),
    )
    assert spanish.decision.decision.value == "refused" and '"migra"' in spanish.decision.reasons[0]
    with pytest.raises(Refusal, match="SB 54"):
        _approve(desk, filed.id)


def _registered_before_the_check(rt: Runtime, name: str, kind: AgencyKind) -> None:
    """An agency in the register under a California kind, as it could be entered before the
    register compared names and kinds."""
    with rt.transaction() as session:
        session.add(Agency(name=name, kind=kind, state="CA", created_at=rt.now()))


def test_a_mis_registered_immigration_agency_is_refused_at_filing_and_at_approval(
    desk: Desk,
) -> None:
    rt = desk.rt
    ice = "U.S. Immigration and Customs Enforcement - San Francisco Field Office"
    _registered_before_the_check(rt, ice, AgencyKind.CA_LOCAL_LE)
    request = form(
        agency_name=ice,
        requester_name="SDDO Smith",
        purpose="Locate vehicle of fugitive",
        legal_basis="none",
    )
    filed = file_request(rt, principal=desk.clerk.principal, form=request)
    assert filed.decision.decision.value == "refused" and filed.decision.requirements == ["R43"]
    assert '"Immigration"' in filed.decision.reasons[0] and "SB 54" in filed.decision.reasons[0]
    with pytest.raises(Refusal, match="SB 54"):
        _approve(desk, filed.id)
    statute = file_request(
        rt,
        principal=desk.clerk.principal,
        form=replace(request, purpose="Locate vehicle of fugitive, 8 USC 1326"),
    )
    assert (
        statute.decision.decision.value == "refused"
        and '"8 USC 1326"' in (statute.decision.reasons[0])
    )


def test_a_mis_registered_federal_agency_is_refused_as_outside_california(desk: Desk) -> None:
    rt = desk.rt
    fbi = "Federal Bureau of Investigation SF"
    _registered_before_the_check(rt, fbi, AgencyKind.CA_STATE_LE)
    filed = file_request(rt, principal=desk.clerk.principal, form=form(agency_name=fbi))
    assert filed.decision.decision.value == "refused" and filed.decision.requirements == ["R40"]
    assert '("Federal")' in filed.decision.reasons[0]
    with pytest.raises(Refusal, match="does not allow"):
        _approve(desk, filed.id)


@pytest.mark.parametrize(
    ("field", "text", "phrase"),
    [
        ("requester_name", "Agent Doe, ICE ERO", "ICE"),
        ("offense", "Improper entry, 8 U.S.C. 1325", "8 U.S.C. 1325"),
        ("description", "Reads of 7KQM482 for the immi\u200bgration case", "immi\u200bgration"),
    ],
)
def test_every_free_text_field_of_a_filed_request_is_screened_for_immigration(
    desk: Desk, field: str, text: str, phrase: str
) -> None:
    filed = file_request(
        desk.rt, principal=desk.clerk.principal, form=replace(form(), **{field: text})
    )
    assert filed.decision.decision.value == "refused" and filed.decision.requirements == ["R43"]
    assert f'"{phrase}"' in filed.decision.reasons[0]


def test_the_exception_outside_california_needs_its_document(
    desk: Desk, make_user: Callable[..., TestUser]
) -> None:
    rt = desk.rt
    set_policy(
        rt,
        actor=None,
        key="allow_out_of_state_exception",
        value=True,
        legal_basis="Policy 457.6(g)",
    )
    without = file_request(
        rt, principal=desk.clerk.principal, form=form(agency_name=RENO, legal_basis="court_order")
    )
    assert without.decision.decision.value == "refused" and "R44" in without.decision.requirements
    order = Attachment("court_order", "order.pdf", b"%PDF order of the Superior Court")
    filed = file_request(
        rt,
        principal=desk.clerk.principal,
        form=form(agency_name=RENO, legal_basis="court_order"),
        attachments=(order,),
    )
    assert filed.decision.decision.value == "review"
    _approve(desk, filed.id)
    assert fulfil(rt, principal=desk.clerk.principal, request_id=filed.id).reads == 4


@pytest.mark.parametrize("requested", ["plate_level", "aggregate"])
def test_no_plate_or_image_reaches_a_non_government_package(desk: Desk, requested: str) -> None:
    rt = desk.rt
    filed = file_request(
        rt,
        principal=desk.clerk.principal,
        form=form(
            agency_name=PAPER,
            requested=requested,
            purpose="Story on ALPR use",
            purpose_code=None,
            offense="Stolen",
            scope=area_scope(300),
        ),
    )
    assert filed.decision.decision.value == "aggregate_only"
    _approve(desk, filed.id)
    package = fulfil(rt, principal=desk.clerk.principal, request_id=filed.id)
    assert package.counts_only and set(package.files) == {"aggregate_report.json"}
    report = json.loads((package.folder / "aggregate_report.json").read_text())
    assert report["plates_read"] == 5 and report["distinct_plates"] == 4
    assert report["offense"] == "Stolen" and report["hits_for_offense"] == 0
    with rt.transaction() as session:
        plates = set(session.execute(select(Read.plate)).scalars())
    for path in package.folder.iterdir():
        content = path.read_text()
        assert not {t for t in re.findall(r"[A-Z0-9]{5,8}", content) if t in plates | {"8ZZZ999"}}
        assert not re.search(r"\.(jpg|png)", content)


def test_a_public_records_request_counts_a_place_without_a_case_number(desk: Desk) -> None:
    """The public and the media have no case number: counts of a place in a period are
    released on the area alone (R45), while a plate-level area still needs its case."""
    place = replace(area_scope(300), case_number=None)
    filed = file_request(
        desk.rt,
        principal=desk.clerk.principal,
        form=public_counts_form(agency_name=PAPER, purpose="Story on ALPR use", scope=place),
    )
    assert filed.decision.decision.value == "aggregate_only"
    _approve(desk, filed.id)
    package = fulfil(desk.rt, principal=desk.clerk.principal, request_id=filed.id)
    report = json.loads((package.folder / "aggregate_report.json").read_text())
    assert package.counts_only and report["plates_read"] == 5
    assert report["hits_for_offense"] is None  # the hits of a named offense only, not all hits
    with pytest.raises(InvalidInput, match="enter its case number"):
        file_request(desk.rt, principal=desk.clerk.principal, form=form(scope=place))


def test_counts_need_a_place(desk: Desk) -> None:
    filed = file_request(
        desk.rt,
        principal=desk.clerk.principal,
        form=form(agency_name=PAPER, requested="aggregate", purpose_code=None, scope=None),
    )
    with pytest.raises(Refusal, match="Counts are of a place"):
        _approve(desk, filed.id)


def test_decided_requests_scopes_packages_and_agreements_cannot_be_edited(desk: Desk) -> None:
    rt = desk.rt
    undecided = file_request(rt, principal=desk.clerk.principal, form=form())
    with rt.engine.begin() as conn:  # before the decision the request may still be completed
        conn.execute(
            text("UPDATE release_requests SET requester_contact = 'desk' WHERE id = :id"),
            {"id": undecided.id},
        )
    _approve(desk, undecided.id)
    fulfil(rt, principal=desk.clerk.principal, request_id=undecided.id)
    for statement in (
        "UPDATE release_requests SET scope_id = NULL",
        "DELETE FROM release_requests",
        "UPDATE scopes SET plates = '[]'",
        "DELETE FROM scopes",
        "UPDATE release_packages SET manifest_sha256 = 'x'",
        "DELETE FROM release_packages",
        "UPDATE release_decisions SET approved = false",
        "UPDATE sharing_agreements SET ends_on = NULL",
        "DELETE FROM sharing_agreements",
    ):
        with pytest.raises(DatabaseError, match="append-only"), rt.engine.begin() as conn:
            conn.execute(text(statement))
    with pytest.raises(Refusal, match="decisions are final"):
        set_scope(
            rt,
            principal=desk.clerk.principal,
            request_id=undecided.id,
            scope=plates_scope("5ABC001"),
        )


def test_a_failed_write_leaves_neither_a_package_nor_a_record(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = desk.rt
    filed = file_request(rt, principal=desk.clerk.principal, form=form())
    _approve(desk, filed.id)
    real_write = Staging.write

    def failing(self: Staging, name: str, data: bytes) -> None:
        if name == "reads.json":
            raise OSError(28, "No space left on device")
        real_write(self, name, data)

    monkeypatch.setattr(Staging, "write", failing)
    with pytest.raises(OSError, match="No space"):
        fulfil(rt, principal=desk.clerk.principal, request_id=filed.id)
    releases = rt.settings.data_dir / "releases"
    assert list(releases.iterdir()) == []
    with rt.transaction() as session:
        assert session.execute(select(ReleasePackage)).first() is None
        assert (
            session.execute(
                select(AccessRecord).where(
                    AccessRecord.event == "release", AccessRecord.outcome == "allowed"
                )
            ).first()
            is None
        )
    monkeypatch.setattr(Staging, "write", real_write)
    package = fulfil(rt, principal=desk.clerk.principal, request_id=filed.id)
    assert package.folder == fulfilment.package_folder(rt, filed.id) and package.reads == 4


def test_only_records_and_command_handle_requests(desk: Desk) -> None:
    rt = desk.rt
    with pytest.raises(Refusal) as exc:
        file_request(rt, principal=desk.detective.principal, form=form())
    assert exc.value.kind is RefusalKind.PERMISSION
    filed = file_request(rt, principal=desk.clerk.principal, form=form())
    with pytest.raises(Refusal) as exc:
        decide(rt, principal=desk.clerk.principal, request_id=filed.id, approve=True, note="me")
    assert exc.value.kind is RefusalKind.PERMISSION
    with pytest.raises(InvalidInput, match="no agency named"):
        file_request(rt, principal=desk.clerk.principal, form=form(agency_name="Nowhere PD"))
    with pytest.raises(InvalidInput, match="authorized purpose"):
        file_request(rt, principal=desk.clerk.principal, form=form(purpose_code=None))


def test_counting_the_plates_of_a_request_needs_training_and_names_them_in_the_log(
    desk: Desk, make_user: Callable[..., TestUser]
) -> None:
    """R03, R20: filing, scoping or deciding a request counts the reads of the plates it names,
    which tells how often and, with an area, where a plate was read. A clerk whose training is
    not current is refused (and recorded) before anything is counted; every count names its
    plates in the access record, so that the log review's plate filter finds who counted
    them."""
    rt = desk.rt
    untrained = make_user("ghost", "records_clerk", trained_on=None).principal
    with pytest.raises(Refusal) as refused:
        file_request(rt, principal=untrained, form=form(scope=plates_scope("5ABC001")))
    assert refused.value.kind is RefusalKind.TRAINING
    filed = file_request(rt, principal=desk.clerk.principal, form=form())
    with pytest.raises(Refusal) as refused:
        set_scope(rt, principal=untrained, request_id=filed.id, scope=plates_scope("5ABC001"))
    assert refused.value.kind is RefusalKind.TRAINING
    assert (
        set_scope(
            rt, principal=desk.clerk.principal, request_id=filed.id, scope=plates_scope("6XYZ777")
        )
        == 1
    )
    _approve(desk, filed.id)
    sergeant = make_user("brooks", "sergeant").principal

    def counted(plate: str) -> list[tuple[str, str, str]]:
        found = review_log(
            rt,
            principal=sergeant,
            filters=LogFilter(
                start=NOW - timedelta(days=1), end=NOW, plate=plate, view=LogView.OTHER
            ),
        )
        return sorted((r.username, r.outcome, r.detail.split(":")[0]) for r in found.rows)

    assert counted("7KQM482") == [("nguyen", "Done", f"request {filed.id} filed for {SHERIFF}")]
    assert counted("6XYZ777") == [
        ("ellis", "Done", f"request {filed.id} approved"),
        ("nguyen", "Done", f"request {filed.id} scoped"),
    ]
    assert counted("5ABC001") == []  # refused before it was counted


def _nothing_produced(rt: Runtime) -> bool:
    with rt.transaction() as session:
        return session.execute(select(ReleasePackage)).first() is None


def test_reads_captured_after_the_approval_never_reach_the_package(
    desk: Desk, clock: Clock
) -> None:
    """R42: what is released is what the commander approved. A period that runs past the
    approval is cut at its instant, for the count the commander approves and for the package:
    neither a read stamped later by a camera whose clock runs ahead, nor the plate's read
    captured after the approval, is released, and the package says where its period ended."""
    rt = desk.rt
    running = replace(plates_scope("7KQM482"), end=NOW + timedelta(days=30))
    filed = file_request(rt, principal=desk.clerk.principal, form=form(scope=running))
    ahead = desk.world.read("7KQM482", "far", NOW + timedelta(hours=1), LAT, LON)
    _approve(desk, filed.id)
    approved_at = clock.now
    clock.advance(hours=2)
    later = desk.world.read("7KQM482", "geneva", clock.now - timedelta(minutes=30), LAT, LON)
    package = fulfil(rt, principal=desk.clerk.principal, request_id=filed.id)
    released = _released_ids(package.folder)
    assert package.reads == 4 and not {ahead, later} & released
    assert released == {desk.reads[k] for k in ("with_images", "second", "misread", "misread_too")}
    summary = json.loads((package.folder / "request.json").read_text())
    assert summary["scope"]["period_end"] == approved_at.isoformat()


@pytest.mark.parametrize(
    ("kind", "changes", "approved"),
    [
        ("plate-level", {}, 4),
        (
            "counts",
            {
                "agency_name": PAPER,
                "requested": "aggregate",
                "purpose": "Story on ALPR use",
                "purpose_code": None,
                "scope": area_scope(300),
            },
            5,
        ),
    ],
)
def test_a_package_of_another_count_than_the_approved_one_is_refused(
    desk: Desk, clock: Clock, kind: str, changes: dict[str, object], approved: int
) -> None:
    """R42, R45: a read received after the approval but captured before it, in the period and
    at the place, would make the package hold more than the commander approved: it is refused,
    nothing is produced, and a new request approved for what is there now is produced."""
    rt = desk.rt
    filed = file_request(rt, principal=desk.clerk.principal, form=form(**changes))
    _approve(desk, filed.id)
    clock.advance(hours=1)
    desk.world.read("7KQM482", "geneva", NOW - timedelta(days=1), LAT, LON)
    with pytest.raises(Refusal) as refused:
        fulfil(rt, principal=desk.clerk.principal, request_id=filed.id)
    assert refused.value.kind is RefusalKind.RULE
    message = refused.value.message
    assert f"selects {approved + 1} reads today, but the commander approved {approved}" in message
    assert "file a new request" in message
    assert _nothing_produced(rt)
    assert list((rt.settings.data_dir / "releases").iterdir()) == []
    again = file_request(rt, principal=desk.clerk.principal, form=form(**changes))
    assert again.reads == approved + 1
    _approve(desk, again.id)
    package = fulfil(rt, principal=desk.clerk.principal, request_id=again.id)
    assert package.reads == approved + 1 and package.counts_only is (kind == "counts")


COUNTS = {"requested": "aggregate", "purpose_code": None, "scope": area_scope(300)}


@pytest.mark.parametrize(
    ("changes", "change", "standing"),
    [
        ({"legal_basis": "mou"}, "ended", "was ended on 2026-11-20 (The sheriff withdrew)"),
        ({"legal_basis": "warrant"}, "ended", "was ended on 2026-11-20 (The sheriff withdrew)"),
        ({"legal_basis": "mou"}, "expired", "expired on 2026-11-21"),
        ({"legal_basis": "warrant"}, "expired", None),
        ({"legal_basis": "mou", **COUNTS}, "ended", None),
    ],
    ids=["mou-ended", "warrant-ended", "mou-expired", "warrant-expired", "counts-ended"],
)
def test_the_agreement_is_checked_again_when_the_package_is_produced(
    desk: Desk, clock: Clock, changes: dict[str, object], change: str, standing: str | None
) -> None:
    """R47, R42: an agreement the department ended after the approval stops a plate-level
    package whatever the legal basis (the commander approved while it stood), and one the
    release rests on (legal basis MOU) stops it once it has expired; nothing is produced and a
    new request is asked for. A warrant does not rest on an agreement that merely expired, and
    counts (R45) on none."""
    rt = desk.rt
    short = registry.add_agreement(
        rt,
        actor=None,
        agency_name=SHERIFF,
        kind="mou",
        title="Task force MOU",
        scope="Reads for the robbery task force",
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 11, 21),
        document_name="task-force.pdf",
        document=b"%PDF signed task force MOU",
    )
    filed = file_request(
        rt, principal=desk.clerk.principal, form=form(agreement_id=short.id, **changes)
    )
    _approve(desk, filed.id)
    clock.advance(hours=1)
    if change == "ended":
        registry.end_agreement(
            rt,
            actor=None,
            agreement_id=short.id,
            ended_on=clock.now.date(),
            reason="The sheriff withdrew",
        )
    else:
        clock.advance(days=2)
    if standing is None:
        assert fulfil(rt, principal=desk.clerk.principal, request_id=filed.id).reads == filed.reads
        return
    with pytest.raises(Refusal) as refused:
        fulfil(rt, principal=desk.clerk.principal, request_id=filed.id)
    assert refused.value.kind is RefusalKind.RULE and standing in refused.value.message
    assert "file a new request" in refused.value.message
    assert _nothing_produced(rt)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("DHS Office of Inspector General", "DHS"),
        ("Las Vegas Metropolitan Police Department", "Las Vegas"),
        ("Reno PD - NV", "NV"),
    ],
)
def test_an_agency_registered_before_its_words_were_screened_is_refused_at_every_step(
    desk: Desk, monkeypatch: pytest.MonkeyPatch, name: str, words: str
) -> None:
    """R40, R44 (Civil Code 1798.90.55(b)): an agency registered as California police before
    the name screen knew its words is refused when a request from it is filed and decided; a
    request approved under the older screen is refused when its package would be produced."""
    rt = desk.rt
    _registered_before_the_check(rt, name, AgencyKind.CA_LOCAL_LE)
    filed = file_request(rt, principal=desk.clerk.principal, form=form(agency_name=name))
    assert filed.decision.decision.value == "refused" and filed.decision.requirements == ["R40"]
    assert f'("{words}")' in filed.decision.reasons[0]
    assert "1798.90.55(b)" in filed.decision.reasons[0]
    with pytest.raises(Refusal, match="does not allow"):
        _approve(desk, filed.id)
    monkeypatch.setattr(rules, "outside_california", lambda _name: None)  # the older screen
    approved = file_request(rt, principal=desk.clerk.principal, form=form(agency_name=name))
    assert approved.decision.decision.value == "eligible"
    _approve(desk, approved.id)
    monkeypatch.undo()
    with pytest.raises(Refusal) as refused:
        fulfil(rt, principal=desk.clerk.principal, request_id=approved.id)
    assert refused.value.kind is RefusalKind.RULE
    assert "no longer allows" in refused.value.message
    assert f'("{words}")' in refused.value.message
    assert _nothing_produced(rt)


def test_a_plate_is_never_counted_for_a_release_of_counts(desk: Desk) -> None:
    """R45, R48 (and R03, R21): a member of the public gets counts of a place in a period, so
    a scope naming a plate is refused when the request is filed or scoped, before anything is
    counted: a clerk cannot learn where a plate was without training, a case or a search's
    justification. The place alone is counted, and a plate in a scope recorded before the
    rule keeps the request from being approved."""
    rt = desk.rt
    passed = NOW - timedelta(days=1)  # the passer-by at the scene
    where = ScopeInput(
        plates=("5ABC001",),
        start=passed - timedelta(minutes=10),
        end=passed + timedelta(minutes=10),
        lat=LAT,
        lon=LON,
        radius_m=50,
    )
    curious = form(
        agency_name=None,
        requester_name="Pat Doe",
        requester_contact="pat@example.org",
        purpose="curious",
        purpose_code=None,
        legal_basis="none",
        scope=where,
    )
    with pytest.raises(Refusal, match="never of a plate") as refused:
        file_request(rt, principal=desk.clerk.principal, form=curious)
    assert refused.value.kind is RefusalKind.RULE
    with rt.transaction() as session:
        assert session.execute(select(ReleaseRequest)).first() is None
    filed = file_request(rt, principal=desk.clerk.principal, form=replace(curious, scope=None))
    assert filed.decision.decision.value == "aggregate_only"
    with pytest.raises(Refusal, match="never of a plate"):
        set_scope(rt, principal=desk.clerk.principal, request_id=filed.id, scope=where)
    place = replace(where, plates=())
    assert set_scope(rt, principal=desk.clerk.principal, request_id=filed.id, scope=place) == 1
    with rt.transaction() as session:
        legacy = scopes.record(
            session,
            scopes.validated(where, area_needs_case=False),
            by=desk.clerk.principal.user_id,
            at=NOW,
            reads=None,
        )
        request = session.get(ReleaseRequest, filed.id)
        assert request is not None
        request.scope_id = legacy
    with pytest.raises(Refusal, match="and no plate"):
        _approve(desk, filed.id)


def test_downloading_a_package_names_its_reads_and_plates_in_the_log(
    desk: Desk, make_user: Callable[..., TestUser]
) -> None:
    """R20, R48: a download hands the package's plates, images and places over again, as its
    production did, so its access record names the reads and plates it holds: the log review's
    plate filter finds who took a copy of a plate, not only who produced the package. A package
    of counts names none."""
    rt = desk.rt
    filed = file_request(rt, principal=desk.clerk.principal, form=form())
    _approve(desk, filed.id)
    package = fulfil(rt, principal=desk.clerk.principal, request_id=filed.id)
    package_zip(rt, principal=desk.clerk.principal, request_id=filed.id)
    sergeant = make_user("brooks", "sergeant").principal
    found = [
        row.detail.split(" (")[0]
        for view in LogView
        for row in review_log(
            rt,
            principal=sergeant,
            filters=LogFilter(start=NOW - timedelta(days=1), end=NOW, plate="7KQM4B2", view=view),
        ).rows
    ]
    assert sorted(found) == [
        f"release package of request {filed.id} downloaded",
        f"request {filed.id} fulfilled: plate-level package",
    ]
    with rt.transaction() as session:
        download = session.execute(
            select(AccessRecord).where(AccessRecord.event == "export")
        ).scalar_one()
        produced = session.execute(
            select(AccessRecord).where(
                AccessRecord.event == "release", AccessRecord.outcome == "allowed"
            )
        ).scalar_one()
    assert download.plates == produced.plates == ["7KQM462", "7KQM482", "7KQM4B2"]
    assert sorted(download.result_ids or []) == sorted(produced.result_ids or [])
    assert download.result_count == package.reads == 4

    public = file_request(
        rt,
        principal=desk.clerk.principal,
        form=public_counts_form(),
    )
    _approve(desk, public.id)
    fulfil(rt, principal=desk.clerk.principal, request_id=public.id)
    package_zip(rt, principal=desk.clerk.principal, request_id=public.id)
    with rt.transaction() as session:
        counts = (
            session.execute(
                select(AccessRecord)
                .where(AccessRecord.event == "export")
                .order_by(AccessRecord.id.desc())
            )
            .scalars()
            .first()
        )
    assert counts is not None and not counts.plates and not counts.result_ids
