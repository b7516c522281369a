"""``alpr hotlist`` and ``alpr alerts``."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from alpr.commands.common import (
    ActorOpt,
    CaseOpt,
    DescriptionOpt,
    ExigentOpt,
    JsonOpt,
    PurposeOpt,
    actor,
    command,
    emit_json,
    group,
    justification,
    parse_date,
    parse_time,
    runtime,
)
from alpr.governance import alerts, hotlist_webhooks, hotlists
from alpr.textinput import utf8_text

hotlist_app = group("Hot lists: import, entries, where alerts are sent.")
alerts_app = group("Hot-list alerts.")
webhook_app = group(
    "Where a list's alerts are sent: a CAD or in-car system of the department, or of a "
    "California law enforcement agency with a sharing agreement in force."
)
hotlist_app.add_typer(webhook_app, name="webhook")


@hotlist_app.command("create")
@command
def create(
    name: str,
    kind: Annotated[
        str,
        typer.Option(help="stolen_vehicle, wanted_person, missing_person, amber_alert or custom."),
    ] = "custom",
    as_user: ActorOpt = None,
) -> None:
    """Create a hot list (nothing happens if it exists)."""
    rt = runtime()
    hotlists.ensure_list(rt, actor=actor(rt, as_user), name=name, kind=kind)
    typer.echo(f"hot list {name} ready")


@hotlist_app.command("import")
@command
def import_file(
    file: Annotated[Path, typer.Argument(help="CSV: " + ",".join(hotlists.CSV_COLUMNS))],
    list_name: Annotated[str, typer.Option("--list")],
    source: Annotated[str | None, typer.Option(help="Where the file came from.")] = None,
    confirm_retire: Annotated[
        bool,
        typer.Option(
            "--confirm-retire",
            help="Import even though the file leaves out most of the list's active entries.",
        ),
    ] = False,
    as_user: ActorOpt = None,
) -> None:
    """Refresh a list from a CSV file; any bad row refuses the whole file. A custom list
    needs a case, call or warrant number (case_number) on every row; a state list takes only
    the state's download (every column, each row with its record number and entry date)."""
    if not file.is_file():
        raise ValueError(f"no such file: {file}")
    rt = runtime()
    result = hotlists.import_csv(
        rt,
        actor=actor(rt, as_user),
        list_name=list_name,
        data=utf8_text(file.read_bytes(), what=file.name),
        source=source,
        confirm_retire=confirm_retire,
    )
    typer.echo(
        f"{result.imported} entries imported ({result.retired} retired), "
        f"{result.retro_alerts} retro-hits"
    )


@hotlist_app.command("add")
@command
def add(
    pattern: Annotated[str, typer.Argument(help="Plate or partial plate (? and *).")],
    list_name: Annotated[str, typer.Option("--list")],
    reason: Annotated[str, typer.Option()],
    case_number: Annotated[str | None, typer.Option("--case-number")] = None,
    expires: Annotated[str | None, typer.Option(help="YYYY-MM-DD (policy bounds apply).")] = None,
    priority: Annotated[str, typer.Option(help="high, medium or low.")] = "high",
    as_user: ActorOpt = None,
) -> None:
    """Enter one plate or a partial plate from a major crime."""
    rt = runtime()
    entry_id, retro = hotlists.add_entry(
        rt,
        actor=actor(rt, as_user),
        list_name=list_name,
        pattern=pattern,
        reason=reason,
        case_number=case_number,
        priority=priority,
        expires=parse_date(expires, option="--expires") if expires else None,
    )
    typer.echo(f"entry {entry_id} added; {retro} retro-hits on past reads")


@webhook_app.command("set")
@command
def webhook_set(
    list_name: Annotated[str, typer.Argument(help="The hot list.")],
    url: Annotated[str, typer.Option(help="https address (http only to 127.0.0.1).")],
    agency: Annotated[
        str, typer.Option(help="The agency that receives the alerts, as in the register.")
    ],
    min_priority: Annotated[
        str | None, typer.Option("--min-priority", help="high, medium or low; default all.")
    ] = None,
    as_user: ActorOpt = None,
) -> None:
    """Send the list's alerts to an address, received by an agency the law lets receive them
    today (refused and recorded otherwise)."""
    rt = runtime()
    done = hotlist_webhooks.set_webhook(
        rt,
        actor=actor(rt, as_user),
        list_name=list_name,
        url=url,
        agency_name=agency,
        min_priority=min_priority,
    )
    typer.echo(f"{done.list_name}: alerts go to {done.url}, received by {done.agency}")


@webhook_app.command("clear")
@command
def webhook_clear(
    list_name: Annotated[str, typer.Argument(help="The hot list.")],
    as_user: ActorOpt = None,
) -> None:
    """Stop sending the list's alerts anywhere; those still queued are not sent."""
    rt = runtime()
    had = hotlist_webhooks.clear_webhook(rt, actor=actor(rt, as_user), list_name=list_name)
    typer.echo(f"{list_name}: alerts are sent nowhere" + ("" if had else " (they were not)"))


@webhook_app.command("list")
@command
def webhook_list(json_out: JsonOpt = False, as_user: ActorOpt = None) -> None:
    """Every list's webhook, and whether its alerts are sent today."""
    rt = runtime()
    shown = hotlist_webhooks.destinations(rt, principal=actor(rt, as_user))
    if json_out:
        emit_json([asdict(d) for d in shown])
        return
    for d in shown:
        typer.echo(
            f"{d.list_name}: {d.url} ({d.agency or 'no agency named'}) "
            + ("sent" if d.problem is None else f"NOT SENT: {d.problem}")
        )


@alerts_app.command("list")
@command
def list_alerts(
    since: Annotated[str | None, typer.Option(help="ISO 8601 time.")] = None,
    purpose: PurposeOpt = None,
    case_number: CaseOpt = None,
    description: DescriptionOpt = None,
    exigent: ExigentOpt = False,
    json_out: JsonOpt = False,
    as_user: ActorOpt = None,
) -> None:
    """Alerts (newest first)."""
    rt = runtime()
    principal = actor(rt, as_user)
    found = alerts.poll_alerts(
        rt,
        principal=principal,
        justification=justification(purpose, case_number, description, exigent),
        since=parse_time(since, option="--since") if since else None,
    )
    if json_out:
        emit_json(
            [
                {
                    "id": a.id,
                    "plate": a.plate,
                    "captured_at": a.captured_at.isoformat(),
                    "camera": a.camera,
                    "place": a.place,
                    "list": a.list_name,
                    "match": a.match_kind,
                    "alternative": a.alternative,
                    "alternative_score": a.alternative_score,
                    "certainty": a.certainty,
                    "priority": a.priority,
                    "retro": a.is_retro,
                    "reason": a.reason,
                    "case_number": a.case_number,
                    "disposition": a.disposition,
                }
                for a in found
            ]
        )
        return
    for a in found:
        typer.echo(
            f"#{a.id} {a.priority:<6} {a.plate:<9} {a.list_name} ({a.match_kind}) "
            f"{a.where} {a.captured_at:%Y-%m-%d %H:%M}Z"
            + (f"  {a.certainty}: {a.alternative}" if a.alternative else "")
        )
