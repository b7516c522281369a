"""Refusals: the one exception every door (page, CLI, export) turns into a message."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

Choice = TypeVar("Choice", bound=StrEnum)

# Integers either database holds: -INT64 <= n < INT64 (a signed 64-bit integer).
INT64 = 2**63


class RefusalKind(StrEnum):
    SIGN_IN = "sign_in"
    PERMISSION = "permission"
    TRAINING = "training"
    JUSTIFICATION = "justification"
    BOUNDS = "bounds"
    RULE = "rule"


class Refusal(Exception):
    """A request the law or the agency's policy does not allow; the message says why."""

    def __init__(self, kind: RefusalKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


class InvalidInput(ValueError):
    """Input that cannot be used (a malformed date, an unknown camera); nothing was done."""


def one_of(enum: type[Choice], value: str, what: str) -> Choice:
    """``value`` as a member of a closed vocabulary, or bad input naming the accepted values."""
    try:
        return enum(value)
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not {what}; use one of: " + ", ".join(m.value for m in enum)
        ) from None


def check_ids(ids: Iterable[int], what: str) -> None:
    """Bad input unless every id is a record number either database can hold: a larger one
    would reach the database as an error, not as a number that names nothing."""
    if any(not 0 < i < INT64 for i in ids):
        raise InvalidInput(f"{what} is a whole number from 1 to {INT64 - 1:,}")
