"""The access log's per-person table as a supervisor scans it: every count in view, the
purposes (the one long text) last."""

from __future__ import annotations

from alpr.governance.oversight.review import UserSummary
from alpr.ui.log_review import summary_rows


def test_counts_come_before_the_purposes() -> None:
    summary = UserSummary(
        username="detective",
        full_name="Det. Maria Alvarez",
        searches=4,
        refused=1,
        purposes="Canvass around a major crime scene (2), Stolen vehicle (2)",
        flags=1,
        open_flags=1,
        exigent=0,
        exports=2,
    )
    [row] = summary_rows([summary])
    assert list(row) == [
        "Person",
        "Searches",
        "Refused",
        "Flags",
        "Flags without a finding",
        "Exigent",
        "Exports",
        "Purposes",
    ]
    assert row["Person"] == "Det. Maria Alvarez (detective)" and row["Exports"] == 2
