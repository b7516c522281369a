"""The requests page as the records clerk files and the commander decides (R41, R45): the
period a request covers is the one the clerk chose (no period is assumed, and filing without one
is refused with the form kept), required fields are marked, and the commander reads the period
and the count of reads first, warned when the legal basis's document is missing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from alpr.data.models import ReleaseRequest
from alpr.data.models import Scope as ScopeRow
from alpr.governance.places import import_places
from alpr.governance.policy import set_policy
from alpr.governance.releases.requests import Attachment, decide, file_request
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser
from tests.integration.release_desk import Desk, form, make_desk
from tests.integration.test_places import county_file


@pytest.fixture
def desk(app_env: Runtime, make_user: Callable[..., TestUser]) -> Desk:
    return make_desk(app_env, make_user)


def _requests(rt: Runtime) -> int:
    with rt.transaction() as session:
        return int(session.execute(select(func.count()).select_from(ReleaseRequest)).scalar_one())


def _filing_form(desk: Desk, app_as: Callable[..., AppTest], *, plate: str = "") -> AppTest:
    """The clerk's form for a member of the public asking for the number of reads at a place
    (of ``plate`` there, if one is given)."""
    at = app_as(desk.clerk, "app_pages/releases.py")
    at.radio(key="release_view").set_value("File a new request").run()
    fields = {t.label: t for t in at.text_input}
    fields["Requester's name *"].set_value("Pat Doe")
    fields["Requester's contact *"].set_value("pat@example.org")
    fields["Plates (comma separated)"].set_value(plate)
    at.checkbox(key="file_with_area_").check()
    [description] = at.text_area
    description.set_value("How many cars passed Geneva Ave in November 2026")
    return at


def _file(at: AppTest) -> AppTest:
    [submit] = [b for b in at.button if b.label == "File the request"]
    return submit.click().run()


def test_the_form_marks_what_is_required_and_assumes_no_period(
    desk: Desk, app_as: Callable[..., AppTest]
) -> None:
    at = _filing_form(desk, app_as)
    assert not at.exception
    assert any("Fields marked * are required" in c.value for c in at.caption)
    labels = {t.label for t in at.text_input} | {t.label for t in at.text_area}
    assert {"Requester's name *", "Requester's contact *"} <= labels
    assert "Description of the information requested *" in labels
    period = {d.label: d.value for d in at.date_input}
    assert period == {"From (date) *": None, "To (date) *": None}
    assert [t.value for t in at.time_input] == [None, None]


def test_filing_without_a_period_is_refused_and_nothing_is_filed(
    desk: Desk, app_as: Callable[..., AppTest]
) -> None:
    """R45: a request covers the period the clerk chose; none is assumed."""
    at = _file(_filing_form(desk, app_as))
    assert not at.exception
    assert [e.value for e in at.error] == [
        "**Please correct this:** give the period covered, its start and its end: none is assumed"
    ]
    assert _requests(desk.rt) == 0
    typed = {t.label: t.value for t in at.text_input}
    assert typed["Requester's name *"] == "Pat Doe" and at.text_area[0].value


def test_a_plate_in_a_request_from_the_public_is_refused_and_nothing_is_filed(
    desk: Desk, app_as: Callable[..., AppTest]
) -> None:
    """R45, R48: a member of the public gets counts of a place, so a plate in the request's
    scope is refused at filing, before anything is counted: the clerk never learns where the
    plate was."""
    at = _filing_form(desk, app_as, plate="7KQM482")
    at.date_input(key="file_period_sd").set_value(date(2026, 11, 10))
    at.date_input(key="file_period_ed").set_value(date(2026, 11, 19))
    at = _file(at)
    assert not at.exception
    [refused] = [e.value for e in at.error]
    assert "never of a plate" in refused and "reads selected" not in refused
    assert _requests(desk.rt) == 0
    assert {t.label: t.value for t in at.text_input}["Plates (comma separated)"] == "7KQM482"


def test_the_period_chosen_is_the_one_filed_whole_days_without_times(
    desk: Desk, app_as: Callable[..., AppTest]
) -> None:
    at = _filing_form(desk, app_as)
    at.date_input(key="file_period_sd").set_value(date(2026, 11, 1))
    at.date_input(key="file_period_ed").set_value(date(2026, 11, 30))
    at = _file(at)
    assert not at.exception and not at.error
    assert any("filed" in s.value for s in [*at.success, *at.info])
    assert _requests(desk.rt) == 1
    tz = desk.rt.settings.tz
    with desk.rt.transaction() as session:
        start, end = session.execute(select(ScopeRow.start_at, ScopeRow.end_at)).one()
    assert start == datetime(2026, 11, 1, tzinfo=tz)
    assert end == datetime.combine(date(2026, 11, 30), time.max, tzinfo=tz)


def test_an_area_is_named_by_the_address_found_not_by_typed_coordinates(
    desk: Desk, app_as: Callable[..., AppTest]
) -> None:
    """R45: the clerk finds the place a request asks about by its address; the form then shows
    that address as the area's centre (no latitude and longitude to type over) and files it."""
    import_places(desk.rt, actor=None, data=county_file(), fmt="geojson", source="county")
    at = app_as(desk.clerk, "app_pages/releases.py")
    at.radio(key="release_view").set_value("File a new request").run()
    at.text_input(key="file_address_text").set_value("oak and main").run()
    assert not at.exception
    assert [n.label for n in at.number_input] == ["Radius (m)"]
    assert "**Centre** Main Street & Oak Avenue  \n:gray[found above]" in [
        m.value for m in at.markdown
    ]
    fields = {t.label: t for t in at.text_input}
    fields["Requester's name *"].set_value("Pat Doe")
    fields["Requester's contact *"].set_value("pat@example.org")
    at.text_area[0].set_value("How many cars passed Oak and Main in November 2026")
    at.date_input(key="file_period_sd").set_value(date(2026, 11, 1))
    at.date_input(key="file_period_ed").set_value(date(2026, 11, 30))
    at = _file(at)
    assert not at.exception and not at.error
    with desk.rt.transaction() as session:
        area = session.execute(select(ScopeRow.address, ScopeRow.lat, ScopeRow.lon)).one()
    assert (area[0], round(area[1], 6), round(area[2], 6)) == (
        "Main Street & Oak Avenue",
        37.7,
        -122.465,
    )


def test_without_a_loaded_address_the_centre_is_typed_and_says_so(
    desk: Desk, app_as: Callable[..., AppTest]
) -> None:
    at = _filing_form(desk, app_as)
    centre = [n for n in at.number_input if n.label.startswith("Centre")]
    assert [n.label for n in centre] == ["Centre latitude", "Centre longitude"]
    assert all(n.help.startswith("Only when no address is found above") for n in centre)


def _decision_page(desk: Desk, app_as: Callable[..., AppTest]) -> tuple[AppTest, int, int]:
    """Two requests on the written request only: one with it attached, the newest without."""
    letter = Attachment("request", "letter.pdf", b"%PDF letter")
    filed = [
        file_request(
            desk.rt,
            principal=desk.clerk.principal,
            form=form(legal_basis="none"),
            attachments=attachments,
        ).id
        for attachments in ((letter,), ())
    ]
    return app_as(desk.commander, "app_pages/releases.py"), filed[0], filed[1]


def test_the_commander_reads_the_period_and_the_count_first(
    desk: Desk, app_as: Callable[..., AppTest]
) -> None:
    at, _, _ = _decision_page(desk, app_as)
    assert not at.exception
    assert not at.radio  # one view only: the requests on file, shown at once
    shown = [m.value for m in at.markdown]
    [covers] = [m for m in shown if m.startswith("**Period**")]
    period, reads, what = covers.split("  \n")
    assert period == "**Period** from Tue Nov 10, 2026 10:00 to Fri Nov 20, 2026 10:00 (10 days)"
    assert reads == "**Reads** 4 reads selected, counted when the scope was recorded"
    # the plates and the case, the period said once: not again in ISO dates
    assert what == "**Covers** plates 7KQM482; case SMSO-26-0911"
    assert not [m for m in shown if m.startswith("####")]  # facts, not shouted headings
    assert any(m.startswith("Approving releases **4 reads**") for m in shown)


def test_the_documents_fit_the_page_with_their_size_in_words(
    desk: Desk, app_as: Callable[..., AppTest]
) -> None:
    """A document's fingerprint wraps in groups of eight (in one 64-character word it ran past
    the page at 1024 pixels) and its size reads in words."""
    at, attached, _ = _decision_page(desk, app_as)
    [opened] = [s for s in at.selectbox if s.label == "Open a request"]
    opened.set_value(attached).run()
    [documents] = at.table[-1:]
    row = documents.value.iloc[0]
    assert (row["Document"], row["File"], row["Size"]) == (
        "Written request",
        "letter.pdf",
        "11 bytes",
    )
    digest = hashlib.sha256(b"%PDF letter").hexdigest()
    assert row["Fingerprint (SHA-256)"] == " ".join(digest[i : i + 8] for i in range(0, 64, 8))


def test_the_commander_is_warned_when_the_written_request_is_not_attached(
    desk: Desk, app_as: Callable[..., AppTest]
) -> None:
    at, attached, _ = _decision_page(desk, app_as)
    warned = [w.value for w in at.warning if "No written request is attached" in w.value]
    assert warned and "“Written request only”" in warned[0]
    [opened] = [s for s in at.selectbox if s.label == "Open a request"]
    opened.set_value(attached).run()
    assert not at.exception
    assert not [w for w in at.warning if "is attached" in w.value]


def test_the_reason_for_releasing_beyond_the_bounds_is_asked_only_when_it_is(
    desk: Desk, app_as: Callable[..., AppTest]
) -> None:
    """R45: a request within the agency's bounds is decided with its reason alone; one beyond
    them says how, and asks the commander why this much is released."""
    file_request(desk.rt, principal=desk.clerk.principal, form=form())
    within = app_as(desk.commander, "app_pages/releases.py")
    assert not within.exception
    assert "Why this much is released" not in [t.label for t in within.text_input]
    assert not [w for w in within.warning if "beyond the agency's bounds" in w.value]

    set_policy(desk.rt, actor=None, key="release_max_reads", value=2, legal_basis="test of bounds")
    beyond = app_as(desk.commander, "app_pages/releases.py")
    assert "Why this much is released" in [t.label for t in beyond.text_input]
    [warned] = [w.value for w in beyond.warning if "beyond the agency's bounds" in w.value]
    assert "4 reads exceed 2" in warned


def test_the_list_says_what_each_request_covers_in_short(
    desk: Desk, app_as: Callable[..., AppTest]
) -> None:
    """The list of requests names each one's plates, case and period in a few words, not the
    scope's ISO timestamps."""
    file_request(desk.rt, principal=desk.clerk.principal, form=form())
    at = app_as(desk.clerk, "app_pages/releases.py")
    assert not at.exception
    covers = at.table[0].value["Covers"].tolist()  # the list comes first
    nb = "\u2011"  # a case number is not broken at its hyphens
    assert covers == [f"plates 7KQM482; case SMSO{nb}26{nb}0911; Nov 10 to Nov 20, 2026"]


def test_what_waits_on_the_person_looking_comes_first_and_opens(
    desk: Desk, app_as: Callable[..., AppTest]
) -> None:
    """The commander's page opens on the request awaiting a decision, though a newer one of
    the same agency is already decided; the clerk's on the approved one whose package is still
    to produce. Each is told how many wait for them."""
    waiting = file_request(desk.rt, principal=desk.clerk.principal, form=form()).id
    approved = file_request(desk.rt, principal=desk.clerk.principal, form=form()).id
    decide(
        desk.rt,
        principal=desk.commander.principal,
        request_id=approved,
        approve=True,
        note="The warrant covers the plate",
    )
    for person, first, told in (
        (desk.commander, waiting, "**1 request waits for your decision.**"),
        (desk.clerk, approved, "**1 request waits for you:** a scope to record or a package"),
    ):
        at = app_as(person, "app_pages/releases.py")
        assert not at.exception
        assert at.table[0].value["Request"].tolist()[0] == first
        [opened] = [s for s in at.selectbox if s.label == "Open a request"]
        assert opened.value == first
        assert any(w.value.startswith(told) for w in at.warning)
