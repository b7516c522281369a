"""Words people read on screen, not the system's codes: the access log's "What" of an image view
and of a plate's hot-list record, the agency's time zone on a chart's axis, and the titles of the
policy's settings."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from alpr.data.models import AccessRecord
from alpr.governance.access_log import Event
from alpr.governance.oversight.describe import what
from alpr.policy import Policy
from alpr.ui.zones import zone_name


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("thumbnails", "Viewed plate or vehicle images"),
        ("plate_watch", "Hot-list entries and alerts of a plate"),
    ],
)
def test_the_access_log_says_what_was_looked_at(kind: str, said: str) -> None:
    assert what(AccessRecord(event=Event.VIEW_READ, query={"kind": kind})) == said


def test_a_zone_is_named_as_people_there_say_it() -> None:
    assert zone_name(ZoneInfo("America/Los_Angeles")) == "Pacific time"
    assert zone_name(ZoneInfo("America/New_York")) == "Eastern time"
    assert zone_name(ZoneInfo("Europe/Paris")) == "Europe/Paris"


def test_policy_settings_are_titled_without_database_jargon() -> None:
    titles = [field.title or "" for field in Policy.model_fields.values()]
    assert [t for t in titles if "replica" in t or "primary" in t] == []
