"""Map layers for investigation results: reads coloured by time, cameras, the scene; beyond a
bounded number of points the reads are shown as hexagons so large results stay usable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pydeck as pdk

from alpr.governance.investigations.queries import ReadRow
from alpr.governance.investigations.results import CameraInRange
from alpr.governance.investigations.snapshot import time_colour

MAX_POINTS = 2000


def read_points(reads: Sequence[ReadRow], tz: Any) -> list[dict[str, Any]]:
    if not reads:
        return []
    first = min(r.captured_at for r in reads)
    last = max(r.captured_at for r in reads)
    return [
        {
            "id": r.id,
            "lat": r.lat,
            "lon": r.lon,
            "plate": r.plate,
            "time": r.captured_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
            "camera": r.camera_name,
            "colour": [*time_colour(r.captured_at, first, last), 200],
        }
        for r in reads
    ]


def results_deck(
    *,
    reads: Sequence[ReadRow],
    tz: Any,
    centre: tuple[float, float],
    radius_m: float | None = None,
    cameras: Sequence[CameraInRange] = (),
    polygon: list[list[float]] | None = None,
    zoom: float = 14.5,
) -> pdk.Deck:
    layers: list[pdk.Layer] = []
    if radius_m:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                data=[{"lat": centre[0], "lon": centre[1]}],
                get_position="[lon, lat]",
                get_radius=radius_m,
                get_fill_color=[30, 60, 120, 25],
                get_line_color=[30, 60, 120, 160],
                stroked=True,
                line_width_min_pixels=2,
                pickable=False,
            )
        )
    if polygon:
        layers.append(
            pdk.Layer(
                "PolygonLayer",
                data=[{"polygon": polygon}],
                get_polygon="polygon",
                get_fill_color=[30, 60, 120, 25],
                get_line_color=[30, 60, 120, 180],
                line_width_min_pixels=2,
            )
        )
    layers.append(
        pdk.Layer(
            "ScatterplotLayer",
            id="cameras",
            data=[
                {"lat": c.lat, "lon": c.lon, "name": c.name, "distance": f"{c.distance_m:.0f} m"}
                for c in cameras
            ],
            get_position="[lon, lat]",
            get_radius=12,
            get_fill_color=[20, 20, 20, 230],
            pickable=True,
        )
    )
    points = read_points(reads, tz)
    if len(points) > MAX_POINTS:
        layers.append(
            pdk.Layer(
                "HexagonLayer",
                id="reads",
                data=points,
                get_position="[lon, lat]",
                radius=60,
                elevation_scale=0,
                extruded=False,
                pickable=True,
                coverage=0.9,
            )
        )
    else:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id="reads",
                data=points,
                get_position="[lon, lat]",
                get_radius=7,
                radius_min_pixels=4,
                get_fill_color="colour",
                pickable=True,
            )
        )
    layers.append(
        pdk.Layer(
            "ScatterplotLayer",
            data=[{"lat": centre[0], "lon": centre[1]}],
            get_position="[lon, lat]",
            get_radius=6,
            radius_min_pixels=6,
            get_fill_color=[220, 30, 30, 255],
        )
    )
    return pdk.Deck(
        layers=layers,
        map_provider=None,
        map_style=None,
        initial_view_state=pdk.ViewState(latitude=centre[0], longitude=centre[1], zoom=zoom),
        tooltip={"text": "{plate} {time}\n{camera}{name} {distance}"},
    )
