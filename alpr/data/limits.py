"""Values checked against their columns before they reach the database, the same on SQLite and
Postgres: text longer than its column, NUL characters (Postgres refuses them, SQLite would keep
them), integers beyond their column's range. Refused with the column's name and limit only: a
database error would quote the whole row, secrets included."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, Integer, SmallInteger, String, event, inspect
from sqlalchemy.orm import Session, UOWTransaction

INTEGER_RANGES = (
    (SmallInteger, 2**15),
    (BigInteger, 2**63),
    (Integer, 2**31),
)


class ValueRejected(ValueError):
    """A value its column cannot hold; nothing of the transaction was stored."""


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def _problem(name: str, column_type: Any, value: Any) -> str | None:
    if value is None:
        return None
    if _has_nul(value):
        return f"{name} must not contain NUL characters"
    length = column_type.length if isinstance(column_type, String) else None
    if isinstance(value, str) and length is not None and len(value) > length:
        return f"{name} takes at most {length} characters (given {len(value)})"
    if isinstance(value, int) and not isinstance(value, bool):
        for kind, bound in INTEGER_RANGES:
            if isinstance(column_type, kind):
                if not -bound <= value < bound:
                    return f"{name} is out of range (at most {bound - 1})"
                break
    return None


def _check(objects: Iterable[Any]) -> None:
    for obj in objects:
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            if attr.key not in state.dict:
                continue
            problem = _problem(attr.key, attr.columns[0].type, state.dict[attr.key])
            if problem:
                raise ValueRejected(problem)


@event.listens_for(Session, "before_flush")
def _refuse_what_columns_cannot_hold(
    session: Session, _context: UOWTransaction, _instances: Any
) -> None:
    _check(session.new)
    _check(session.dirty)


def refuse_nul_parameters(
    _conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, _many: bool
) -> None:
    """Statement parameters with NUL characters (a name searched for, a row of a file):
    refused the same on both databases."""
    batches = parameters if isinstance(parameters, list) else [parameters]
    for batch in batches:
        values = batch.values() if isinstance(batch, dict) else (batch or ())
        if any(isinstance(v, str) and "\x00" in v for v in values):
            raise ValueRejected("text must not contain NUL characters")
