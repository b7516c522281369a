"""R15: the sergeant reviewing an exigent search reads what was searched in words (the kind of
search, the plate or place, the window), not the search's code, beside the emergency stated;
and the finding is the sergeant's own choice, never one the form made for them."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from alpr.governance.gateway import JustificationInput
from alpr.governance.investigations.searches import plate_history
from alpr.governance.oversight.exigent import exigent_waiting
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser

EMERGENCY = JustificationInput(
    purpose="missing_person",
    description="Child taken from Westlake Park at 14:10 today, suspect vehicle grey van",
    exigent=True,
)


def _waiting_review(app_env: Runtime, make_user: Callable[..., TestUser]) -> TestUser:
    detective = make_user("rivera", "investigator").principal
    plate_history(app_env, principal=detective, justification=EMERGENCY, plate="7ABC123")
    return make_user("brooks", "sergeant")


def test_the_search_under_review_is_said_in_words(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    at = app_as(_waiting_review(app_env, make_user), "app_pages/exigent_review.py")
    assert not at.exception
    [shown] = [m.value for m in at.markdown if "Emergency stated" in m.value]
    assert "Westlake Park" in shown
    assert "**Searched:** Plate history: the reads of plate 7ABC123, from " in shown
    assert "history ·" not in shown


def test_no_finding_is_chosen_before_the_sergeant_chooses_one(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """A review recorded without a choice would have found the search justified: the finding
    starts empty, and recording the review without one is refused and records nothing."""
    sergeant = _waiting_review(app_env, make_user)
    at = app_as(sergeant, "app_pages/exigent_review.py")
    [finding] = [r for r in at.radio if r.label == "Finding"]
    assert finding.value is None
    [note] = [t for t in at.text_area if t.label == "What the review found"]
    note.set_value("AMBER alert issued at 14:25; child found at 16:02")
    [record] = [b for b in at.button if b.label == "Record the review"]
    at = record.click().run()
    assert not at.exception
    assert any("choose the finding" in e.value for e in at.error)
    assert exigent_waiting(app_env, principal=sergeant.principal) == 1
    [finding] = [r for r in at.radio if r.label == "Finding"]
    finding.set_value("Not justified")
    [record] = [b for b in at.button if b.label == "Record the review"]
    at = record.click().run()
    assert not at.exception and not at.error
    assert exigent_waiting(app_env, principal=sergeant.principal) == 0
