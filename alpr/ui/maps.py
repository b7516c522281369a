"""Map layers for investigation results: reads coloured by time, a camera's reads as one
numbered marker, cameras, the scene; beyond a bounded number of places the reads are shown as
hexagons so large results stay usable. Every map is drawn over the agency's basemap: its raster
tiles (``ALPR_MAP_TILES``), or offline the street lines and names loaded with ``alpr places
import``."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import pydeck as pdk
import streamlit as st

from alpr.governance.cameras import CameraView
from alpr.governance.investigations.queries import ReadRow
from alpr.governance.investigations.results import CameraInRange, Scene
from alpr.governance.investigations.snapshot import METRES_PER_DEGREE, time_colour
from alpr.governance.places import StreetLine, places_version, streets_near
from alpr.ui.camera_status import status_words
from alpr.ui.context import runtime
from alpr.ui.dates import time_span
from alpr.ui.street_labels import LABEL_SIZE_PX, placed_labels, screen_px

MAX_POINTS = 2000
RESULTS_HEIGHT = 420  # pixels: the height pages give a results map
FIT_WIDTH_PX = 640  # a map fitted to its reads fits them as wide as a laptop's screen leaves it
SCENES_HEIGHT = 360  # pixels: the height of the common-plates page's map of its scenes
# Metres per pixel at zoom 0 on the equator: deck.gl's world is 512 pixels wide at zoom 0.
WORLD_METRES_PER_PIXEL = 40_075_016.7 / 512
PAPER = "#f2efe9"  # the offline basemap's ground, under the street lines
STREET_REACH_M = 4_000.0  # streets drawn around a map's centre
HEXAGON_COLOURS = [[255, 237, 160], [254, 217, 118], [254, 178, 76], [253, 141, 60], [240, 59, 32],
                   [189, 0, 38]]  # fmt: skip

# The dashboard's own typeface for street names and numbers (deck.gl's default is monospace);
# in single quotes so that pydeck passes it as text, not as an expression.
LABEL_FONT = '\'"Source Sans Pro", "Source Sans 3", Helvetica, Arial, sans-serif\''


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


def _place_key(read: ReadRow) -> tuple[object, ...]:
    """Where a read was taken, for grouping: its camera, or an in-car unit's reads by their own
    position (about 10 m)."""
    if read.is_mobile:
        return (read.camera_name, round(read.lat, 4), round(read.lon, 4))
    return (read.camera_name,)


def _by_place(reads: Sequence[ReadRow]) -> list[list[int]]:
    """The positions in ``reads`` of the reads taken at each place (``_place_key``), places in
    the order of their first read in ``reads``."""
    places: dict[tuple[object, ...], list[int]] = {}
    for index, read in enumerate(reads):
        places.setdefault(_place_key(read), []).append(index)
    return list(places.values())


# The marker of a place with several reads: its radius grows with the logarithm of their number,
# from GROUP_MIN_PX for two reads to GROUP_MAX_PX for GROUP_BUSY or more, so that the same size
# means the same count on every map.
GROUP_MIN_PX = 11.0
GROUP_MAX_PX = 26.0
GROUP_BUSY = 250


def _group_radius_px(count: int) -> float:
    share = min(1.0, math.log(count / 2) / math.log(GROUP_BUSY / 2))
    return round(GROUP_MIN_PX + (GROUP_MAX_PX - GROUP_MIN_PX) * share, 1)


def read_places(reads: Sequence[ReadRow], tz: Any) -> list[dict[str, Any]]:
    """One marker per place reads were taken (``_place_key``: a fixed camera, or an in-car
    unit's reads within about 10 m), in order of its first read. A single read is its dot
    (``read_points``) named by plate, time and camera; several are one marker at the first of
    them, labelled with their number, sized by it (``_group_radius_px``), coloured by the
    latest of them and named by the camera, the number and the first and last times."""
    ordered = sorted(reads, key=lambda r: (r.captured_at, r.id))
    points = read_points(ordered, tz)
    places = []
    for visits in _by_place(ordered):
        first, last = ordered[visits[0]], ordered[visits[-1]]
        point = points[visits[0]]
        if len(visits) == 1:
            places.append(
                {**point, "reads": 1, "tip": f"{first.plate} {point['time']}\n{first.where}"}
            )
            continue
        span = time_span(first.captured_at, last.captured_at, tz)
        places.append(
            {
                "lat": point["lat"],
                "lon": point["lon"],
                "camera": point["camera"],
                "colour": points[visits[-1]]["colour"],
                "reads": len(visits),
                "label": f"{len(visits):,}",
                "size": _group_radius_px(len(visits)),
                "time": span,
                "tip": f"{first.where}: {len(visits):,} reads, {span}",
            }
        )
    return places


def _reads_per_place(reads: Sequence[ReadRow]) -> list[int]:
    """How many reads each of ``read_places``' markers stands for."""
    return list(Counter(_place_key(r) for r in reads).values())


def results_deck(
    *,
    reads: Sequence[ReadRow],
    tz: Any,
    centre: tuple[float, float] | None = None,
    radius_m: float | None = None,
    cameras: Sequence[CameraInRange] = (),
    polygon: list[list[float]] | None = None,
    zoom: float = 14.5,
) -> pdk.Deck:
    """The reads of a result around the scene at ``centre`` (a red dot, in its circle of
    ``radius_m`` or its ``polygon``), with the ``cameras`` in range; without a scene, the view
    holds every read and nothing marks a place no read was taken at."""
    layers: list[pdk.Layer] = []
    if centre and radius_m:
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
    camera_dots = pdk.Layer(
        "ScatterplotLayer",
        id="cameras",
        data=[
            {"lat": c.lat, "lon": c.lon, "tip": f"{c.name}: {c.distance_m:.0f} m from the scene"}
            for c in cameras
        ],
        get_position="[lon, lat]",
        get_radius=12,
        get_fill_color=[20, 20, 20, 230],
        pickable=True,
    )
    places: list[dict[str, Any]] = []
    if len(_reads_per_place(reads)) > MAX_POINTS:
        hexagons = pdk.Layer(
            "HexagonLayer",
            id="reads",
            # Positions only: a hexagon shows a count, and a large result stays small.
            data=[{"lat": round(r.lat, 6), "lon": round(r.lon, 6)} for r in reads],
            get_position="[lon, lat]",
            radius=60,
            elevation_scale=0,
            extruded=False,
            coverage=0.9,
            color_range=HEXAGON_COLOURS,
        )
        layers += [hexagons, camera_dots]  # the cameras over the hexagons that would hide them
    else:
        places = read_places(reads, tz)
        single_reads = pdk.Layer(
            "ScatterplotLayer",
            id="reads",
            data=[p for p in places if p["reads"] == 1],
            get_position="[lon, lat]",
            get_radius=7,
            radius_min_pixels=4,
            get_fill_color="colour",
            pickable=True,
        )
        layers += [camera_dots, single_reads]
    if centre:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id="scene",
                data=[{"lat": centre[0], "lon": centre[1]}],
                get_position="[lon, lat]",
                get_radius=6,
                radius_min_pixels=6,
                get_fill_color=[220, 30, 30, 255],
            )
        )
    layers.extend(_group_layers([p for p in places if p["reads"] > 1]))
    if centre:
        extent_m = radius_m or _polygon_extent_m(centre, polygon)
        if extent_m:
            zoom = min(zoom, fit_zoom(centre[0], extent_m))
        view = pdk.ViewState(latitude=centre[0], longitude=centre[1], zoom=zoom)
    else:
        view = _fitted_view([(r.lat, r.lon) for r in reads], size_px=(FIT_WIDTH_PX, RESULTS_HEIGHT))
    return with_basemap(
        pdk.Deck(
            layers=layers,
            map_provider=None,
            map_style=None,
            initial_view_state=view,
            tooltip={"text": "{tip}"},
        )
    )


def _group_layers(groups: list[dict[str, Any]]) -> list[pdk.Layer]:
    """The markers of places with several reads (``read_places``): a white disc ringed in the
    colour of its latest read, with the number of reads in dark figures on it, legible over
    any street or colour."""
    if not groups:
        return []
    return [
        pdk.Layer(
            "ScatterplotLayer",
            id="read-groups",
            data=groups,
            get_position="[lon, lat]",
            get_radius="size",
            radius_units="'pixels'",
            get_fill_color=[255, 255, 255, 245],
            get_line_color="colour",
            stroked=True,
            get_line_width=4,
            line_width_units="'pixels'",
            pickable=True,
        ),
        pdk.Layer(
            "TextLayer",
            id="read-counts",
            data=groups,
            get_position="[lon, lat]",
            get_text="label",
            get_size=14,
            get_color=[25, 25, 25, 255],
            font_family=LABEL_FONT,
            font_weight=700,
            get_alignment_baseline="'center'",
        ),
    ]


def results_caption(reads: Sequence[ReadRow], *, scene: bool = True, cameras: bool = True) -> str:
    """What a results map shows, as ``results_deck`` draws ``reads``: its dots, its numbered
    circles or its hexagons; with ``scene``, the red dot the scene; ``cameras`` when the map
    draws the cameras in range."""
    marks = (["black dots are cameras"] if cameras else []) + (
        ["the red dot the scene"] if scene else []
    )
    after = f"; {', '.join(marks)}." if marks else "."
    per_place = _reads_per_place(reads)
    if len(per_place) > MAX_POINTS:
        return (
            f"Reads at more than {MAX_POINTS:,} places: shown as hexagons, from pale yellow (few "
            f"reads) to dark red (many){after}"
        )
    if all(n == 1 for n in per_place):
        return f"Each dot is a read, coloured from blue (earliest) to red (latest){after}"
    circles = (
        "circle with a number is the reads one camera took at one place: the number is how "
        "many, the ring"
    )
    if all(n > 1 for n in per_place):
        return (
            f"Each white {circles} coloured from blue (earliest) to red (latest) by the latest "
            f"of them{after}"
        )
    return (
        "Each dot is a read, coloured from blue (earliest) to red (latest). A white "
        f"{circles} the colour of the latest of them{after}"
    )


def fit_zoom(lat: float, half_extent_m: float, *, height_px: int = RESULTS_HEIGHT) -> float:
    """The zoom at which a circle of radius ``half_extent_m`` fits the map's height, with a
    margin."""
    metres_per_pixel = 2.4 * half_extent_m / height_px
    return math.log2(WORLD_METRES_PER_PIXEL * math.cos(math.radians(lat)) / metres_per_pixel)


def _polygon_extent_m(centre: tuple[float, float], polygon: list[list[float]] | None) -> float:
    """How far the polygon's farthest corner is from the centre."""
    scale = math.cos(math.radians(centre[0]))
    return max(
        (
            math.hypot(lat - centre[0], (lon - centre[1]) * scale) * METRES_PER_DEGREE
            for lon, lat in polygon or []
        ),
        default=0.0,
    )


def _style_url(style: dict[str, Any]) -> str:
    """A map style as a URL the map library loads without a server."""
    return "data:application/json;charset=utf-8," + quote(json.dumps(style, separators=(",", ":")))


def basemap_style(tiles: str, attribution: str) -> str:
    """The style under the layers: the agency's raster tiles, or plain ground for the street
    layer when none are set."""
    ground = {"id": "ground", "type": "background", "paint": {"background-color": PAPER}}
    if not tiles:
        return _style_url({"version": 8, "sources": {}, "layers": [ground]})
    source = {"type": "raster", "tiles": [tiles], "tileSize": 256, "attribution": attribution}
    return _style_url(
        {
            "version": 8,
            "sources": {"agency": source},
            "layers": [ground, {"id": "agency", "type": "raster", "source": "agency"}],
        }
    )


def street_layers(
    streets: Sequence[StreetLine], *, names: Sequence[dict[str, Any]]
) -> list[pdk.Layer]:
    """Street centre lines, cased like a street map, and the ``names`` placed on them."""
    paths = [{"name": s.name, "path": s.path} for s in streets if len(s.path) > 1]
    if not paths:
        return []
    return [
        pdk.Layer(
            "PathLayer",
            id="street-casing",
            data=paths,
            get_path="path",
            get_color=[196, 190, 180],
            get_width=20,
            width_min_pixels=9,
            cap_rounded=True,
            joint_rounded=True,
        ),
        pdk.Layer(
            "PathLayer",
            id="streets",
            data=paths,
            get_path="path",
            get_color=[255, 255, 255],
            get_width=13,
            width_min_pixels=6,
            cap_rounded=True,
            joint_rounded=True,
        ),
        pdk.Layer(
            "TextLayer",
            id="street-names",
            data=list(names),
            get_position="position",
            get_text="name",
            get_angle="angle",
            get_size=LABEL_SIZE_PX,
            get_color=[70, 70, 70],
            font_family=LABEL_FONT,
            font_weight=600,
            font_settings={"sdf": True},
            outline_width=3,
            outline_color=[255, 255, 255, 255],
        ),
    ]


@st.cache_data(ttl=3600, show_spinner=False)
def _streets_around(lat: float, lon: float, version: int) -> list[StreetLine]:
    """The streets around a rounded centre, for the places as of ``version``."""
    return streets_near(runtime(), lat=lat, lon=lon, reach_m=STREET_REACH_M)


@st.cache_data(ttl=3600, show_spinner=False)
def _names_around(lat: float, lon: float, version: int, zoom: float) -> list[dict[str, Any]]:
    """The street names placed for a map opening at ``zoom`` (to a quarter level)."""
    return placed_labels(_streets_around(lat, lon, version), zoom=zoom)


def with_basemap(deck: pdk.Deck) -> pdk.Deck:
    """``deck`` over the agency's basemap: its tiles with their attribution, or the street
    lines and names around the view's centre."""
    settings = runtime().settings
    deck.map_provider = "carto"
    deck.map_style = basemap_style(settings.map_tiles, settings.map_attribution)
    if not settings.map_tiles:
        view = deck.initial_view_state
        around = (round(view.latitude, 2), round(view.longitude, 2), places_version(runtime()))
        names = _names_around(*around, round(view.zoom * 4) / 4)
        deck.layers = [*street_layers(_streets_around(*around), names=names), *deck.layers]
    return deck


PICK_SPACING_M = 40.0
PICK_REACH_M = 1500.0


def _pick_grid(centre: tuple[float, float]) -> list[dict[str, Any]]:
    """Points every PICK_SPACING_M around the centre: deck.gl selects objects, not places, so
    a faint grid of them lets a click anywhere nearby place the scene."""
    dlat = PICK_SPACING_M / METRES_PER_DEGREE
    dlon = dlat / max(0.01, math.cos(math.radians(centre[0])))
    steps = int(PICK_REACH_M / PICK_SPACING_M)
    return [
        {
            "lat": round(centre[0] + i * dlat, 6),
            "lon": round(centre[1] + j * dlon, 6),
            "name": "Click to place the scene here",
        }
        for i in range(-steps, steps + 1)
        for j in range(-steps, steps + 1)
    ]


def scene_picker_deck(
    *,
    centre: tuple[float, float],
    scene: tuple[float, float] | None,
    radius_m: float | None,
    vertices: Sequence[tuple[float, float]],
    cameras: Sequence[tuple[str, float, float]],
) -> pdk.Deck:
    """A map to place the scene by clicking: a pickable grid, the fixed cameras (name, lat,
    lon) and the scene as placed so far (a circle, or the polygon's vertices)."""
    layers = [
        pdk.Layer(
            "ScatterplotLayer",
            id="pick",
            data=_pick_grid(centre),
            get_position="[lon, lat]",
            get_radius=PICK_SPACING_M * 0.71,  # overlapping discs: no gap between them
            get_fill_color=[30, 60, 120, 8],
            pickable=True,
            auto_highlight=True,
            highlight_color=[220, 30, 30, 120],
        ),
        pdk.Layer(
            "ScatterplotLayer",
            id="cameras",
            data=[{"name": name, "lat": lat, "lon": lon} for name, lat, lon in cameras],
            get_position="[lon, lat]",
            get_radius=15,
            radius_min_pixels=4,
            get_fill_color=[20, 20, 20, 230],
            pickable=True,
        ),
    ]
    if vertices:
        ring = [[lon, lat] for lat, lon in vertices]
        layers.append(
            pdk.Layer(
                "PolygonLayer",
                id="area",
                data=[{"polygon": ring}],
                get_polygon="polygon",
                get_fill_color=[30, 60, 120, 40],
                get_line_color=[30, 60, 120, 200],
                line_width_min_pixels=2,
            )
        )
    if scene:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id="scene",
                data=[{"lat": scene[0], "lon": scene[1]}],
                get_position="[lon, lat]",
                get_radius=radius_m or 6,
                radius_min_pixels=5,
                get_fill_color=[220, 30, 30, 40 if radius_m else 255],
                get_line_color=[220, 30, 30, 220],
                stroked=True,
                line_width_min_pixels=2,
            )
        )
    return with_basemap(
        pdk.Deck(
            layers=layers,
            map_provider=None,
            map_style=None,
            initial_view_state=pdk.ViewState(latitude=centre[0], longitude=centre[1], zoom=14),
            tooltip={"text": "{name}"},
        )
    )


def picked_point(event: Any) -> tuple[float, float] | None:
    """The place of the object clicked on a scene picker, if any."""
    objects = event.selection.objects if event and event.selection else {}
    for layer in ("cameras", "pick"):
        for picked in objects.get(layer) or []:
            return float(picked["lat"]), float(picked["lon"])
    return None


# A scene's number label on the map, drawn at 15 px on white: the room it takes.
SCENE_LABEL_CHAR_PX = 9.0
SCENE_LABEL_PAD_PX = 12.0
SCENE_LABEL_HEIGHT_PX = 24.0


def _label_width(numbers: Sequence[int]) -> float:
    return len(", ".join(map(str, numbers))) * SCENE_LABEL_CHAR_PX + SCENE_LABEL_PAD_PX


def scene_labels(scenes: Sequence[Scene], *, zoom: float) -> list[dict[str, Any]]:
    """The scenes' numbers (as the scenes' table numbers them) for the map at ``zoom``, each at
    its scene's centre; a scene whose number would overlap a label already placed (a scene at
    the same place, or next door) joins that label: "1, 3" is legible where a "1" and a "3"
    drawn over each other are not."""
    labels: list[dict[str, Any]] = []
    for number, scene in enumerate(scenes, start=1):
        x, y = screen_px(scene.lon, scene.lat, zoom)
        width = _label_width([number])
        overlapped = next(
            (
                label
                for label in labels
                if abs(label["x"] - x) < (_label_width(label["numbers"]) + width) / 2
                and abs(label["y"] - y) < SCENE_LABEL_HEIGHT_PX
            ),
            None,
        )
        if overlapped is None:
            labels.append({"lat": scene.lat, "lon": scene.lon, "x": x, "y": y, "numbers": []})
            overlapped = labels[-1]
        overlapped["numbers"].append(number)
    return [
        {"lat": label["lat"], "lon": label["lon"], "label": ", ".join(map(str, label["numbers"]))}
        for label in labels
    ]


def scenes_deck(scenes: Sequence[Scene]) -> pdk.Deck:
    """The scenes of a common-plates search, each a circle, numbered as the scenes' table
    numbers them, on white so the numbers stand out from the street names, fitted to the
    view; scenes at one place share their label (``scene_labels``)."""
    lat = sum(s.lat for s in scenes) / len(scenes)
    lon = sum(s.lon for s in scenes) / len(scenes)
    scale = math.cos(math.radians(lat))
    reach = max(
        math.hypot(s.lat - lat, (s.lon - lon) * scale) * METRES_PER_DEGREE + s.radius_m
        for s in scenes
    )
    zoom = min(16.0, fit_zoom(lat, reach, height_px=SCENES_HEIGHT))
    data = [
        {"lat": s.lat, "lon": s.lon, "radius": s.radius_m, "name": f"Scene {n}: {s.address}"}
        for n, s in enumerate(scenes, start=1)
    ]
    return with_basemap(
        pdk.Deck(
            layers=[
                pdk.Layer(
                    "ScatterplotLayer",
                    id="scenes",
                    data=data,
                    get_position="[lon, lat]",
                    get_radius="radius",
                    get_fill_color=[220, 30, 30, 40],
                    get_line_color=[220, 30, 30, 220],
                    stroked=True,
                    line_width_min_pixels=2,
                    pickable=True,
                ),
                pdk.Layer(
                    "TextLayer",
                    id="scene-numbers",
                    data=scene_labels(scenes, zoom=zoom),
                    get_position="[lon, lat]",
                    get_text="label",
                    get_size=15,
                    get_color=[160, 20, 20, 255],
                    font_family=LABEL_FONT,
                    font_weight=700,
                    background=True,
                    get_background_color=[255, 255, 255, 235],
                    get_border_color=[160, 20, 20, 255],
                    get_border_width=1,
                    background_padding=[5, 2],
                ),
            ],
            map_provider=None,
            map_style=None,
            initial_view_state=pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom),
            tooltip={"text": "{name}"},
        )
    )


def _fitted_view(
    points: Sequence[tuple[float, float]], *, size_px: tuple[int, int], margin: float = 1.4
) -> pdk.ViewState:
    """The view that holds every (lat, lon) point on a map of about ``size_px`` (width,
    height) with a margin around them, no closer than street level (deck.gl's world is 512
    pixels wide at zoom 0)."""
    lats = [p[0] for p in points] or [0.0]
    lons = [p[1] for p in points] or [0.0]
    centre_lat, centre_lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    span_lon = max(max(lons) - min(lons), 1e-6) * margin
    span_lat = max(max(lats) - min(lats), 1e-6) * margin / math.cos(math.radians(centre_lat))
    width, height = size_px
    zoom = min(
        math.log2(width * 360 / (512 * span_lon)), math.log2(height * 360 / (512 * span_lat)), 16.0
    )
    return pdk.ViewState(latitude=centre_lat, longitude=centre_lon, zoom=zoom)


def _outlined_dots(
    layer_id: str, data: list[dict[str, Any]], *, radius_m: float, min_px: int, outline_px: int
) -> pdk.Layer:
    """Dots in each point's own ``colour``, outlined in white so that they stand out from the
    streets, and named by the map's tooltip."""
    return pdk.Layer(
        "ScatterplotLayer",
        id=layer_id,
        data=data,
        get_position="[lon, lat]",
        get_radius=radius_m,
        radius_min_pixels=min_px,
        get_fill_color="colour",
        get_line_color=[255, 255, 255, 255],
        stroked=True,
        line_width_min_pixels=outline_px,
        pickable=True,
    )


# A place read more often than this shows its count instead of every stop's number.
MAX_NUMBERS_AT_A_PLACE = 3


def route_stops(reads: Sequence[ReadRow], tz: Any) -> list[dict[str, Any]]:
    """One marker per place a plate was read, in order of its first read there: numbered with
    the stops read there (1 the earliest read), or with how many when there are more than
    ``MAX_NUMBERS_AT_A_PLACE``; coloured by its latest read, blue to red like the timeline."""
    ordered = sorted(reads, key=lambda r: (r.captured_at, r.id))
    points = read_points(ordered, tz)
    stops = []
    for visits in _by_place(ordered):
        numbers = [n + 1 for n in visits]
        first, last = points[visits[0]], points[visits[-1]]
        many = len(numbers) > MAX_NUMBERS_AT_A_PLACE
        stops.append(
            {
                **first,
                "colour": last["colour"],
                "stop": f"{len(numbers)} reads" if many else ", ".join(map(str, numbers)),
                "reads": len(numbers),
                "time": first["time"] if len(numbers) == 1 else f"{first['time']} – {last['time']}",
            }
        )
    return stops


def route_path(reads: Sequence[ReadRow]) -> list[list[float]]:
    """The route through the places a plate was read, in time order, as [lon, lat] points: each
    place at its marker (its first read), a place read twice in a row once."""
    marker: dict[tuple[object, ...], list[float]] = {}
    path: list[list[float]] = []
    for read in sorted(reads, key=lambda r: (r.captured_at, r.id)):
        position = marker.setdefault(_place_key(read), [read.lon, read.lat])
        if not path or path[-1] != position:
            path.append(position)
    return path


def route_deck(
    *, reads: Sequence[ReadRow], tz: Any, size_px: tuple[int, int] = (600, 380)
) -> pdk.Deck:
    """One plate's reads joined in time order: a path through the places it was read, from
    the first read to the last, and one marker per place (``route_stops``), so that a plate
    read fifty times at two cameras draws two markers and a line, not fifty overlapping ones."""
    ordered = sorted(reads, key=lambda r: (r.captured_at, r.id))
    stops = route_stops(ordered, tz)
    path = route_path(ordered)
    view = _fitted_view([(r.lat, r.lon) for r in ordered], size_px=size_px)
    layers = [
        pdk.Layer(
            "PathLayer",
            id="route",
            data=[{"path": path}],
            get_path="path",
            get_color=[40, 40, 40, 170],
            width_min_pixels=2,
        ),
        _outlined_dots("stops", stops, radius_m=10, min_px=8, outline_px=2),
        pdk.Layer(
            "TextLayer",
            id="numbers",
            data=stops,
            get_position="[lon, lat]",
            get_text="stop",
            get_size=13,
            get_color=[20, 20, 20, 255],
            font_family=LABEL_FONT,
            font_weight=700,
            get_text_anchor="'start'",
            get_alignment_baseline="'center'",
            get_pixel_offset=[12, 0],
            background=True,
            get_background_color=[255, 255, 255, 230],
            background_padding=[4, 2],
        ),
    ]
    return with_basemap(
        pdk.Deck(
            layers=layers,
            map_provider=None,
            map_style=None,
            initial_view_state=view,
            tooltip={"text": "{plate}: {reads} read(s), stop {stop}\n{time}\n{camera}"},
        )
    )


# A camera's dot on the network map by how it stands: green in service, red down, grey otherwise.
STATUS_COLOURS = {"up": [30, 140, 60, 230], "down": [200, 30, 30, 240]}
NOT_REPORTING = [130, 130, 130, 220]


def cameras_deck(
    cameras: Sequence[CameraView], *, size_px: tuple[int, int] = (900, 420)
) -> pdk.Deck:
    """The fixed cameras where they stand, coloured by their health (in-car units move and have
    no place of their own)."""
    data: list[dict[str, Any]] = []
    points: list[tuple[float, float]] = []
    for c in cameras:
        if c.lat is None or c.lon is None:
            continue
        points.append((c.lat, c.lon))
        data.append(
            {
                "lat": c.lat,
                "lon": c.lon,
                "name": c.name,
                "place": c.location or "",
                "status": status_words(c),
                "colour": STATUS_COLOURS.get(c.status, NOT_REPORTING)
                if c.enabled
                else NOT_REPORTING,
            }
        )
    view = _fitted_view(points, size_px=size_px, margin=1.2)
    return with_basemap(
        pdk.Deck(
            layers=[_outlined_dots("cameras", data, radius_m=25, min_px=6, outline_px=1)],
            map_provider=None,
            map_style=None,
            initial_view_state=view,
            tooltip={"text": "{name}: {status}\n{place}"},
        )
    )
