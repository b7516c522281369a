"""R21: the agency's case, call and warrant number formats are shown as example numbers that
the formats themselves accept, so a hint or a refusal never suggests a number that is refused."""

from __future__ import annotations

import re

import pytest

from alpr.case_formats import described, example
from alpr.policy import Policy


@pytest.mark.parametrize(
    ("pattern", "number"),
    [
        (r"^\d{2}-\d{4,6}$", "26-0123"),
        (r"^C\d{2}-\d{5,7}$", "C26-01234"),
        (r"^W\d{6,10}$", "W260123"),
        (r"^SC[0-9]{8}$", "SC26012345"),
        (r"^(DC|SF)-\d{2}-[A-Z]{2}\d+$", "DC-26-AB0"),
        (r"^\d{2}-?\d{4}$", "26-0123"),
    ],
)
def test_each_format_gets_a_number_it_accepts(pattern: str, number: str) -> None:
    assert example(pattern) == number
    assert re.match(pattern, number)


@pytest.mark.parametrize("pattern", [r"^[^0-9]+$", r"(?=x)abc", "(unclosed"])
def test_no_example_is_made_up_for_formats_it_cannot_follow(pattern: str) -> None:
    assert example(pattern) is None
    assert described([pattern]) == pattern


def test_the_shipped_formats_in_words() -> None:
    assert described(Policy().case_number_patterns) == ("for example 26-0123, C26-01234 or W260123")
