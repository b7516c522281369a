"""Counts in the pages' messages read as people write them."""

from alpr.ui.counts import counted


def test_one_is_singular_and_others_plural_with_thousands_separated() -> None:
    assert [counted(n, "read") for n in (0, 1, 2, 1234)] == [
        "0 reads",
        "1 read",
        "2 reads",
        "1,234 reads",
    ]
