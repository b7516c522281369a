"""Case, call and warrant number formats shown as people read them: an example number for each
of the agency's formats (regular expressions), so a refusal, a form's hint and the policy page
give numbers the agency's own formats accept."""

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

DIGITS = "260123456789"  # a number as written this year: 26-0123...
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


class _NoExample(Exception):
    """The format uses a construct no example is made for (a negated class, a lookaround)."""


def accepted(number: str, patterns: Sequence[str]) -> bool:
    """Whether the number is in one of the agency's formats."""
    return any(re.match(pattern, number) for pattern in patterns)


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
