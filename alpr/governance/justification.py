"""The justification every query carries (R10, R15, R21): an enumerated purpose, a case, call
or warrant number in one of the agency's formats or, when none exists, a description that
identifies the incident, and whether the search is exigent."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from alpr.data.models import Purpose
from alpr.governance.errors import Refusal, RefusalKind

PURPOSE_LABELS: dict[Purpose, str] = {
    Purpose.STOLEN_VEHICLE: "Stolen vehicle",
    Purpose.WANTED_VEHICLE: "Wanted vehicle",
    Purpose.STOLEN_PLATE: "Stolen plate",
    Purpose.MISSING_PERSON: "Missing person",
    Purpose.AMBER_ALERT: "AMBER alert",
    Purpose.ACTIVE_WARRANT: "Active warrant",
    Purpose.HOMELAND_SECURITY: "Homeland security",
    Purpose.ELECTRONIC_SURVEILLANCE: "Electronic surveillance",
    Purpose.SUSPECT_INTERDICTION: "Suspect interdiction",
    Purpose.STOLEN_PROPERTY: "Stolen property recovery",
    Purpose.MAJOR_CRIME_CANVASS: "Canvass around a major crime scene",
}

# The commonest logged reasons in audits of ALPR use: they identify nothing.
VAGUE_WORDS = frozenset(
    {
        "investigation",
        "investigations",
        "investigative",
        "inv",
        "invest",
        "case",
        "cases",
        "test",
        "testing",
        "tst",
        "na",
        "n/a",
        "none",
        "nothing",
        "other",
        "misc",
        "work",
        "official",
        "business",
        "police",
        "law",
        "enforcement",
        "lookup",
        "look",
        "up",
        "check",
        "checking",
        "query",
        "search",
        "searching",
        "followup",
        "follow",
        "request",
        "per",
        "supervisor",
        "info",
        "information",
        "training",
        "demo",
        "purpose",
        "reason",
        "general",
        "routine",
        "background",
        "just",
        "a",
        "an",
        "the",
        "for",
        "of",
        "to",
        "and",
        "on",
        "in",
        "re",
        "ongoing",
        "active",
        "open",
        "crime",
        "suspect",
    }
)
MIN_DESCRIPTION_WORDS = 4
MIN_DESCRIPTION_CHARS = 20


@dataclass(frozen=True)
class Justification:
    purpose: Purpose
    case_number: str | None
    description: str | None
    exigent: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "purpose": self.purpose.value,
            "case_number": self.case_number,
            "description": self.description,
            "exigent": self.exigent,
        }


def _refuse(message: str) -> Refusal:
    return Refusal(RefusalKind.JUSTIFICATION, message)


def _meaningful_words(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9/]+", text.lower())
    return [w for w in words if w not in VAGUE_WORDS]


def justify(
    *,
    purpose: str | Purpose | None,
    case_number: str | None,
    description: str | None,
    exigent: bool,
    case_number_patterns: Sequence[str],
) -> Justification:
    """Validate a justification; a refusal says exactly what is missing and how to fix it."""
    if not purpose:
        raise _refuse(
            "State the purpose of this search: one of "
            + ", ".join(PURPOSE_LABELS[p] for p in Purpose)
            + " (R10)."
        )
    try:
        chosen = Purpose(purpose)
    except ValueError:
        raise _refuse(
            f"{purpose!r} is not an authorized purpose; choose one of "
            + ", ".join(p.value for p in Purpose)
            + " (R10)."
        ) from None
    number = (case_number or "").strip().upper() or None
    text = (description or "").strip() or None
    if number is not None and not any(re.match(p, number) for p in case_number_patterns):
        raise _refuse(
            f"{number!r} is not a case, call or warrant number in this agency's formats "
            "(for example 26-01234, C26-004512 or W2026123). If no number exists, leave it "
            "empty and describe the incident instead (R21)."
        )
    if number is None:
        if text is None:
            raise _refuse(
                "Enter the case, call or warrant number, or, if none exists yet, a description "
                "that identifies the incident (what happened, where, when) (R21)."
            )
        meaningful = _meaningful_words(text)
        if len(text) < MIN_DESCRIPTION_CHARS or len(meaningful) < MIN_DESCRIPTION_WORDS:
            raise _refuse(
                f"{text!r} does not identify an incident: words such as 'investigation', "
                "'inv', 'case' or 'test' are not a reason. Say what happened, where and when, "
                "e.g. 'armed robbery at 7-Eleven Geneva Ave 21 Nov about 22:40' (R21)."
            )
    if exigent and text is None:
        raise _refuse(
            "An exigent search must describe the life-safety emergency that justifies it (R15)."
        )
    return Justification(purpose=chosen, case_number=number, description=text, exigent=exigent)
