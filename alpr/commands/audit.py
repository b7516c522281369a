"""``alpr audit``: verify the access log's hash chain, MACs and signed checkpoints."""

from __future__ import annotations

from dataclasses import asdict

import typer

from alpr.commands.common import JsonOpt, command, emit_json, group, runtime
from alpr.governance.oversight import chain as oversight_chain

app = group("Access log integrity.")


@app.command("verify")
@command
def verify(json_out: JsonOpt = False) -> None:
    """Recompute the access log's hash chain and MACs and hold it against the latest signed
    checkpoint; exits 1 naming the first bad record, or what is missing since the checkpoint."""
    verified = oversight_chain.verify_access_log(runtime())
    report = verified.report
    signed = verified.checkpoint
    if json_out:
        emit_json(asdict(verified))
    elif report.ok:
        against = (
            f"against signed checkpoint {signed.seq} of {signed.at}"
            if signed
            else "no signed checkpoint yet (`alpr db maintain` and `alpr purge` write them)"
        )
        typer.echo(f"access log intact: {report.checked} records verified; {against}")
    else:
        typer.echo(f"ACCESS LOG TAMPERED: {report.problem}", err=True)
    if not report.ok:
        raise typer.Exit(1)
