"""The last line of the ``alpr`` command: usage mistakes answer in one line with exit status 2,
and anything unexpected answers with one generic line naming an incident, exit status 1. The
incident's details go to ``incidents.log`` under the data directory, never to the terminal: a
database error carries the statement's values (a new account's TOTP secret, a password hash, a
row), so only where it happened and what kind of error it was are written down."""

from __future__ import annotations

import secrets
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from typer._click import exceptions as click_exceptions  # Typer vendors Click here
from typer.core import TyperGroup

from alpr.commands.common import one_line

EXIT_UNEXPECTED = 1
INCIDENT_LOG = "incidents.log"
# Errors from these packages quote the statement's parameters or the row that failed.
_QUOTES_VALUES = ("sqlalchemy", "psycopg", "sqlite3", "geoalchemy2")


def _incident_log() -> Path:
    from alpr.config import Deployment

    try:
        data_dir = Deployment().data_dir
    except Exception:  # settings that do not load are themselves the problem: keep the default
        data_dir = Path("var")
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
            lines.append(f"{kind} (sqlstate {sqlstate}; message withheld: it quotes values)\n")
        else:
            lines.append(f"{kind}: {one_line(str(link))[:500]}\n")
        link = link.__cause__ or (None if link.__suppress_context__ else link.__context__)
    return lines


def record_incident(exc: BaseException, command: str) -> str:
    """Write the incident's details to the log; returns its reference."""
    reference = f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    try:
        log = _incident_log()
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as out:
            out.write(f"=== incident {reference} in `alpr {command}`\n")
            out.writelines(_described(exc))
    except OSError:
        pass  # the reference is still worth printing
    return reference


class GuardedGroup(TyperGroup):
    """The root command group: every outcome ends as an exit status and at most one line."""

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        try:
            outcome = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
            code = outcome if isinstance(outcome, int) and not isinstance(outcome, bool) else 0
        except click_exceptions.NoArgsIsHelpError as exc:
            exc.show()
            code = exc.exit_code
        except click_exceptions.ClickException as exc:
            typer.echo(f"error: {one_line(exc.format_message())}", err=True)
            code = exc.exit_code
        except typer.Abort:
            typer.echo("aborted", err=True)
            code = EXIT_UNEXPECTED
        except Exception as exc:
            reference = record_incident(exc, self._command_path(argv))
            typer.echo(
                f"error: unexpected failure, nothing more is shown here (incident {reference}; "
                f"details in {INCIDENT_LOG} under the data directory)",
                err=True,
            )
            code = EXIT_UNEXPECTED
        if standalone_mode:
            sys.exit(code)
        return code

    def _command_path(self, argv: list[str]) -> str:
        """The command's name (``users add``), without its arguments: they may be values."""
        names: list[str] = []
        node: Any = self
        for word in argv:
            if not isinstance(node, TyperGroup) or word not in node.commands:
                break
            names.append(word)
            node = node.commands[word]
        return " ".join(names)
