"""``alpr search``: the investigation searches from the command line, under the same rules
(sign-in, permission, training, justification, bounds, a sergeant's approval beyond them) and
recorded the same way."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer

from alpr.commands.common import (
    ActorOpt,
    ApprovalNoteOpt,
    ApprovedByOpt,
    CaseOpt,
    DescriptionOpt,
    ExigentOpt,
    JsonOpt,
    PurposeOpt,
    actor,
    approval,
    command,
    emit_json,
    group,
    justification,
    parse_time,
    runtime,
)
from alpr.governance.errors import InvalidInput
from alpr.governance.investigations import searches
from alpr.governance.investigations.descriptions import Description, described, labelled
from alpr.governance.investigations.queries import ReadRow
from alpr.governance.investigations.results import Scene

app = group("Search reads (justification required).")


ColourOpt = Annotated[
    str | None,
    typer.Option(
        "--colour",
        "--color",
        help="Vehicle colour: white, silver_gray, black, red, blue, green, yellow_gold, "
        "brown_beige.",
    ),
]
TypeOpt = Annotated[
    str | None,
    typer.Option("--type", help="Vehicle type: car, pickup_truck, van, bus, motorcycle."),
]


def _read(row: ReadRow) -> dict[str, Any]:
    """A read as JSON; ``matched_alternative`` names the other reading of the read that
    brought it into the result (with the reader's score for it), when its plate did not."""
    return {
        "id": row.id,
        "plate": row.plate,
        "captured_at": row.captured_at.isoformat(),
        "lat": row.lat,
        "lon": row.lon,
        "camera": row.camera_name,
        "confidence": row.confidence,
        "matched_alternative": row.alternative,
        "alternative_score": row.alternative_score,
        "vehicle": labelled(row.vehicle_colour, row.vehicle_type),
    }


def _print_reads(
    search_id: int | None,
    rows: list[ReadRow],
    json_out: bool,
    matches: list[str] | None = None,
) -> None:
    if json_out:
        reads = [_read(r) for r in rows]
        for read, match in zip(reads, matches or [], strict=False):
            read["match"] = match
        emit_json({"search_id": search_id, "reads": reads})
        return
    typer.echo(f"search {search_id}: {len(rows)} reads")
    tz = runtime().settings.tz
    for r in rows:
        other = (
            f"  (alternative reading {r.alternative}, score {r.alternative_score:.2f})"
            if r.alternative and r.alternative_score is not None
            else ""
        )
        typer.echo(
            f"{r.captured_at.astimezone(tz):%Y-%m-%d %H:%M:%S %Z}  {r.plate:<9} "
            f"{r.confidence:.2f}  {r.camera_name}{other}"
            + (f"  ({words})" if (words := described(r.vehicle_colour, r.vehicle_type)) else "")
        )


def _print_described(
    search_id: int | None, rows: list[ReadRow], json_out: bool, wanted: Description | None
) -> None:
    """Reads of an area search; with a description, each says how its vehicle fits it
    ("described", or "undetermined" where its colour or type could not be told)."""
    fits = [wanted.fit(r.vehicle_colour, r.vehicle_type).label for r in rows] if wanted else None
    _print_reads(search_id, rows, json_out, fits)


@app.command("canvass")
@command
def canvass(
    start: Annotated[str, typer.Option(help="ISO 8601 start of the window.")],
    end: Annotated[str, typer.Option(help="ISO 8601 end of the window.")],
    lat: Annotated[float | None, typer.Option()] = None,
    lon: Annotated[float | None, typer.Option()] = None,
    radius_m: Annotated[float | None, typer.Option("--radius-m")] = None,
    polygon: Annotated[
        str | None, typer.Option(help="WKT polygon (lon lat) instead of radius.")
    ] = None,
    colour: ColourOpt = None,
    vehicle_type: TypeOpt = None,
    purpose: PurposeOpt = None,
    case_number: CaseOpt = None,
    description: DescriptionOpt = None,
    exigent: ExigentOpt = False,
    approved_by: ApprovedByOpt = None,
    approval_note: ApprovalNoteOpt = None,
    json_out: JsonOpt = False,
    as_user: ActorOpt = None,
) -> None:
    """Reads taken around a scene in a time window (optionally of vehicles of a colour and
    type)."""
    wanted = Description.parse(colour=colour, kind=vehicle_type)
    since, until = parse_time(start, option="--start"), parse_time(end, option="--end")
    rt = runtime()
    principal = actor(rt, as_user)
    approver, note = approval(rt, approved_by, approval_note)
    result = searches.canvass(
        rt,
        principal=principal,
        justification=justification(purpose, case_number, description, exigent),
        approver=approver,
        approval_note=note,
        start=since,
        end=until,
        lat=lat,
        lon=lon,
        radius_m=radius_m,
        polygon_wkt=polygon,
        vehicle=wanted,
    )
    _print_described(result.search_id, result.result.reads, json_out, wanted)


@app.command("vehicle")
@command
def vehicle(
    start: Annotated[str, typer.Option(help="ISO 8601 start of the window.")],
    end: Annotated[str, typer.Option(help="ISO 8601 end of the window.")],
    colour: ColourOpt = None,
    vehicle_type: TypeOpt = None,
    lat: Annotated[float | None, typer.Option()] = None,
    lon: Annotated[float | None, typer.Option()] = None,
    radius_m: Annotated[float | None, typer.Option("--radius-m")] = None,
    polygon: Annotated[
        str | None, typer.Option(help="WKT polygon (lon lat) instead of radius.")
    ] = None,
    plate_pattern: Annotated[
        str | None,
        typer.Option("--plate", help="Partial plate (? and *): reads matching it come first."),
    ] = None,
    purpose: PurposeOpt = None,
    case_number: CaseOpt = None,
    description: DescriptionOpt = None,
    exigent: ExigentOpt = False,
    approved_by: ApprovedByOpt = None,
    approval_note: ApprovalNoteOpt = None,
    json_out: JsonOpt = False,
    as_user: ActorOpt = None,
) -> None:
    """Reads of vehicles of a colour and/or type around a scene, when no plate is known."""
    wanted = Description.parse(colour=colour, kind=vehicle_type)
    if wanted is None:
        raise InvalidInput("give --colour, --type or both")
    since, until = parse_time(start, option="--start"), parse_time(end, option="--end")
    rt = runtime()
    principal = actor(rt, as_user)
    approver, note = approval(rt, approved_by, approval_note)
    result = searches.description_search(
        rt,
        principal=principal,
        justification=justification(purpose, case_number, description, exigent),
        approver=approver,
        approval_note=note,
        vehicle=wanted,
        start=since,
        end=until,
        lat=lat,
        lon=lon,
        radius_m=radius_m,
        polygon_wkt=polygon,
        plate=plate_pattern,
    )
    _print_described(result.search_id, result.result.reads, json_out, wanted)


@app.command("plate")
@command
def plate(
    pattern: Annotated[str, typer.Argument(help="Plate or pattern: ? one character, * any run.")],
    fuzzy: Annotated[
        bool, typer.Option("--fuzzy", help="Also OCR confusions (O/0, 8/B...).")
    ] = False,
    substitution: Annotated[
        bool, typer.Option("--one-substitution", help="Also one substituted character.")
    ] = False,
    start: Annotated[str | None, typer.Option()] = None,
    end: Annotated[str | None, typer.Option()] = None,
    colour: ColourOpt = None,
    vehicle_type: TypeOpt = None,
    purpose: PurposeOpt = None,
    case_number: CaseOpt = None,
    description: DescriptionOpt = None,
    exigent: ExigentOpt = False,
    approved_by: ApprovedByOpt = None,
    approval_note: ApprovalNoteOpt = None,
    json_out: JsonOpt = False,
    as_user: ActorOpt = None,
) -> None:
    """Partial or fuzzy plate search; reads of a vehicle so described (--colour, --type)
    first."""
    since, until = _window(start, end)
    rt = runtime()
    principal = actor(rt, as_user)
    approver, note = approval(rt, approved_by, approval_note)
    result = searches.plate_search(
        rt,
        principal=principal,
        justification=justification(purpose, case_number, description, exigent),
        approver=approver,
        approval_note=note,
        pattern=pattern,
        fuzzy=fuzzy,
        substitution=substitution,
        start=since,
        end=until,
        vehicle=Description.parse(colour=colour, kind=vehicle_type),
    )
    hits = result.result
    _print_reads(result.search_id, [h.read for h in hits], json_out, [h.match for h in hits])


@app.command("history")
@command
def history(
    plate_text: Annotated[str, typer.Argument(metavar="PLATE")],
    start: Annotated[
        str | None, typer.Option(help="ISO 8601 start (default: the policy's window).")
    ] = None,
    end: Annotated[str | None, typer.Option(help="ISO 8601 end (default: now).")] = None,
    purpose: PurposeOpt = None,
    case_number: CaseOpt = None,
    description: DescriptionOpt = None,
    exigent: ExigentOpt = False,
    approved_by: ApprovedByOpt = None,
    approval_note: ApprovalNoteOpt = None,
    json_out: JsonOpt = False,
    before: Annotated[
        str | None,
        typer.Option(help="TIME,READ_ID of the last read of the previous page: older reads."),
    ] = None,
    as_user: ActorOpt = None,
) -> None:
    """The reads of one plate in a window, newest first, a page at a time."""
    since, until = _window(start, end)
    older = _before(before) if before else None
    rt = runtime()
    principal = actor(rt, as_user)
    approver, note = approval(rt, approved_by, approval_note)
    result = searches.plate_history(
        rt,
        principal=principal,
        justification=justification(purpose, case_number, description, exigent),
        approver=approver,
        approval_note=note,
        plate=plate_text,
        start=since,
        end=until,
        before=older,
    )
    _print_reads(result.search_id, result.result.reads, json_out)
    page = result.result
    if page.older:
        at, read_id = page.older
        typer.echo(
            f"older reads remain: --before {at.isoformat()},{read_id} "
            f"--start {page.start.isoformat()} --end {page.end.isoformat()}",
            err=True,
        )


def _window(start: str | None, end: str | None) -> tuple[datetime | None, datetime | None]:
    """``--start`` and ``--end`` as times, read before anyone signs in for the search."""
    return (
        parse_time(start, option="--start") if start else None,
        parse_time(end, option="--end") if end else None,
    )


def _before(text: str) -> tuple[datetime, int]:
    at, _, read_id = text.rpartition(",")
    if not read_id.isdigit():
        raise InvalidInput(
            f"--before {text!r}: use TIME,READ_ID as printed when older reads remain"
        )
    return parse_time(at, option="--before"), int(read_id)


def _scene(text: str) -> Scene:
    parts = text.split(",")
    if len(parts) != 5:
        raise InvalidInput(f"--scene {text!r}: use LAT,LON,RADIUS_M,START,END")
    try:
        lat, lon, radius = float(parts[0]), float(parts[1]), float(parts[2])
    except ValueError:
        raise InvalidInput(f"--scene {text!r}: LAT, LON and RADIUS_M are numbers") from None
    return Scene(
        lat,
        lon,
        radius,
        parse_time(parts[3], option="--scene START"),
        parse_time(parts[4], option="--scene END"),
    )


@app.command("common")
@command
def common(
    scene: Annotated[list[str], typer.Option(help="LAT,LON,RADIUS_M,START,END (repeat).")],
    min_scenes: Annotated[int, typer.Option("--min-scenes")] = 2,
    colour: ColourOpt = None,
    vehicle_type: TypeOpt = None,
    purpose: PurposeOpt = None,
    case_number: CaseOpt = None,
    description: DescriptionOpt = None,
    exigent: ExigentOpt = False,
    approved_by: ApprovedByOpt = None,
    approval_note: ApprovalNoteOpt = None,
    json_out: JsonOpt = False,
    as_user: ActorOpt = None,
) -> None:
    """Plates seen at several scenes (serial crimes)."""
    scenes = [_scene(s) for s in scene]
    rt = runtime()
    principal = actor(rt, as_user)
    approver, note = approval(rt, approved_by, approval_note)
    result = searches.common_plates(
        rt,
        principal=principal,
        justification=justification(purpose, case_number, description, exigent),
        approver=approver,
        approval_note=note,
        scenes=scenes,
        min_scenes=min_scenes,
        vehicle=Description.parse(colour=colour, kind=vehicle_type),
    )
    if json_out:
        emit_json(
            {
                "search_id": result.search_id,
                "plates": [{"plate": c.plate, "scenes": c.scenes} for c in result.result],
            }
        )
        return
    typer.echo(f"search {result.search_id}: {len(result.result)} plates")
    for c in result.result:
        typer.echo(f"{c.plate:<9} scenes {', '.join(str(i) for i in c.scenes)}")


@app.command("convoy")
@command
def convoy(
    plate_text: Annotated[str, typer.Argument(metavar="PLATE")],
    within_s: Annotated[int, typer.Option("--within-s")] = 10,
    start: Annotated[
        str | None, typer.Option(help="ISO 8601 start (default: the policy's window).")
    ] = None,
    end: Annotated[str | None, typer.Option(help="ISO 8601 end (default: now).")] = None,
    purpose: PurposeOpt = None,
    case_number: CaseOpt = None,
    description: DescriptionOpt = None,
    exigent: ExigentOpt = False,
    approved_by: ApprovedByOpt = None,
    approval_note: ApprovalNoteOpt = None,
    json_out: JsonOpt = False,
    as_user: ActorOpt = None,
) -> None:
    """Plates repeatedly read within seconds of the target at the same cameras."""
    since, until = _window(start, end)
    rt = runtime()
    principal = actor(rt, as_user)
    approver, note = approval(rt, approved_by, approval_note)
    result = searches.convoy(
        rt,
        principal=principal,
        justification=justification(purpose, case_number, description, exigent),
        approver=approver,
        approval_note=note,
        plate=plate_text,
        within_s=within_s,
        start=since,
        end=until,
    )
    if json_out:
        emit_json(
            {
                "search_id": result.search_id,
                "plates": [
                    {"plate": c.plate, "times_together": c.times_together} for c in result.result
                ],
            }
        )
        return
    typer.echo(f"search {result.search_id}: {len(result.result)} plates")
    for c in result.result:
        typer.echo(f"{c.plate:<9} {c.times_together} times together")
