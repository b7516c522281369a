"""``alpr places``: load the county's street lines and address points, and find them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from alpr.commands.common import ActorOpt, JsonOpt, actor, command, emit_json, group, runtime
from alpr.governance import places
from alpr.textinput import utf8_text

app = group("Street lines, addresses and intersections.")
FORMATS = {".geojson": "geojson", ".json": "geojson", ".csv": "csv"}


@app.command("import")
@command
def import_file(
    file: Annotated[
        Path,
        typer.Argument(
            help="GeoJSON of LineString streets and Point addresses, or CSV of address,lat,lon."
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            help="What the file is (default: its name); a later import "
            "of the same source replaces it."
        ),
    ] = None,
    as_user: ActorOpt = None,
) -> None:
    """Load places from a county GIS file; any bad feature refuses the whole file."""
    fmt = FORMATS.get(file.suffix.lower())
    if fmt is None:
        raise ValueError(f"{file.name}: places come as .geojson, .json or .csv")
    if not file.is_file():
        raise ValueError(f"no such file: {file}")
    rt = runtime()
    who = actor(rt, as_user)
    done = places.import_places(
        rt,
        actor=who,
        data=utf8_text(file.read_bytes(), what=file.name),
        fmt=fmt,
        source=source or file.name,
    )
    typer.echo(
        f"{done.streets} street lines and {done.addresses} addresses imported from "
        f"{done.source} ({done.replaced} replaced); {done.intersections} intersections"
    )


@app.command("find")
@command
def find(
    text: Annotated[str, typer.Argument(help="Words of an address or of two crossing streets.")],
    limit: Annotated[int, typer.Option(min=1, max=places.MAX_MATCHES)] = 10,
    json_out: JsonOpt = False,
) -> None:
    """Addresses and intersections matching TEXT."""
    found = places.find_places(runtime(), text=text, limit=limit)
    if json_out:
        emit_json([vars(p) for p in found])
        return
    if not found:
        typer.echo("no address or intersection matches")
    for p in found:
        typer.echo(f"{p.name}  ({p.kind}, {p.lat:.6f}, {p.lon:.6f})")
