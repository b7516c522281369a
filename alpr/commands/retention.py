"""``alpr purge``, ``alpr holds`` and ``alpr evidence``."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Annotated

import typer

from alpr.commands.common import (
    ActorOpt,
    ApprovalNoteOpt,
    ApprovedByOpt,
    DescriptionOpt,
    ExigentOpt,
    JsonOpt,
    PurposeOpt,
    actor,
    approval,
    command,
    emit_json,
    fail,
    group,
    justification,
    parse_date,
    parse_time,
    report,
    runtime,
)
from alpr.governance.errors import InvalidInput
from alpr.governance.retention import evidence, holds
from alpr.governance.retention.purge import PurgeReport
from alpr.governance.retention.purge import purge as run_purge
from alpr.governance.scopes import ScopeInput

holds_app = group("Legal holds: reads kept past their retention for a case.")
evidence_app = group("Evidence packages: reads exported for a case, with their manifest.")


def purge(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count, delete nothing.")] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Evaluate retention as on this date (YYYY-MM-DD); a date after today only "
            "with --dry-run.",
        ),
    ] = None,
    json_out: JsonOpt = False,
    as_user: ActorOpt = None,
) -> None:
    """Remove what is past retention now (held data is kept), as a signed-in ALPR
    Administrator; the daily run is `alpr db maintain`, the system's job."""
    when = (
        datetime.combine(parse_date(as_of, option="--as-of"), time(0), tzinfo=UTC)
        if as_of
        else None
    )
    rt = runtime(owner=True)
    show_purge(run_purge(rt, actor=actor(rt, as_user), as_of=when, dry_run=dry_run), json_out)


def show_purge(report: PurgeReport, json_out: bool) -> None:
    """A purge's report: what went (or would go), as of when, who ran it, and the access log's
    checkpoint signed after it."""
    checkpoint = asdict(report.checkpoint) if report.checkpoint else None
    if json_out:
        emit_json(
            {
                "as_of": report.as_of,
                "dry_run": report.dry_run,
                "run_by": report.run_by,
                "counts": report.counts,
                "methods": {k: v for k, v in report.methods.items() if k != "access_log_anchor"},
                "seconds": report.seconds,
                "access_log_checkpoint": checkpoint,
            }
        )
        return
    typer.echo(
        ("would purge" if report.dry_run else "purged") + " as of "
        f"{report.as_of:%Y-%m-%d} (run by {report.run_by}): "
        + ", ".join(f"{k} {v}" for k, v in report.counts.items())
    )
    if report.checkpoint:
        signed = report.checkpoint
        typer.echo(
            f"access log checkpoint {signed.seq}: {signed.records} records through record "
            f"{signed.last_id}, signed by key {signed.key_id}: "
            + json.dumps(checkpoint, sort_keys=True)
        )


def _hold(view: holds.HoldView) -> dict[str, object]:
    return {
        "id": view.id,
        "case_number": view.case_number,
        "reason": view.reason,
        "covers": view.covers,
        "reads": view.reads,
        "placed_at": view.placed_at,
        "placed_by": view.placed_by,
        "review_due_on": view.review_due_on,
        "released": view.released,
        "released_at": view.released_at,
        "released_by": view.released_by,
        "release_note": view.release_note,
    }


@holds_app.command("add")
@command
def holds_add(
    case_number: Annotated[str, typer.Option("--case-number", help="The case the hold serves.")],
    reason: Annotated[str, typer.Option(help="Why the reads are or may become evidence.")],
    read_id: Annotated[
        list[int] | None, typer.Option("--read-id", help="A read to hold (repeatable).")
    ] = None,
    plate: Annotated[
        list[str] | None,
        typer.Option(help="A plate or partial plate to hold in the period (repeatable)."),
    ] = None,
    lat: Annotated[float | None, typer.Option(help="Centre of the case's area.")] = None,
    lon: Annotated[float | None, typer.Option(help="Centre of the case's area.")] = None,
    radius_m: Annotated[
        float | None, typer.Option("--radius-m", help="Radius of the area.")
    ] = None,
    start: Annotated[str | None, typer.Option(help="Start of the period (ISO 8601).")] = None,
    end: Annotated[str | None, typer.Option(help="End of the period (ISO 8601).")] = None,
    purpose: Annotated[
        str | None,
        typer.Option(help="Authorized purpose of a hold by plate or area (it looks reads up)."),
    ] = None,
    approved_by: ApprovedByOpt = None,
    approval_note: ApprovalNoteOpt = None,
    json_out: JsonOpt = False,
    as_user: ActorOpt = None,
) -> None:
    """Hold reads so they are never purged: by number, by plate in a period, or the case's
    area in a period (these two with the purpose, as a search; over a longer period than a
    search may cover, with a sergeant's approval)."""
    if read_id and (approved_by or approval_note):
        raise InvalidInput("reads held by number need no approval: leave out --approved-by")
    scope = (
        None
        if read_id
        else ScopeInput(
            plates=tuple(plate or ()),
            start=parse_time(start, option="--start") if start else None,
            end=parse_time(end, option="--end") if end else None,
            lat=lat,
            lon=lon,
            radius_m=radius_m,
        )
    )
    rt = runtime()
    principal = actor(rt, as_user)
    approver, note = approval(rt, approved_by, approval_note)
    hold_id = holds.place_hold(
        rt,
        principal=principal,
        case_number=case_number,
        reason=reason,
        read_ids=read_id or None,
        scope=scope,
        purpose=purpose,
        approver=approver,
        approval_note=note,
    )
    if json_out:
        views = holds.list_holds(rt, principal=principal)
        emit_json(_hold(next(v for v in views if v.id == hold_id)))
        return
    typer.echo(f"hold {hold_id} placed")


@holds_app.command("release")
@command
def holds_release(
    hold_id: Annotated[int, typer.Argument(help="The hold's number.")],
    note: Annotated[str, typer.Option(help="Why the hold ends.")],
    json_out: JsonOpt = False,
    as_user: ActorOpt = None,
) -> None:
    """Release a hold (a supervisor's or the ALPR Administrator's action, logged; never the
    one who placed it)."""
    rt = runtime()
    holds.release_hold(rt, principal=actor(rt, as_user), hold_id=hold_id, note=note)
    if json_out:
        emit_json({"hold": hold_id, "released": True})
        return
    typer.echo(f"hold {hold_id} released")


@holds_app.command("list")
@command
def holds_list(json_out: JsonOpt = False, as_user: ActorOpt = None) -> None:
    """Every hold, in force or released."""
    rt = runtime()
    views = holds.list_holds(rt, principal=actor(rt, as_user))
    if json_out:
        emit_json([_hold(v) for v in views])
        return
    if not views:
        typer.echo("no legal holds")
    for v in views:
        state = f"released {v.released_at:%Y-%m-%d}" if v.released_at else "in force"
        typer.echo(f"{v.id:>4}  case {v.case_number}: {v.reads} reads, {v.covers} ({state})")


@evidence_app.command("export")
@command
def evidence_export(
    case_number: Annotated[
        str, typer.Option("--case-number", help="The case; also the export's justification.")
    ],
    out: Annotated[Path, typer.Option(help="New folder for the package.")],
    read_id: Annotated[list[int] | None, typer.Option("--read-id")] = None,
    search_id: Annotated[int | None, typer.Option("--search-id")] = None,
    medium: Annotated[
        str, typer.Option(help="Portable medium or evidence system.")
    ] = "folder on the evidence workstation",
    purpose: PurposeOpt = None,
    description: DescriptionOpt = None,
    exigent: ExigentOpt = False,
    json_out: JsonOpt = False,
    as_user: ActorOpt = None,
) -> None:
    """Export reads with images, map, search and chain of custody, hashed in a manifest (the
    case number is also the export's justification)."""
    rt = runtime()
    exported = evidence.export_evidence(
        rt,
        principal=actor(rt, as_user),
        case_number=case_number,
        out=out,
        medium=medium,
        justification=justification(purpose, case_number, description, exigent),
        read_ids=read_id or None,
        search_id=search_id,
    )
    if json_out:
        emit_json(
            {
                "export": exported.id,
                "folder": str(exported.folder),
                "reads": exported.reads,
                "files": exported.files,
                "manifest_sha256": exported.manifest_sha256,
            }
        )
        return
    typer.echo(
        f"export {exported.id}: {exported.reads} reads, {exported.files} files in "
        f"{exported.folder}; manifest sha256 {exported.manifest_sha256}"
    )


@evidence_app.command("verify")
@command
def evidence_verify(
    folder: Annotated[Path, typer.Argument(help="The package's folder, wherever it was copied.")],
    export_id: Annotated[
        int | None,
        typer.Option("--export", help="The export's number (default: found from the package)."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Check a package against the export recorded when it was made; exits 1 naming every file
    that changed."""
    if not folder.is_dir():
        fail(f"no such folder: {folder}")
    report(evidence.verify_export(runtime(), folder, export_id=export_id), json_out)
