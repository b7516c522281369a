"""A table of reads fits a laptop's 1024-pixel screen beside the sidebar whatever columns its
page gives it: the short columns keep the width their words need, and the place, the vehicle
and any column a page adds share the rest, the place the larger part."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from alpr.ui.results import READS_PX, read_columns

PACIFIC = ZoneInfo("America/Los_Angeles")
LEAD = ["Time", "Plate", "Plate image"]
SHORT = {"Distance", "Stop", "Confidence"}


@pytest.mark.parametrize(
    "columns",
    [
        [*LEAD, "Distance", "Camera", "Confidence", "Vehicle"],  # canvass
        [*LEAD, "Vehicle image", "Distance", "Camera", "Confidence", "Vehicle"],  # with crops
        [*LEAD, "Stop", "Camera", "Confidence", "Vehicle", "Matched by"],  # history
        [*LEAD, "Seen with", "Camera", "Confidence"],  # convoy
        [*LEAD, "Match", "Camera", "Confidence", "Vehicle"],  # a partial plate's reads
        ["Time", "Plate", "Camera", "Confidence"],  # no search: no crops
    ],
)
def test_the_columns_add_up_to_the_laptop_screen(columns: list[str]) -> None:
    config = read_columns(columns, PACIFIC)
    assert list(config) == columns
    widths = {c: config[c]["width"] for c in columns}
    assert READS_PX - len(columns) <= sum(widths.values()) <= READS_PX
    assert widths.get("Plate image", 145) == 145  # the whole crop, drawn at the row's height
    shared = [
        c for c in columns if c not in {"Time", "Plate", "Plate image", "Vehicle image"} | SHORT
    ]
    assert widths["Camera"] == max(widths[c] for c in shared)


def test_the_short_columns_are_named_in_few_words_and_say_what_they_hold() -> None:
    config = read_columns([*LEAD, "Distance", "Camera", "Confidence"], PACIFIC)
    assert config["Distance"]["label"] == "Dist."
    assert config["Confidence"]["label"] == "Conf."
    assert config["Confidence"]["help"].startswith("Confidence:")
    assert config["Time"]["help"].startswith("When the read was taken, in Pacific time")


def test_a_table_of_reads_of_several_years_gives_their_year_and_still_fits() -> None:
    columns = [*LEAD, "Vehicle image", "Distance", "Camera", "Confidence", "Vehicle"]
    short, long = read_columns(columns, PACIFIC), read_columns(columns, PACIFIC, years=True)
    assert long["Time"]["width"] > short["Time"]["width"]
    assert "month-day" in short["Time"]["help"] and "month-day" not in long["Time"]["help"]
    assert sum(c["width"] for c in long.values()) <= READS_PX
