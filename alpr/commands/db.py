"""``alpr db``: schema migrations and the daily upkeep (partitions, access-log checkpoint)."""

from __future__ import annotations

from typing import Annotated

import typer

from alpr.commands.common import JsonOpt, command, group, runtime
from alpr.commands.retention import show_purge
from alpr.governance import profiles, system
from alpr.governance.oversight.checkpoints import ChainBroken
from alpr.governance.retention.purge import purge

app = group("Database schema and maintenance.")


@app.command("upgrade")
@command
def upgrade(
    profile: Annotated[
        str | None,
        typer.Option(
            help="At set-up: the department policy profile to start from "
            "(`alpr policy profile list`)."
        ),
    ] = None,
) -> None:
    """Migrate the database to the newest schema (safe to run again: changes nothing then), as
    the owner of the tables (ALPR_OWNER_DATABASE_URL, if set), granting the app's role rows."""
    rt = runtime(owner=True)
    if profile is not None:
        profiles.profile(profile)  # an unknown name is refused before anything changes
        if system.schema_revision(rt)[0] is not None:
            raise ValueError(
                "--profile chooses the policy when the database is set up; this one is set up "
                f"already: use `alpr policy profile apply {profile}`"
            )
    result = system.upgrade_database(rt)
    if result.changed:
        typer.echo(f"upgraded: {result.before or 'empty'} -> {result.after}")
    else:
        typer.echo(f"up to date at {result.after}")
    if profile is not None:
        changed = profiles.apply_profile(rt, actor=None, name=profile)
        typer.echo(f"policy profile {profile} applied: {len(changed)} values changed")
    elif result.before is None:
        typer.echo(
            "choose the agency's policy (`alpr policy profile list`); the first ALPR "
            "Administrator, once added (`alpr users add USER --role administrator ...`), applies "
            "it: `alpr policy profile apply NAME --as USER` (or `alpr policy set KEY VALUE "
            "--basis ... --as USER`)"
        )


@app.command("downgrade")
@command
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. base.")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this drops data.")] = False,
) -> None:
    """Migrate down to REVISION (drops the tables of later revisions)."""
    if not yes:
        raise ValueError("downgrade drops data; repeat with --yes to confirm")
    system.downgrade_database(runtime(owner=True), revision)
    typer.echo(f"downgraded to {revision}")


@app.command("status")
@command
def status() -> None:
    """Show the schema revision of the database and of this release."""
    current, head = system.schema_revision(runtime(owner=True))
    typer.echo(f"database: {current or 'empty'}; this release: {head}")


@app.command("maintain")
@command
def maintain(
    ahead: Annotated[int, typer.Option(min=1, max=36, help="Months to create ahead.")] = 3,
    back: Annotated[int, typer.Option(min=0, max=120, help="Months to create back.")] = 1,
    json_out: JsonOpt = False,
) -> None:
    """The system's daily job: create the monthly read partitions ahead of time (Postgres;
    nothing to do on SQLite), purge what is past retention today, and sign a checkpoint of the
    access log after it; exits 1 if the log does not
    verify."""
    rt = runtime(owner=True)
    created = system.maintain_partitions(rt, back=back, ahead=ahead)
    if not json_out:
        if not rt.is_postgres:
            typer.echo("SQLite keeps reads in one table: no partitions to maintain")
        else:
            typer.echo("created: " + ", ".join(created) if created else "all partitions present")
    try:
        report = purge(rt)
    except ChainBroken as broken:
        typer.echo(
            f"ACCESS LOG TAMPERED: {broken.problem}; nothing purged, no checkpoint signed", err=True
        )
        raise typer.Exit(1) from None
    show_purge(report, json_out)
