"""R15: the sergeant reviewing an exigent search reads what was searched in words (the kind of
search, the plate or place, the window), not the search's code, beside the emergency stated."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from alpr.governance.gateway import JustificationInput
from alpr.governance.investigations.searches import plate_history
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
