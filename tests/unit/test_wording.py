"""Reports say the search in words (R16, R17): the purpose's name, the radius, the window in
the agency's zone and the pattern, never the stored codes or parameters."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from alpr.governance.investigations.wording import purpose_in_words, query_in_words

LA = ZoneInfo("America/Los_Angeles")
WINDOW = {"start": "2026-11-18T14:00:00+00:00", "end": "2026-11-18T16:00:00+00:00"}


def test_canvass_says_radius_place_address_and_local_window() -> None:
    words = query_in_words(
        "canvass",
        {"lat": 37.6963, "lon": -122.4607, "radius_m": 1500, "polygon": None, **WINDOW},
        LA,
    )
    assert words == (
        "Canvass: reads taken within 1.5 km of 37.69630, -122.46070, "
        "from 2026-11-18 06:00 PST to 2026-11-18 08:00 PST."
    )
    addressed = query_in_words(
        "canvass",
        {"lat": 37.7, "lon": -122.4, "radius_m": 300, "address": "Mission St & Geneva Ave"}
        | WINDOW,
        LA,
    )
    assert "within 300 m of Mission St & Geneva Ave (37.70000, -122.40000)" in addressed


def test_partial_plate_and_other_searches_in_words() -> None:
    words = query_in_words(
        "plate",
        {"pattern": "7KQ?48?", "fuzzy": True, "substitution": False, "min_confidence": 0.5}
        | WINDOW,
        LA,
    )
    assert words.startswith(
        "Partial plate search: plates matching 7KQ?48? (also OCR look-alike characters), "
        "read with confidence 0.50 or more, from 2026-11-18 06:00 PST"
    )
    assert query_in_words("history", {"plate": "7ABC123"}, LA) == (
        "Plate history: the reads of plate 7ABC123, at any time kept."
    )
    assert query_in_words("history", {"plate": "7ABC123"} | WINDOW, LA) == (
        "Plate history: the reads of plate 7ABC123, from 2026-11-18 06:00 PST to "
        "2026-11-18 08:00 PST."
    )
    convoy = query_in_words(
        "convoy", {"plate": "7ABC123", "within_s": 10, "min_times": 2} | WINDOW, LA
    )
    assert "within 10 s of plate 7ABC123" in convoy and "{" not in convoy
    assert purpose_in_words("major_crime_canvass") == "Canvass around a major crime scene"
    assert purpose_in_words(None) == "none stated"
