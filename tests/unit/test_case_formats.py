"""R21: the agency's case, call and warrant number formats are shown as example numbers that
the formats themselves accept, so a hint or a refusal never suggests a number that is refused;
a format must take the whole number and no free word, and no number may keep it busy."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError
from sqlalchemy import String

import alpr.data.models  # noqa: F401  every table in the metadata
from alpr.case_formats import (
    MAX_LENGTH,
    accepted,
    described,
    example,
    is_reference,
    problem,
)
from alpr.data.base import Base
from alpr.governance.profiles import profiles
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


SHIPPED = sorted(
    set(Policy().case_number_patterns)
    | {
        pattern
        for profile in profiles()
        for value in profile.values
        if value.key == "case_number_patterns"
        for pattern in value.value
    }
)


@pytest.mark.parametrize(
    "pattern",
    [
        *SHIPPED,
        r"^SC[0-9]{8}$",
        r"^(DC|SF)-\d{2}-[A-Z]{2}\d+$",
        r"^\d{2}-?\d{4}$",
        r"^(?:\d{2}-){2}\d{4}$",
        r"\d{2}-\d{4,6}",
    ],
)
def test_the_shipped_and_profile_formats_and_real_ones_are_accepted(pattern: str) -> None:
    assert problem(pattern) is None
    Policy.model_validate({"case_number_patterns": [pattern]})


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (".*", "accepts 'my ex', which is no case, call or warrant number"),
        (r"^[A-Z ]+$", "accepts 'my ex'"),
        (r"^\w+$", "accepts 'curious'"),
        (r"^[A-Z/]{1,4}$", "accepts 'none'"),
        (r"^\d+$", "accepts '0'"),
        (r"^\d{2}$", "accepts '12'"),
        (r"^\d{2}-\d{4,6}$|^.+$", "accepts 'my ex'"),
        (r"^(W\d{6})?$", "accepts an empty number"),
        (r"^(\d+)+$", "repeats a part that itself repeats"),
        (r"^(a*)*$", "repeats a part that itself repeats"),
        (r"^(\d|\d)+$", "repeats a part that itself repeats or has alternatives"),
        (r"^(A|AB)+\d{4}$", "repeats a part that itself repeats or has alternatives"),
        (r"^(\d{1,2})+$", "repeats a part that itself repeats"),
        (r"^W(\d+){10}$", "repeats a part that itself repeats"),
        (r"^W(?=(\d+)+)\d{6}$", "repeats a part that itself repeats"),
        ("(unclosed", "is not a valid regular expression"),
    ],
)
def test_a_format_that_takes_free_words_or_backtracks_is_refused_saying_why(
    pattern: str, reason: str
) -> None:
    """R21: a format is how a case number is told from a free word; one that takes a word, or
    one a number can keep busy for minutes, is refused by the policy with the reason."""
    assert reason in (problem(pattern) or "")
    with pytest.raises(ValidationError, match=re.escape(reason)):
        Policy.model_validate({"case_number_patterns": [*Policy().case_number_patterns, pattern]})


def test_a_format_must_take_the_whole_number() -> None:
    """R21: a format without ^ and $ still has to match the whole number, so a number followed
    or preceded by free words is not in it."""
    assert accepted("26-01234", [r"\d{2}-\d{4,6}"])
    assert not accepted("26-01234 MY EX", [r"\d{2}-\d{4,6}"])
    assert not accepted("MY EX 26-01234", [r"\d{2}-\d{4,6}"])
    assert not accepted("26-01234 MY EX", [r"^\d{2}-\d{4,6}"])
    assert not accepted("26-01234\n", [r"^\d{2}-\d{4,6}$"])


def test_a_number_longer_than_a_reference_is_in_no_format_and_runs_none() -> None:
    """R21: a number longer than a reference is refused before a format runs: an unusable
    format, which raises when run, is never reached."""
    assert MAX_LENGTH == 24
    assert not accepted("1" * (MAX_LENGTH + 1), ["(unclosed"])
    with pytest.raises(re.error):
        accepted("1" * MAX_LENGTH, ["(unclosed"])
    assert accepted("W" + "1" * (MAX_LENGTH - 1), [r"^W\d+$"])
    assert not accepted("W" + "1" * MAX_LENGTH, [r"^W\d+$"])


def test_the_longest_number_fits_every_case_number_column() -> None:
    columns = [
        t.c.case_number
        for t in Base.metadata.tables.values()
        if "case_number" in t.c and isinstance(t.c.case_number.type, String)
    ]
    assert columns and all(c.type.length >= MAX_LENGTH for c in columns)


@pytest.mark.parametrize(
    "number", ["#JUST CURIOUS", "26-01234 MY EX", "26_01234", "26-0123#", "W1\t2", "26–01234"]
)
def test_text_that_is_no_reference_is_in_no_format_whatever_the_formats(number: str) -> None:
    """R21: a number is letters, digits and - / . only, so even a format that takes anything
    (one recorded before formats were checked) takes no free text as a number."""
    assert not is_reference(number)
    assert not accepted(number, [".*", r"^#.*$"])
    assert accepted("C26-004/12.A", [".*"])


@pytest.mark.parametrize(
    "pattern",
    [
        r"^#.*$",
        r"^\d{2}\s\d{4}$",
        r"^\d{2}[- ]\d{4,6}$",
        r"^\d{2}[^0-9]\d{5}$",
        r"^W\d{6}\x20?$",
        r"(?s)^W.\d{5}$",
        r"^C\d{2}-[A-Z\s]{3,9}$",
    ],
)
def test_a_format_that_takes_a_space_is_refused(pattern: str) -> None:
    """R21: the administrator's format ^#.*$ took '#just curious about my neighbor' as a case
    number. A format that takes a space (or any character, a tab, a line break) takes free
    words, whether or not one of the probes shows it."""
    reason = problem(pattern) or ""
    assert "accepts a space" in reason or "which is no case, call or warrant number" in reason
    with pytest.raises(ValidationError):
        Policy.model_validate({"case_number_patterns": [pattern]})


@pytest.mark.parametrize("pattern", [r"^(?!.*X)[A-Z]\d{4}$", r"^\d{2}-?\d{4}$", r"^[^\W_]\d{5}$"])
def test_a_lookaround_or_a_set_without_a_space_is_no_free_text(pattern: str) -> None:
    assert problem(pattern) is None
