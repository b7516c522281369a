"""The access log's per-person table as a supervisor scans it: every count in view, each in
words a sergeant reads without a legend, the purposes (the one long text) last."""

from __future__ import annotations

from datetime import UTC

from alpr.governance.oversight.describe import parameters
from alpr.governance.oversight.review import UserSummary
from alpr.ui.log_review import SUMMARY_HELP, shown_address, summary_rows


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
        "Other looks",
        "Exports",
        "Refused",
        "Flags",
        "Open flags",
        "Exigent",
        "Purposes",
    ]
    assert row["Person"] == "Det. Maria Alvarez (detective)" and row["Exports"] == 2
    assert row["Other looks"] == 3 and row["Refused"] == 1
    assert set(SUMMARY_HELP) <= set(row)  # every explained column is shown


def test_addresses_read_as_people_write_them() -> None:
    assert shown_address("::ffff:127.0.0.1") == "127.0.0.1"
    assert shown_address("10.0.0.7") == "10.0.0.7"
    assert shown_address("2001:db8::1") == "2001:db8::1"
    assert shown_address("cli") == "cli"
    assert shown_address(None) == ""


def test_watching_alerts_shows_no_start_date() -> None:
    """R22: the record of an alert watch names no "From: yes"; a search's window still shows."""
    assert parameters({"start": True}, UTC) == []
    assert parameters({"start": "2026-12-01T08:00:00+00:00", "plate": "7KQM482"}, UTC) == [
        ("From", "2026-12-01 08:00"),
        ("Plate", "7KQM482"),
    ]
