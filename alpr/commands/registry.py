"""``alpr agencies`` and ``alpr agreements``: the register of agencies and of the agreements
to share ALPR data with them (R40, R47)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from alpr.commands.common import (
    ActorOpt,
    JsonOpt,
    actor,
    command,
    emit_json,
    group,
    parse_date,
    read_file,
    runtime,
)
from alpr.governance.releases import receiving_hosts, registry
from alpr.governance.releases.receiving_hosts import HostView
from alpr.governance.releases.registry import AgencyView, AgreementView

agencies_app = group("Agencies the department deals with, by kind and state.")
agreements_app = group("MOUs and other agreements to share ALPR data, with their signed documents.")
hosts_app = group(
    "Hosts where each agency receives data: a hot list's webhook sends its alerts only to a "
    "host registered for the agency that receives them. Kept by the records desk."
)
agencies_app.add_typer(hosts_app, name="host")


def _agency(view: AgencyView) -> dict[str, Any]:
    return {
        "id": view.id,
        "name": view.name,
        "kind": view.kind.value,
        "kind_label": view.kind_label,
        "state": view.state,
        "state_label": view.state_label,
        "contact": view.contact,
        "agreement": view.agreement,
    }


def _agreement(view: AgreementView) -> dict[str, Any]:
    return {
        "id": view.id,
        "agency": view.agency,
        "kind": view.kind.value,
        "kind_label": view.kind_label,
        "title": view.title,
        "scope": view.scope,
        "effective": view.starts_on,
        "expires": view.ends_on,
        "ended_on": view.ended_on,
        "end_reason": view.end_reason,
        "in_force": view.in_force,
        "standing": view.standing,
        "document": view.document_filename,
        "document_sha256": view.document_sha256,
    }


@agencies_app.command("add")
@command
def agencies_add(
    name: Annotated[str, typer.Argument(help="The agency's full name.")],
    kind: Annotated[
        str,
        typer.Option(
            help="ca_local_le, ca_state_le, ca_prosecutor, ca_public_other, out_of_state, "
            "federal or non_government."
        ),
    ],
    state: Annotated[str, typer.Option(help="Two-letter state; US for a federal agency.")],
    contact: Annotated[str | None, typer.Option(help="Who to reach there.")] = None,
    as_user: ActorOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Add an agency to the register."""
    rt = runtime()
    view = registry.add_agency(
        rt, actor=actor(rt, as_user), name=name, kind=kind, state=state, contact=contact
    )
    if json_out:
        emit_json(_agency(view))
        return
    typer.echo(f"agency {view.id} added: {view.name} ({view.kind_label}, {view.state_label})")


@agencies_app.command("list")
@command
def agencies_list(as_user: ActorOpt = None, json_out: JsonOpt = False) -> None:
    """Every agency in the register, with the agreement in force."""
    rt = runtime()
    views = registry.list_agencies(rt, actor=actor(rt, as_user))
    if json_out:
        emit_json([_agency(v) for v in views])
        return
    if not views:
        typer.echo("no agencies in the register")
    for v in views:
        typer.echo(
            f"{v.id:>4}  {v.name}  ({v.kind_label}, {v.state_label})"
            + (f"; agreement: {v.agreement}" if v.agreement else "")
        )


@agreements_app.command("add")
@command
def agreements_add(
    agency: Annotated[str, typer.Option(help="The agency, by its name in the register.")],
    title: Annotated[str, typer.Option(help="The agreement's title.")],
    scope: Annotated[str, typer.Option(help="What it covers.")],
    effective: Annotated[str, typer.Option(help="Date it takes effect, YYYY-MM-DD.")],
    document: Annotated[Path, typer.Option(help="The signed agreement (PDF or scan).")],
    kind: Annotated[str, typer.Option(help="mou, inter_agency_agreement or contract.")] = "mou",
    expires: Annotated[
        str | None, typer.Option(help="Expiry date, YYYY-MM-DD (none: no expiry).")
    ] = None,
    as_user: ActorOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Record an agreement with its signed document (kept with its SHA-256)."""
    rt = runtime()
    view = registry.add_agreement(
        rt,
        actor=actor(rt, as_user),
        agency_name=agency,
        kind=kind,
        title=title,
        scope=scope,
        starts_on=parse_date(effective, option="--effective"),
        ends_on=parse_date(expires, option="--expires") if expires else None,
        document_name=document.name,
        document=read_file(document, option="--document"),
    )
    if json_out:
        emit_json(_agreement(view))
        return
    typer.echo(
        f"agreement {view.id} with {view.agency} recorded, {view.standing}; "
        f"document sha256 {view.document_sha256}"
    )


@agreements_app.command("list")
@command
def agreements_list(
    agency: Annotated[str | None, typer.Option(help="Only this agency's agreements.")] = None,
    as_user: ActorOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Agreements on file, each with where it stands today."""
    rt = runtime()
    views = registry.list_agreements(rt, actor=actor(rt, as_user), agency_name=agency)
    if json_out:
        emit_json([_agreement(v) for v in views])
        return
    if not views:
        typer.echo("no agreements on file")
    for v in views:
        typer.echo(f"{v.id:>4}  {v.agency}: {v.title} ({v.kind_label}), {v.standing}")


@agreements_app.command("end")
@command
def agreements_end(
    agreement_id: Annotated[int, typer.Argument(help="The agreement's number.")],
    reason: Annotated[str, typer.Option(help="Why it ends.")],
    on: Annotated[
        str | None, typer.Option(help="Date it ends, YYYY-MM-DD (default: today).")
    ] = None,
    as_user: ActorOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """End an agreement before its expiry (the agreement itself is kept unchanged)."""
    rt = runtime()
    view = registry.end_agreement(
        rt,
        actor=actor(rt, as_user),
        agreement_id=agreement_id,
        ended_on=parse_date(on, option="--on")
        if on
        else rt.now().astimezone(rt.settings.tz).date(),
        reason=reason,
    )
    if json_out:
        emit_json(_agreement(view))
        return
    typer.echo(f"agreement {view.id} with {view.agency} {view.standing}")


def _host(view: HostView) -> dict[str, Any]:
    return {
        "agency": view.agency,
        "host": view.host,
        "added_at": view.added_at,
        "added_by": view.added_by,
    }


AgencyArg = Annotated[str, typer.Argument(help="The agency, by its name in the register.")]
HostArg = Annotated[str, typer.Argument(help="The host name alone, e.g. cad.dalycity.org.")]


@hosts_app.command("add")
@command
def hosts_add(
    agency: AgencyArg, host: HostArg, as_user: ActorOpt = None, json_out: JsonOpt = False
) -> None:
    """Register a host where the agency (or the department itself) receives data."""
    rt = runtime()
    view = receiving_hosts.add_host(rt, actor=actor(rt, as_user), agency_name=agency, host=host)
    if json_out:
        emit_json(_host(view))
        return
    typer.echo(f"host {view.host} registered for {view.agency}")


@hosts_app.command("remove")
@command
def hosts_remove(agency: AgencyArg, host: HostArg, as_user: ActorOpt = None) -> None:
    """Remove a host: alerts due to it are refused from then on."""
    rt = runtime()
    name = receiving_hosts.remove_host(rt, actor=actor(rt, as_user), agency_name=agency, host=host)
    typer.echo(f"host {receiving_hosts.checked_host(host)} removed from {name}")


@hosts_app.command("list")
@command
def hosts_list(as_user: ActorOpt = None, json_out: JsonOpt = False) -> None:
    """Every registered host, by agency (the department first)."""
    rt = runtime()
    views = receiving_hosts.list_hosts(rt, actor=actor(rt, as_user))
    if json_out:
        emit_json([_host(v) for v in views])
        return
    if not views:
        typer.echo("no hosts in the register")
    for v in views:
        typer.echo(f"{v.agency}: {v.host}")
