"""The alert review sets the plate as read beside the hot-list record with the characters that
differ marked (R13: the visual comparison comes before any action), and names the listed
vehicle without the placeholders feeds put in fields they do not know."""

from __future__ import annotations

from alpr.data.models import HotListEntry
from alpr.governance.alerts import listed_vehicle
from alpr.ui.plate_compare import differing


def test_a_misread_character_is_marked_and_a_listed_wildcard_is_not() -> None:
    assert differing("7XFG40I", "7XFG401") == {6}
    assert differing("7XFG401", "7XFG401") == set()
    assert differing("7XFG401", "7XF*401") == set()
    assert differing("7XFG401", "7X*1") == set()  # a run of any length: no position to compare
    assert differing("7XFG401", "7XF?40?") == set()
    assert differing("7XFG4_1", "7XFG401") == {5}
    assert differing("8VPL72", "8VPL729") == {6}
    assert differing("0BC1234", "OBC1234") == {0}


def test_the_listed_vehicle_leaves_out_unknown_make_and_model() -> None:
    entry = HotListEntry(vehicle_color="Dark grey", vehicle_make="Unknown", vehicle_model="sedan")
    assert listed_vehicle(entry) == "Dark grey sedan"
    entry = HotListEntry(vehicle_color=" ", vehicle_make="UNK", vehicle_model=None)
    assert listed_vehicle(entry) == ""
    entry = HotListEntry(vehicle_color="White", vehicle_make="Ford", vehicle_model="F-150")
    assert listed_vehicle(entry) == "White Ford F-150"
