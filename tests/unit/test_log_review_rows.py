"""The access log's per-person table as a supervisor scans it: every count in view, each in
words a sergeant reads without a legend, the purposes (the one long text) last."""

from __future__ import annotations

from alpr.governance.oversight.review import UserSummary
from alpr.ui.log_review import SUMMARY_HELP, summary_rows


def test_counts_come_before_the_purposes() -> None:
    summary = UserSummary(
        username="detective",
        full_name="Det. Maria Alvarez",
        searches=4,
        looks=3,
        exports=2,
        refused=1,
        purposes="Canvass around a major crime scene (5), Stolen vehicle (4)",
        flags=1,
        open_flags=1,
        exigent=0,
    )
    [row] = summary_rows([summary])
    assert list(row) == [
        "Person",
        "Searches",
        "Other looks at data",
        "Exports",
        "Refused",
        "Flags",
        "Flags without a finding",
        "Exigent searches",
        "Purposes",
    ]
    assert row["Person"] == "Det. Maria Alvarez (detective)" and row["Exports"] == 2
    assert row["Other looks at data"] == 3 and row["Refused"] == 1
    assert set(SUMMARY_HELP) <= set(row)  # every explained column is shown
