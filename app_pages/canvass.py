from datetime import timedelta

import streamlit as st

from alpr.governance.cameras import list_cameras
from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.investigations.incidents import list_incidents
from alpr.governance.investigations.searches import canvass
from alpr.governance.permissions import Permission
from alpr.ui.approval import approval_fields, approver_from
from alpr.ui.context import runtime
from alpr.ui.counts import counted
from alpr.ui.guard import require_page
from alpr.ui.justification import justification_fields
from alpr.ui.maps import picked_point, results_caption, results_deck, scene_picker_deck
from alpr.ui.messages import show_refusal
from alpr.ui.places import address_finder
from alpr.ui.results import reads_summary, show_reads
from alpr.ui.session import kept_field
from alpr.ui.time_window import window_fields
from alpr.ui.vehicle_fields import described_caption, vehicle_fields

RADIUS, CORNERS, WKT = "Radius", "Polygon: click its corners", "Polygon: WKT"

principal = require_page(Permission.SEARCH_READS)
rt = runtime()
tz = rt.settings.tz
st.title("Canvass around a scene")
st.caption(
    "Reads taken near a crime scene in a time window. Patrol-car reads count where they were taken."
)

incidents = list_incidents(rt, principal=principal)
sites = [
    (c.name, c.lat, c.lon)
    for c in list_cameras(rt, principal=principal)
    if c.kind == "fixed" and c.lat is not None and c.lon is not None
]
choice = st.selectbox(
    "Start from an incident (optional)",
    [None, *incidents],
    format_func=lambda i: (
        "— place the scene on the map or type it —"
        if i is None
        else f"{i.case_number} · {i.title} · {i.occurred_at.astimezone(tz):%Y-%m-%d %H:%M}"
    ),
    **kept_field("canvass_incident"),
)
if choice:
    home = (choice.lat, choice.lon)
elif sites:
    home = (sum(s[1] for s in sites) / len(sites), sum(s[2] for s in sites) / len(sites))
else:
    home = (37.6879, -122.4702)
# The scene lives in plain session keys; the typed fields are re-created (new key) whenever
# a click or another incident moves the scene, so they show where it now is.
state = st.session_state
if state.get("canvass_for", "unset") != (choice.id if choice else None):
    state["canvass_for"] = choice.id if choice else None
    state["canvass_scene"] = state["canvass_home"] = home
    state["canvass_address"] = (choice.address, home) if choice and choice.address else None
    state["canvass_corners"] = []
    state["canvass_version"] = state.get("canvass_version", 0) + 1
state.setdefault("canvass_radius_m", 500)
place = address_finder(key="canvass", keep=True)
if place and (place.lat, place.lon) != state.get("canvass_place_at"):
    state["canvass_place_at"] = (place.lat, place.lon)
    state["canvass_scene"] = state["canvass_home"] = (place.lat, place.lon)
    state["canvass_address"] = (place.name, (place.lat, place.lon))
    state["canvass_version"] += 1
    st.rerun()
scene: tuple[float, float] = state["canvass_scene"]
corners: list[tuple[float, float]] = state["canvass_corners"]
# The address describes the scene while the scene stays where the address put it.
named = state["canvass_address"]
address = named[0] if named and tuple(named[1]) == tuple(scene) else None

mode = st.radio("Area", [RADIUS, CORNERS, WKT], horizontal=True, **kept_field("canvass_mode"))
picker = st.pydeck_chart(
    scene_picker_deck(
        centre=state["canvass_home"],
        scene=scene if mode == RADIUS else None,
        radius_m=state["canvass_radius_m"],
        vertices=corners if mode == CORNERS else [],
        cameras=sites,
    ),
    height=380,
    on_select="rerun",
    selection_mode="single-object",
    key="canvass_picker",
)
point = picked_point(picker)
if point and point != state.get("canvass_picked"):
    state["canvass_picked"] = point
    if mode == CORNERS:
        corners.append(point)
    else:
        state["canvass_scene"] = point
        state["canvass_version"] += 1
    st.rerun()
st.caption(
    (f"Scene: **{address}**. " if address and mode == RADIUS else "")
    + "Click the map (or a camera) to place the scene; black dots are fixed cameras."
)

polygon = None
if mode == RADIUS:
    version = state["canvass_version"]
    c1, c2, c3 = st.columns(3)
    typed = (
        c1.number_input("Latitude", value=scene[0], format="%.6f", key=f"canvass_lat_{version}"),
        c2.number_input("Longitude", value=scene[1], format="%.6f", key=f"canvass_lon_{version}"),
    )
    radius = c3.number_input(
        "Radius (m)", 10, 50_000, value=int(state["canvass_radius_m"]), step=50, key="canvass_r"
    )
    if typed != scene or radius != state["canvass_radius_m"]:
        state["canvass_scene"], state["canvass_radius_m"] = typed, radius
        st.rerun()
elif mode == CORNERS:
    left, right = st.columns([3, 1])
    left.caption(f"{len(corners)} corners placed; click the map to add one (3 at least).")
    if right.button("Clear corners"):
        corners.clear()
        st.rerun()
    if len(corners) >= 3:
        ring = [*corners, corners[0]]
        polygon = "POLYGON((" + ", ".join(f"{lon:.6f} {lat:.6f}" for lat, lon in ring) + "))"
else:
    polygon = st.text_area(
        "Polygon",
        placeholder="POLYGON((-122.47 37.68, -122.46 37.68, ...))",
        **kept_field("canvass_wkt"),
    )

with st.form("canvass"):
    # An incident's window spans the hour either side of it; without one, the last two hours.
    start, end = window_fields(
        key=f"canvass_window_{choice.id if choice else 0}",
        default_end=choice.occurred_at + timedelta(hours=1) if choice else rt.now(),
        default_hours=2,
        keep=True,
    )
    vehicle = vehicle_fields(key="canvass", keep=True)
    given = justification_fields(
        key=f"canvass_{choice.id if choice else 0}",
        case_number=choice.case_number if choice else "",
        keep=True,
    )
    approval = approval_fields(key="canvass")
    submitted = st.form_submit_button("Search", type="primary")

if submitted:
    try:
        if mode != RADIUS and not polygon:
            raise InvalidInput("place at least three corners, or type the polygon as WKT")
        approver, note = approver_from(approval)
        st.session_state["canvass_result"] = canvass(
            rt,
            principal=principal,
            justification=given,
            start=start,
            end=end,
            lat=scene[0] if mode == RADIUS else None,
            lon=scene[1] if mode == RADIUS else None,
            radius_m=state["canvass_radius_m"] if mode == RADIUS else None,
            polygon_wkt=polygon,
            address=address if mode == RADIUS else None,
            vehicle=vehicle,
            approver=approver,
            approval_note=note,
        )
    except (Refusal, InvalidInput) as exc:
        st.session_state.pop("canvass_result", None)  # a refusal replaces the old result
        show_refusal(exc)

result = st.session_state.get("canvass_result")
if result:
    found = result.result
    st.success(
        f"Search #{result.search_id}: {reads_summary(found.reads, tz)}; "
        f"{counted(len(found.cameras), 'camera')} in range (recorded in the access log)."
    )
    st.pydeck_chart(
        results_deck(
            reads=found.reads,
            tz=tz,
            centre=found.centre,
            radius_m=found.radius_m,
            cameras=found.cameras,
            polygon=found.polygon,
        ),
        height=420,
    )
    if found.described is not None:
        st.caption(described_caption(found.described, len(found.reads)))
    st.caption(results_caption(found.reads))
    show_reads(key="canvass", principal=principal, search_id=result.search_id, rows=found.reads)
