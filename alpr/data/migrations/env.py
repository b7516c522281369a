"""Alembic environment: runs on the connection handed over by ``alpr.data.schema``."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from alpr.data import models  # noqa: F401  (registers every table)
from alpr.data.base import Base

DIALECT_TABLES = {"reads"}


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    return not (type_ == "table" and name in DIALECT_TABLES)


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations(context.config.attributes["connection"])
