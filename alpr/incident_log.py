"""Unexpected failures, written down for the administrator and never shown to the person who
met them: ``incidents.log`` under the data directory gets the traceback's frames and each
exception's type, and the person gets only a reference to quote. A database error carries the
statement's values (a new account's TOTP secret, a password hash, a row), so for those only
where it happened and what kind of error it was are written down."""

from __future__ import annotations

import os
import secrets
import traceback
from datetime import UTC, datetime
from pathlib import Path

INCIDENT_LOG = "incidents.log"
# Errors from these packages quote the statement's parameters or the row that failed, or (the
# settings' validation) the value refused, which may be a database address with its password.
_QUOTES_VALUES = ("sqlalchemy", "psycopg", "sqlite3", "geoalchemy2", "pydantic")


def one_line(message: str) -> str:
    """The message on one line whatever it quotes (a file name may hold a line break)."""
    return " ".join("".join(c if c.isprintable() else " " for c in message).split())


def _incident_log() -> Path:
    from alpr.config import Deployment

    try:
        data_dir = Deployment().data_dir
    except Exception:  # settings that do not load are themselves the problem: the folder named
        data_dir = Path(os.environ.get("ALPR_DATA_DIR") or "var")
    return data_dir / INCIDENT_LOG


def _described(exc: BaseException) -> list[str]:
    """The traceback's frames (file, line, code), each exception's type and, unless it comes
    from the database layer, its message."""
    lines: list[str] = []
    link: BaseException | None = exc
    seen: set[int] = set()
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        kind = f"{type(link).__module__}.{type(link).__qualname__}"
        lines.extend(traceback.format_tb(link.__traceback__))
        if kind.startswith(_QUOTES_VALUES):
            sqlstate = getattr(getattr(link, "orig", link), "sqlstate", None)
            state = f"sqlstate {sqlstate}; " if sqlstate else ""
            lines.append(f"{kind} ({state}message withheld: it quotes values)\n")
        else:
            lines.append(f"{kind}: {one_line(str(link))[:500]}\n")
        link = link.__cause__ or (None if link.__suppress_context__ else link.__context__)
    return lines


def record_incident(exc: BaseException, where: str) -> str:
    """Write the incident's details (``where``: the command or the page it happened in) to the
    log; returns its reference."""
    reference = f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    try:
        log = _incident_log()
        log.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Read by the administrator only, like the rest of the data folder.
        handle = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with open(handle, "a", encoding="utf-8") as out:
            out.write(f"=== incident {reference} in {where}\n")
            out.writelines(_described(exc))
    except OSError:
        pass  # the reference is still worth giving
    return reference
