"""``alpr purge``, ``alpr holds`` and ``alpr evidence``."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path
from typing import Annotated

import typer

from alpr.commands.common import (
    AsUser,
    CaseOpt,
    DescriptionOpt,
    ExigentOpt,
    JsonOpt,
    PurposeOpt,
    command,
    emit_json,
    justification,
    parse_date,
    parse_time,
    runtime,
    signed_in,
)
from alpr.governance.retention import evidence, holds
from alpr.governance.retention.purge import purge as run_purge

holds_app = typer.Typer(help="Legal holds (R31).", no_args_is_help=True)
evidence_app = typer.Typer(help="Evidence packages (R32).", no_args_is_help=True)


def purge(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count, delete nothing.")] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Evaluate retention as on this date (YYYY-MM-DD).")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Remove what is past retention (held data is kept); run it daily from cron/systemd."""
    when = (
        datetime.combine(parse_date(as_of, option="--as-of"), time(0), tzinfo=UTC)
        if as_of
        else None
    )
    report = run_purge(runtime(), as_of=when, dry_run=dry_run)
    if json_out:
        emit_json(
            {
                "as_of": report.as_of,
                "dry_run": report.dry_run,
                "counts": report.counts,
                "methods": {k: v for k, v in report.methods.items() if k != "access_log_anchor"},
                "seconds": report.seconds,
            }
        )
        return
    typer.echo(
        ("would purge" if dry_run else "purged") + " as of "
        f"{report.as_of:%Y-%m-%d}: " + ", ".join(f"{k} {v}" for k, v in report.counts.items())
    )


@holds_app.command("add")
@command
def holds_add(
    as_user: AsUser,
    case_number: Annotated[str, typer.Option("--case-number")],
    reason: Annotated[str, typer.Option()],
    read_id: Annotated[list[int] | None, typer.Option("--read-id")] = None,
    plate: Annotated[str | None, typer.Option()] = None,
    start: Annotated[str | None, typer.Option()] = None,
    end: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Hold reads (by id, or by plate and period) so they are never purged."""
    rt = runtime()
    hold_id = holds.place_hold(
        rt,
        principal=signed_in(rt, as_user),
        case_number=case_number,
        reason=reason,
        read_ids=read_id or None,
        plate=plate,
        start=parse_time(start, option="--start") if start else None,
        end=parse_time(end, option="--end") if end else None,
    )
    typer.echo(f"hold {hold_id} placed")


@holds_app.command("release")
@command
def holds_release(
    hold_id: int,
    as_user: AsUser,
    note: Annotated[str, typer.Option(help="Why the hold ends.")] = "Case closed",
) -> None:
    """Release a hold (a supervisor's action, logged)."""
    rt = runtime()
    holds.release_hold(rt, principal=signed_in(rt, as_user), hold_id=hold_id, note=note)
    typer.echo(f"hold {hold_id} released")


@evidence_app.command("export")
@command
def evidence_export(
    as_user: AsUser,
    case_number: Annotated[str, typer.Option("--case-number")],
    out: Annotated[Path, typer.Option(help="New folder for the package.")],
    read_id: Annotated[list[int] | None, typer.Option("--read-id")] = None,
    search_id: Annotated[int | None, typer.Option("--search-id")] = None,
    medium: Annotated[
        str, typer.Option(help="Portable medium or evidence system.")
    ] = "folder on the evidence workstation",
    purpose: PurposeOpt = None,
    description: DescriptionOpt = None,
    exigent: ExigentOpt = False,
    case_for_reason: CaseOpt = None,
) -> None:
    """Export reads with images, map, search and chain of custody, hashed in a manifest."""
    rt = runtime()
    exported = evidence.export_evidence(
        rt,
        principal=signed_in(rt, as_user),
        case_number=case_number,
        out=out,
        medium=medium,
        justification=justification(purpose, case_for_reason or case_number, description, exigent),
        read_ids=read_id or None,
        search_id=search_id,
    )
    typer.echo(
        f"{exported.reads} reads, {exported.files} files in {exported.folder}; "
        f"manifest sha256 {exported.manifest_sha256}"
    )


@evidence_app.command("verify")
@command
def evidence_verify(folder: Path) -> None:
    """Check a package against its manifest; exits 1 on any change."""
    problems = evidence.verify_package(folder)
    if problems:
        for problem in problems:
            typer.echo(f"CHANGED: {problem}", err=True)
        raise typer.Exit(1)
    typer.echo("package intact")
