"""Case, call and warrant number formats: whether a number is in one of them, why a format
cannot be one (it takes free words, or a number can make it run for minutes), and an example
number for each, so a refusal, a form's hint and the policy page give numbers the agency's own
formats accept."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, Sequence
from itertools import cycle
from typing import Any

# The standard library's parser of regular expressions (``re._parser``; ``sre_parse`` is its
# deprecated public name).
_parser = importlib.import_module("re._parser")
_c = _parser  # its opcodes (LITERAL, IN, MAX_REPEAT...) are module attributes
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None))

# A number is a reference, never free text, whatever the agency's formats: at most this many
# letters, digits and - / . (the case_number columns of searches, access records, holds and
# hot-list entries hold 40).
MAX_LENGTH = 24
REFERENCE = re.compile(rf"[A-Za-z0-9./-]{{1,{MAX_LENGTH}}}")
# What people type where a number belongs: a format that takes one of them (as typed, or upper
# case as a number is checked) lets a search name a free word as its case.
NOT_NUMBERS = (
    "my ex",
    "curious",
    "just looking",
    "see notes",
    "stolen car on main st",
    "none",
    "nil",
    "na",
    "n/a",
    "tbd",
    "test",
    "unknown",
    "pending",
    "x",
    "0",
    "12",
    "123",
    "-",
    "?",
    "just curious",
    "#x y",
    "anything at all",
    "",
)

WHITESPACE = " \t\n\r\x0b\x0c\xa0"
# A class such as \d or \s inside a set, as the pattern that writes it.
_CATEGORIES = {
    _c.CATEGORY_DIGIT: r"\d",
    _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w",
    _c.CATEGORY_NOT_WORD: r"\W",
}

DIGITS = "260123456789"  # a number as written this year: 26-0123...
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


class _NoExample(Exception):
    """The format uses a construct no example is made for (a negated class, a lookaround)."""


def is_reference(number: str) -> bool:
    """Whether the number is shaped as a reference: letters, digits and - / . only, at most
    MAX_LENGTH of them."""
    return REFERENCE.fullmatch(number) is not None


def accepted(number: str, patterns: Sequence[str]) -> bool:
    """Whether the number is a reference and, whole, in one of the agency's formats; no format
    is run on text that is no reference (a long one could keep a format busy)."""
    return is_reference(number) and any(re.fullmatch(p, number) for p in patterns)


def _takes(pattern: str, text: str) -> bool:
    """Whether the format, on its own, takes the whole text as typed or in upper case."""
    return any(re.fullmatch(pattern, t) for t in (text, text.upper()))


def problem(pattern: str) -> str | None:
    """Why the pattern cannot be one of the agency's formats, in words; None when it can."""
    try:
        re.compile(pattern)
        parsed = _parser.parse(pattern)
    except (re.error, RecursionError):
        return "is not a valid regular expression"
    if _repeats_what_varies(parsed):
        return (
            "repeats a part that itself repeats or has alternatives, such as (\\d+)+: "
            "checking one number against it can take minutes"
        )
    word = next((w for w in NOT_NUMBERS if _takes(pattern, w)), None)
    if word == "":
        return "accepts an empty number"
    if word is not None:
        return f"accepts {word!r}, which is no case, call or warrant number"
    if _takes_space(parsed):
        return "accepts a space, and so free words: a number is letters, digits and - / . only"
    return None


def example(pattern: str) -> str | None:
    """A short number the format accepts (optional parts written once), with this year's
    digits; None when the format is not one an example can be made for."""
    try:
        parsed = _parser.parse(pattern)
        text = "".join(_written(parsed, cycle(DIGITS), cycle(LETTERS)))
    except (re.error, _NoExample, RecursionError):
        return None
    return text if text and accepted(text, [pattern]) else None


def examples(patterns: Sequence[str]) -> list[str]:
    """One example per format, where one can be made."""
    return [e for e in map(example, patterns) if e is not None]


def described(patterns: Sequence[str]) -> str:
    """The formats in words: their examples, or the patterns themselves when none can be made."""
    made = examples(patterns)
    if not made:
        return " · ".join(patterns) or "none"
    if len(made) == 1:
        return f"for example {made[0]}"
    return "for example " + ", ".join(made[:-1]) + f" or {made[-1]}"


def _written(items: Any, digits: Iterator[str], letters: Iterator[str]) -> Iterator[str]:
    for op, arg in items:
        if op is _c.LITERAL:
            yield chr(arg)
        elif op is _c.IN:
            yield _one_of(arg, digits, letters)
        elif op in _REPEATS:
            low, _high, inner = arg
            for _ in range(max(low, 1)):  # an optional dash is written, as people write it
                yield from _written(inner, digits, letters)
        elif op is _c.SUBPATTERN:
            yield from _written(arg[-1], digits, letters)
        elif op is _c.BRANCH:
            yield from _written(arg[1][0], digits, letters)
        elif op is _c.AT:
            continue
        else:
            raise _NoExample(op)


def _parts(op: Any, arg: Any) -> list[Any]:
    """The sub-patterns one parsed item holds."""
    if op is _c.SUBPATTERN:
        return [arg[-1]]
    if op is _c.BRANCH:
        return list(arg[1])
    if op in _REPEATS:
        return [arg[2]]
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return [arg[1]]
    if op is _c.ATOMIC_GROUP:
        return [arg]
    if op is _c.GROUPREF_EXISTS:
        return [part for part in arg[1:] if part is not None]
    return []


def _varies(items: Any) -> bool:
    """Whether the items can match one text in more than one way: a repeat of no fixed count,
    or alternatives."""
    return any(
        op in (_c.BRANCH, _c.GROUPREF_EXISTS)
        or (op in _REPEATS and arg[0] != arg[1])
        or any(_varies(part) for part in _parts(op, arg))
        for op, arg in items
    )


def _takes_space(items: Any) -> bool:
    """Whether a part that consumes text can take a space, a tab or a line break (what a
    lookaround asserts consumes nothing: the text a format takes is made of the other parts)."""
    return any(
        op is _c.ANY
        or op is _c.NOT_LITERAL
        or (op is _c.LITERAL and chr(arg).isspace())
        or (op is _c.IN and any(_in_set(arg, c) for c in WHITESPACE))
        or (op not in (_c.ASSERT, _c.ASSERT_NOT) and any(map(_takes_space, _parts(op, arg))))
        for op, arg in items
    )


def _in_set(members: Any, char: str) -> bool:
    """Whether a set such as [A-Z0-9 ] or [^-] takes the character; a member of a kind this
    does not know is taken to take it."""
    negated = bool(members) and members[0][0] is _c.NEGATE
    found = any(
        (op is _c.LITERAL and chr(arg) == char)
        or (op is _c.RANGE and arg[0] <= ord(char) <= arg[1])
        or (op is _c.CATEGORY and re.fullmatch(_CATEGORIES.get(arg, r"[\s\S]"), char) is not None)
        or op not in (_c.LITERAL, _c.RANGE, _c.CATEGORY, _c.NEGATE)
        for op, arg in members
    )
    return found != negated


def _repeats_what_varies(items: Any) -> bool:
    """A repeat of something that varies, such as (\\d+)+ or (a|ab)*: on a number it does not
    accept, the engine tries every way of splitting the number between them, which grows
    exponentially with its length."""
    return any(
        (op in _REPEATS and arg[1] > 1 and _varies(arg[2]))
        or any(_repeats_what_varies(part) for part in _parts(op, arg))
        for op, arg in items
    )


def _one_of(members: Any, digits: Iterator[str], letters: Iterator[str]) -> str:
    op, arg = members[0]
    if op is _c.CATEGORY and arg is _c.CATEGORY_DIGIT:
        return next(digits)
    if op is _c.LITERAL:
        return chr(arg)
    if op is _c.RANGE:
        low, high = arg
        wanted = next(digits) if chr(low).isdigit() else next(letters)
        return wanted if low <= ord(wanted) <= high else chr(low)
    raise _NoExample(op)
