"""The justification every query carries (R10, R15, R21): an enumerated purpose, a case, call
or warrant number in one of the agency's formats or, when none exists, a description that
identifies the incident, and whether the search is exigent."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from alpr import case_formats
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
# A reason given with a case number (a legal hold, a hot-list entry): the number identifies
# the incident, the reason says why in a few words a reviewer can weigh.
MIN_REASON_WORDS = 3
OFFENSE_LIST = Path(__file__).with_name("offenses.txt")
EXAMPLE = "e.g. 'armed robbery (211 PC) at 7-Eleven Geneva Ave 21 Nov about 22:40'"

_CODES = r"(?:PC|VC|HS|H&S|HSC|WI|W&I|WIC|BP|B&P)"
STATUTE = re.compile(
    rf"(?<![A-Za-z0-9])(?:{_CODES}\s*§?\s*\d{{2,5}}(?:\.\d+)?"
    rf"|\d{{2,5}}(?:\.\d+)?(?:\([a-z0-9]+\))*\s*{_CODES}"
    r"|(?:penal|vehicle|health and safety|welfare and institutions) code"
    r"(?: section)?\s*§?\s*\d{2,5})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
TIME = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)|\b\d{4}\s?(?:hrs|hours)\b"
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{4}-\d{2}-\d{2}\b"
    rf"|\b{_MONTHS}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTHS}|\b{_DAYS}\b"
    r"|\b(?:today|tonight|yesterday|last night|this (?:morning|afternoon|evening)|just now)\b"
    r"|\b(?:\d+|an?|one|two|three|few|several|ten|twenty|thirty|forty)\s+(?:minutes?|mins?|"
    r"hours?|hrs?)\s+ago\b",
    re.IGNORECASE,
)
VAGUE_TIME = re.compile(
    r"\b(?:recently|earlier|lately|overnight|last (?:week|month)|this week"
    r"|(?:last|past) (?:\w+ )?(?:days|weeks|months)|day shift|night shift|swing shift)\b",
    re.IGNORECASE,
)
_NOT_A_NAME = r"(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun))"
PLACE = re.compile(
    r"(?i:\b(?:st|street|ave|avenue|blvd|boulevard|rd|road|dr|drive|way|ln|lane|ct|court|pl"
    r"|hwy|highway|fwy|freeway|interstate|expressway|pkwy|parkway|plaza|mall|park|school"
    r"|station|bank|store|market|center|centre|lot|garage|hospital|church|apartments?|motel"
    r"|hotel|campus|library|restaurant|bar|warehouse|yard|residence|intersection|block|corner"
    r"|exit|bridge|bart|pier)\b|\b7-eleven\b|\b(?:beat|sector)\s*\d+\b)"
    r"|\b(?:I|US|SR|CA|Hwy)[- ]?\d{1,3}\b"
    rf"|\b\d{{2,6}}\s+{_NOT_A_NAME}[A-Z][a-z]+"
    rf"|\b(?:at|near|on|in|from|outside|behind)\s+{_NOT_A_NAME}[A-Z][A-Za-z]+",
)
VAGUE_PLACE = re.compile(
    r"\b(?:district|area|neighbou?rhood|city|town|downtown|zone|citywide)\b",
    re.IGNORECASE,
)
PERSONAL = re.compile(
    r"\bmy ex\b|\bex[- ]?(?:girl ?friend|boy ?friend|wife|husband|spouse)\b"
    r"|\b(?:girl|boy) ?friend\b"
    r"|\bmy (?:wife|husband|spouse|neighbou?rs?|daughter|son|kids?|child|family|friends?|date"
    r"|roommate|landlord|tenant|brother|sister|mom|mother|dad|father|cousin|relatives?|house"
    r"|home|apartment|fianc[eé]e?|in-laws?)\b|\bcurio(?:us|sity)\b|\bfor fun\b|\bjust because\b"
    r"|\bbored\b|\bpersonal\b(?! (?:property|injury|injuries|items|belongings))"
    r"|\bkeep(?:ing)? tabs\b"
    r"|\bspy(?:ing)? on\b|\bcheating\b",
    re.IGNORECASE,
)
KEYBOARD_RUNS = (
    "qwer", "wert", "erty", "rtyu", "tyui", "yuio", "uiop", "asdf", "sdfg", "dfgh", "fghj",
    "ghjk", "hjkl", "zxcv", "xcvb", "cvbn", "vbnm",
)  # fmt: skip
# Abbreviations an officer writes that have no vowel.
NO_VOWEL_WORDS = frozenset({"blvd", "hwy", "pkwy", "fwy", "hrs", "mph", "st", "dr", "ln", "ct"})


@dataclass(frozen=True)
class Assessment:
    """What a description without a case number says: why it is refused, or what is thin
    about it (accepted, and flagged for the sergeant's review)."""

    refusal: str | None
    concerns: tuple[str, ...] = ()


@functools.cache
def shipped_offenses() -> tuple[str, ...]:
    lines = OFFENSE_LIST.read_text(encoding="utf-8").splitlines()
    return tuple(t.strip().lower() for t in lines if t.strip() and not t.startswith("#"))


@functools.cache
def _offense_pattern(extra: tuple[str, ...]) -> re.Pattern[str]:
    terms = [t.strip().lower() for t in (*shipped_offenses(), *extra) if t.strip()]
    alternatives = [re.escape(t[:-1]) + r"\w*" if t.endswith("*") else re.escape(t) for t in terms]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


def _gibberish(text: str) -> str | None:
    letters = [c for c in text.lower() if c.isalpha()]
    words = re.findall(r"[a-z]+", text.lower())
    if len(letters) >= 12 and len(set(letters)) < 8:
        return "it uses too few different letters to say anything"
    if len(words) >= 4 and len(set(words)) / len(words) <= 0.5:
        return "it repeats the same words"
    mashed = [
        w
        for w in words
        if len(w) >= 4
        and w not in NO_VOWEL_WORDS
        and (not re.search(r"[aeiouy]", w) or any(run in w for run in KEYBOARD_RUNS))
    ]
    if mashed and len(mashed) >= max(2, len(words) // 4):
        return "it reads as keyboard mash"
    return None


def _shown(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


def personal_use(text: str) -> str | None:
    """Why a description reads as personal use ('my ex', 'curious', 'for fun'), or None: any
    description a search gives is read for it, with a case number or without."""
    personal = PERSONAL.search(text)
    if personal is None:
        return None
    return (
        f"{_shown(text)!r} reads as personal use ({personal.group(0)!r}): ALPR data may be "
        "searched only for an authorized law enforcement purpose."
    )


def assess_description(text: str, *, offenses: Sequence[str] = ()) -> Assessment:
    """A description standing in for a case number (R21), or saying what the emergency of an
    exigent search is (R15), must name an offense (a code section or a term of the agency's
    offense list), a place and a time; personal use and gibberish are refused. A vague place
    or time ('the area', 'recently') is accepted but flagged; a numbered beat or sector is a
    place the agency defines."""
    shown = _shown(text)
    personal = personal_use(text)
    if personal:
        return Assessment(personal)
    gibberish = _gibberish(text)
    meaningful = _meaningful_words(text)
    if len(text) < MIN_DESCRIPTION_CHARS or len(meaningful) < MIN_DESCRIPTION_WORDS or gibberish:
        return Assessment(
            f"{shown!r} does not identify an incident"
            + (f" ({gibberish})" if gibberish else "")
            + ": words such as 'investigation', 'inv', 'case' or 'test' are not a reason. Say "
            f"what happened, where and when, {EXAMPLE}."
        )
    offense = STATUTE.search(text) or _offense_pattern(tuple(offenses)).search(text)
    place, vague_place = PLACE.search(text), VAGUE_PLACE.search(text)
    time, vague_time = TIME.search(text), VAGUE_TIME.search(text)
    missing = [
        what
        for what, found in (
            ("the offense (a code section such as PC 459, or a crime such as burglary)", offense),
            ("where it happened", place or vague_place),
            ("when it happened", time or vague_time),
        )
        if not found
    ]
    if missing:
        return Assessment(
            f"{shown!r} does not identify an incident: it does not say "
            + ", nor ".join(missing)
            + f". Name the offense, the place and the time, {EXAMPLE}."
        )
    concerns = []
    if not place and vague_place:
        concerns.append(f"the place is only {vague_place.group(0)!r}")
    if not time and vague_time:
        concerns.append(f"the time is only {vague_time.group(0)!r}")
    return Assessment(None, tuple(concerns))


def reason_problem(text: str) -> str | None:
    """Why ``text``, a reason given with a case number, says nothing a reviewer can weigh, or
    None: personal use, gibberish, or fewer than ``MIN_REASON_WORDS`` words beyond the vague
    ones ('investigation', 'case', 'test'...). The case number identifies the incident, so
    the offense, place and time a description stands in for are not asked of it."""
    personal = PERSONAL.search(text)
    if personal:
        return f"it reads as personal use ({personal.group(0)!r})"
    gibberish = _gibberish(text)
    if gibberish:
        return gibberish
    if len(_meaningful_words(text)) < MIN_REASON_WORDS:
        return (
            f"it says too little: at least {MIN_REASON_WORDS} words are needed besides ones "
            "such as 'investigation', 'case' or 'test'"
        )
    return None


def case_number_problem(number: str, patterns: Sequence[str]) -> str | None:
    """Why ``number`` is not a case, call or warrant number of this agency, or None: free text
    rather than a reference (whatever the formats), or in none of the agency's formats (matched
    whole)."""
    if not case_formats.is_reference(number):
        return _not_a_reference(number)
    if not case_formats.accepted(number, patterns):
        return (
            f"{number!r} is not a case, call or warrant number in this agency's formats "
            f"({case_formats.described(patterns)})."
        )
    return None


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


def _not_a_reference(number: str) -> str:
    """Why the text given as a number is none, without repeating it (it may be anything)."""
    shape = (
        f"the one given has {len(number)} characters"
        if len(number) > case_formats.MAX_LENGTH
        else "the one given has a space or another sign"
    )
    return (
        "This is not a case, call or warrant number: a number is a reference, not free text, "
        f"of at most {case_formats.MAX_LENGTH} letters, digits and - / . (no spaces); {shape}."
    )


def _check_description(text: str | None, *, exigent: bool, offenses: Sequence[str]) -> None:
    """A description standing in for a case number, or saying what the emergency of an exigent
    search is (R15), identifies the incident: an exigent search goes beyond the usual rules,
    so 'x' is no emergency, case number or not."""
    if exigent:
        need = "An exigent search must describe the life-safety emergency that justifies it"
    else:
        need = (
            "Enter the case, call or warrant number, or, if none exists yet, a description "
            "that identifies the incident"
        )
    if text is None:
        raise _refuse(f"{need} (what happened, where, when).")
    refusal = assess_description(text, offenses=offenses).refusal
    if refusal:
        raise _refuse(f"{need}. {refusal}" if exigent else refusal)


def justify(
    *,
    purpose: str | Purpose | None,
    case_number: str | None,
    description: str | None,
    exigent: bool,
    case_number_patterns: Sequence[str],
    offenses: Sequence[str] = (),
) -> Justification:
    """Validate a justification; a refusal says exactly what is missing and how to fix it."""
    if not purpose:
        raise _refuse(
            "State the purpose of this search: one of "
            + ", ".join(PURPOSE_LABELS[p] for p in Purpose)
            + "."
        )
    try:
        chosen = Purpose(purpose)
    except ValueError:
        raise _refuse(
            f"{purpose!r} is not an authorized purpose; choose one of "
            + ", ".join(p.value for p in Purpose)
            + "."
        ) from None
    number = (case_number or "").strip().upper() or None
    text = (description or "").strip() or None
    problem = case_number_problem(number, case_number_patterns) if number else None
    if problem:
        raise _refuse(
            f"{problem} If no number exists, leave it empty and describe the incident instead."
        )
    personal = personal_use(text) if text is not None else None
    if personal:
        raise _refuse(personal)
    if number is None or exigent:
        _check_description(text, exigent=exigent, offenses=offenses)
    return Justification(purpose=chosen, case_number=number, description=text, exigent=exigent)
