"""``alpr demo``: the demo agency for a local installation."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from alpr.commands.common import command, group, runtime
from alpr.governance import demo
from alpr.governance.demo_history import seed_history

app = group("Demo agency (local installations only).")


@app.command("seed")
@command
def seed(
    reads: Annotated[
        int, typer.Option(help="Reads over 30 days.", min=1000, max=20_000_000)
    ] = 200_000,
    seed_value: Annotated[int, typer.Option("--seed", help="Random seed (deterministic).")] = 7,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing if already seeded.")
    ] = False,
    history: Annotated[
        bool,
        typer.Option(
            "--history",
            help="Also a day of the accounts' work through the real services (searches, an "
            "alert reviewed, a request filed, approved and produced, a purge preview), so "
            "that the oversight pages have something to show.",
        ),
    ] = False,
) -> None:
    """Seed cameras, 30 days of reads, hot lists, incidents and one user per role."""
    rt = runtime()
    if if_empty and demo.is_seeded(rt):
        typer.echo("demo agency already present")
        return
    result = demo.seed_demo(rt, reads=reads, seed=seed_value)
    s = result.summary
    if history:
        seed_history(rt, summary=s)
    typer.echo(f"seeded {s.reads} reads from {s.cameras} cameras ({s.plates} distinct plates)")
    tz = rt.settings.tz
    typer.echo("\nIncidents to search (case, what, where, when):")
    for case, what, scene in (
        (s.shooting.case_number, "shooting", s.shooting.scene),
        *((s.burglaries.case_number, "burglary", b) for b in s.burglaries.scenes),
    ):
        typer.echo(
            f"  {case}  {what} at {scene.address}  --lat {scene.lat:.5f} --lon {scene.lon:.5f}  "
            f"--start {scene.start.astimezone(tz).isoformat()} "
            f"--end {scene.end.astimezone(tz).isoformat()}"
        )
    port = os.environ.get("ALPR_PORT", "8501")  # the port scripts/run.sh serves the dashboard on
    typer.echo(f"\nSign in at http://localhost:{port} with password {demo.DEMO_PASSWORD!r}:")
    for account in result.accounts:
        typer.echo(f"  {account.username:<10} ({account.role})  TOTP: {account.totp_uri}")
    typer.echo("\nNo authenticator app at hand? `alpr demo codes` prints the current codes.")


@app.command("codes")
@command
def codes() -> None:
    """Print the current TOTP code of each demo account."""
    for username, code in demo.demo_codes(runtime()).items():
        typer.echo(f"{username:<10} {code}")
