"""R10, R15, R21: a purpose from the list and a number in the agency's format, or a
description that identifies the incident; vague reasons are refused."""

from __future__ import annotations

import pytest

from alpr.governance.errors import Refusal, RefusalKind
from alpr.governance.justification import justify
from alpr.policy import Policy

PATTERNS = Policy().case_number_patterns


def _justify(**kwargs: object) -> object:
    base: dict[str, object] = {
        "purpose": "stolen_vehicle",
        "case_number": None,
        "description": None,
        "exigent": False,
    }
    base.update(kwargs)
    return justify(case_number_patterns=PATTERNS, **base)  # type: ignore[arg-type]


@pytest.mark.parametrize("number", ["26-01234", "C26-004512", "W2026123", " 26-123456 "])
def test_numbers_in_agency_formats_are_accepted(number: str) -> None:
    result = _justify(case_number=number)
    assert result.case_number == number.strip().upper()  # type: ignore[attr-defined]


@pytest.mark.parametrize("number", ["12345", "case 26-1", "ABC", "26_01234"])
def test_numbers_in_other_formats_are_refused(number: str) -> None:
    with pytest.raises(Refusal, match="agency's formats") as exc:
        _justify(case_number=number)
    assert exc.value.kind is RefusalKind.JUSTIFICATION


@pytest.mark.parametrize(
    "text",
    [
        "investigation",
        "inv",
        "case",
        "test",
        "Investigation",
        "inv - case",
        "ongoing investigation",
        "official police business",
        "follow up on case",
        "n/a",
    ],
)
def test_vague_descriptions_are_refused(text: str) -> None:
    with pytest.raises(Refusal, match="does not identify an incident"):
        _justify(description=text)


def test_identifying_description_is_accepted_without_number() -> None:
    result = _justify(description="Armed robbery at 7-Eleven Geneva Ave, 21 Nov about 22:40")
    assert result.case_number is None  # type: ignore[attr-defined]


def test_missing_purpose_and_unknown_purpose_are_refused() -> None:
    with pytest.raises(Refusal, match="State the purpose"):
        _justify(purpose=None, case_number="26-01234")
    with pytest.raises(Refusal, match="not an authorized purpose"):
        _justify(purpose="curiosity", case_number="26-01234")


def test_neither_number_nor_description_is_refused() -> None:
    with pytest.raises(Refusal, match="case, call or warrant number"):
        _justify()


def test_exigent_search_must_describe_the_emergency() -> None:
    with pytest.raises(Refusal, match="life-safety"):
        _justify(case_number="26-01234", exigent=True)
    result = _justify(
        exigent=True, description="Child abducted from Serramonte mall 10 minutes ago"
    )
    assert result.exigent  # type: ignore[attr-defined]
