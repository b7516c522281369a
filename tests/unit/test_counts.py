"""Counts in the pages' messages read as people write them."""

from alpr.ui.counts import counted, days_spoken, minutes_spoken


def test_one_is_singular_and_others_plural_with_thousands_separated() -> None:
    assert [counted(n, "read") for n in (0, 1, 2, 1234)] == [
        "0 reads",
        "1 read",
        "2 reads",
        "1,234 reads",
    ]


def test_spans_of_time_read_as_spoken_never_as_zero_minutes() -> None:
    assert [minutes_spoken(m) for m in (0.0, 0.4, 1.0, 4.6, 59.4, 60, 125, 1500)] == [
        "< 1 min",
        "< 1 min",
        "1 min",
        "5 min",
        "59 min",
        "1 h",
        "2 h 5 min",
        "25 h",
    ]


def test_retention_periods_name_whole_years_with_their_days() -> None:
    """The public page and the retention page say 5 years, not 1825 days, and keep the days
    for whoever checks them against the policy."""
    assert [days_spoken(d) for d in (365, 730, 1825, 90, 1, 400)] == [
        "1 year (365 days)",
        "2 years (730 days)",
        "5 years (1,825 days)",
        "90 days",
        "1 day",
        "400 days",
    ]
