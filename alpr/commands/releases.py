"""``alpr releases``: the rules engine's decision for a request described in JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from alpr.commands.common import JsonOpt, command, emit_json, runtime
from alpr.governance.policy import policy_in_force
from alpr.governance.releases.rules import evaluate_description

app = typer.Typer(
    help="Requests for ALPR data from other agencies and the public.", no_args_is_help=True
)


@app.command("evaluate")
@command
def evaluate(
    request: Annotated[Path, typer.Option("--request", help="Request described in JSON.")],
    json_out: JsonOpt = False,
) -> None:
    """What the law and the agency's policy say about a request (no data is touched)."""
    if not request.is_file():
        raise ValueError(f"no such file: {request}")
    try:
        data = json.loads(request.read_text())
    except json.JSONDecodeError as exc:
        raise ValueError(f"{request} is not JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise ValueError("the request must be a JSON object")
    decision = evaluate_description(
        data, allow_out_of_state_exception=policy_in_force(runtime()).allow_out_of_state_exception
    )
    if json_out:
        emit_json(
            {
                "decision": decision.decision.value,
                "reasons": decision.reasons,
                "requirements": decision.requirements,
            }
        )
        return
    typer.echo(decision.decision.value.upper())
    for reason in decision.reasons:
        typer.echo(f"- {reason}")
