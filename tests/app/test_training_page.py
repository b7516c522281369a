"""Training records as a trainer keeps them: people by name, not account codes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from streamlit.testing.v1 import AppTest

from alpr.data.models import TrainingRecord
from alpr.governance.runtime import Runtime
from alpr.governance.training import TRAINING_TOPICS
from tests.conftest import TestUser


def test_members_are_named_by_their_names(
    make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    make_user("rivera", "investigator")
    at = app_as(make_user("admin2", "administrator"), "app_pages/training.py")
    assert not at.exception
    [member] = [s for s in at.selectbox if s.label == "Member"]
    assert "Rivera (rivera)" in member.options
    table = at.table[0].value
    assert "Rivera (rivera)" in list(table["Member"])
    assert not at.dataframe  # a table that wraps: who recorded it stays on a laptop's screen


def test_with_no_training_on_record_the_page_says_what_follows(
    make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R05: nobody has access to ALPR data without training on record; the empty list says
    so, and what to do, rather than showing an empty grid."""
    at = app_as(make_user("admin2", "administrator", trained_on=None), "app_pages/training.py")
    assert not at.exception and not at.table
    [empty] = [i.value for i in at.info if i.value.startswith("No training is recorded yet")]
    assert "no access to ALPR data" in empty


def test_a_course_that_covered_every_topic_says_so(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    chen = make_user("chen", "patrol", trained_on=None)
    with app_env.transaction() as session:
        session.add(
            TrainingRecord(
                user_id=chen.principal.user_id,
                course="ALPR operator course",
                completed_on=date(2026, 11, 2),
                topics=list(TRAINING_TOPICS),
                recorded_at=app_env.now(),
            )
        )
    make_user("rivera", "investigator")
    at = app_as(make_user("admin2", "administrator"), "app_pages/training.py")
    topics = at.table[0].value.set_index("Member")["Topics"]
    assert topics["Chen (chen)"] == "All five"
    assert topics["Rivera (rivera)"] == "legal; policy"


def test_the_administrator_sees_who_lacks_current_training_and_why(
    make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R03, R05: above the records, the members who may not use ALPR data for want of
    training, by name with why (none on record, or lapsed on which day); with none, when the
    first member's training lapses."""
    admin = make_user("admin2", "administrator")
    make_user("rivera", "investigator")  # trained as the administrator
    at = app_as(admin, "app_pages/training.py")
    assert not at.exception and not at.warning
    nb = "\u2011"
    [current] = [s.value for s in at.success]
    assert current == (
        f"**Every member's training is current.** The first to lapse is Admin2's, on "
        f"2027{nb}06{nb}01."
    )
    make_user("chen", "patrol", trained_on=None)
    make_user("brooks", "sergeant", trained_on=date(2020, 1, 6))
    at = app_as(admin, "app_pages/training.py")
    [lacking] = [w.value for w in at.warning]
    assert lacking.startswith(
        "**2 members without current training, so without access to ALPR data:** "
    )
    assert f"Brooks (lapsed on 2021{nb}01{nb}05)" in lacking
    assert "Chen (none on record)" in lacking and "Rivera" not in lacking
