from datetime import timedelta

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.investigations.incidents import list_incidents
from alpr.governance.investigations.searches import canvass
from alpr.governance.permissions import Permission
from alpr.ui.approval import approval_fields, approver_from
from alpr.ui.context import runtime
from alpr.ui.guard import require_page
from alpr.ui.justification import justification_fields
from alpr.ui.maps import results_deck
from alpr.ui.messages import show_refusal
from alpr.ui.results import show_reads
from alpr.ui.time_window import window_fields

principal = require_page(Permission.SEARCH_READS)
rt = runtime()
tz = rt.settings.tz
st.title("Canvass around a scene")
st.caption(
    "Reads taken near a crime scene in a time window (R11). "
    "Patrol-car reads count where they were taken."
)

incidents = list_incidents(rt, principal=principal)
choice = st.selectbox(
    "Start from an incident (optional)",
    [None, *incidents],
    format_func=lambda i: (
        "— type the place and time below —"
        if i is None
        else f"{i.case_number} · {i.title} · {i.occurred_at.astimezone(tz):%Y-%m-%d %H:%M}"
    ),
)
default_at = (choice.occurred_at if choice else rt.now()).astimezone(tz)

with st.form("canvass"):
    mode = st.radio("Area", ["Radius", "Polygon (WKT, lon lat)"], horizontal=True)
    c1, c2, c3 = st.columns(3)
    lat = c1.number_input("Latitude", value=choice.lat if choice else 37.6879, format="%.6f")
    lon = c2.number_input("Longitude", value=choice.lon if choice else -122.4702, format="%.6f")
    radius = c3.number_input("Radius (m)", min_value=10, max_value=50_000, value=500, step=50)
    polygon = st.text_area("Polygon", placeholder="POLYGON((-122.47 37.68, -122.46 37.68, ...))")
    start, end = window_fields(
        key=f"canvass_window_{choice.id if choice else 0}",
        default_end=default_at + timedelta(hours=1),
        default_hours=2,
    )
    given = justification_fields(
        key=f"canvass_{choice.id if choice else 0}",
        case_number=choice.case_number if choice else "",
    )
    approval = approval_fields(key="canvass")
    submitted = st.form_submit_button("Search", type="primary")

if submitted:
    try:
        approver, note = approver_from(approval)
        result = canvass(
            rt,
            principal=principal,
            justification=given,
            start=start,
            end=end,
            lat=lat if mode == "Radius" else None,
            lon=lon if mode == "Radius" else None,
            radius_m=radius if mode == "Radius" else None,
            polygon_wkt=polygon if mode != "Radius" else None,
            approver=approver,
            approval_note=note,
        )
        st.session_state["canvass_result"] = (result, (mode == "Radius" and radius) or None)
    except (Refusal, InvalidInput) as exc:
        show_refusal(exc)

stored = st.session_state.get("canvass_result")
if stored:
    result, shown_radius = stored
    found = result.result
    st.success(
        f"Search #{result.search_id}: {len(found.reads)} reads from {len(found.cameras)} cameras "
        "in range (recorded in the access log)."
    )
    if shown_radius or not found.cameras:
        params_centre = (lat, lon)
    else:
        params_centre = (found.cameras[0].lat, found.cameras[0].lon)
    st.pydeck_chart(
        results_deck(
            reads=found.reads,
            tz=tz,
            centre=params_centre,
            radius_m=shown_radius,
            cameras=found.cameras,
        ),
        height=420,
    )
    st.caption("Reads are coloured from blue (earliest) to red (latest); black dots are cameras.")
    show_reads(key="canvass", principal=principal, search_id=result.search_id, rows=found.reads)
