"""The last line of the ``alpr`` command: usage mistakes answer in one line with exit status 2,
and anything unexpected answers with one generic line naming an incident, exit status 1. The
incident's details go to ``incidents.log`` under the data directory, never to the terminal: a
database error carries the statement's values (a new account's TOTP secret, a password hash, a
row), so only where it happened and what kind of error it was are written down."""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer._click import exceptions as click_exceptions  # Typer vendors Click here
from typer.core import TyperGroup

from alpr.incident_log import INCIDENT_LOG, one_line, record_incident

EXIT_UNEXPECTED = 1


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
            reference = record_incident(exc, f"`alpr {self._command_path(argv)}`")
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
