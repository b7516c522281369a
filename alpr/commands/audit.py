"""``alpr audit``: verify the access log's hash chain."""

from __future__ import annotations

import typer

from alpr.commands.common import JsonOpt, command, emit_json, runtime
from alpr.governance.oversight import chain as oversight_chain

app = typer.Typer(help="Access log integrity.", no_args_is_help=True)


@app.command("verify")
@command
def verify(json_out: JsonOpt = False) -> None:
    """Recompute the access log's hash chain; exits 1 naming the first bad record."""
    report = oversight_chain.verify_access_log(runtime())
    if json_out:
        emit_json(report.__dict__)
    elif report.ok:
        typer.echo(f"access log intact: {report.checked} records verified")
    else:
        typer.echo(f"ACCESS LOG TAMPERED: {report.problem}", err=True)
    if not report.ok:
        raise typer.Exit(1)
