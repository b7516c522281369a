from datetime import datetime, timedelta

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.investigations.incidents import list_incidents
from alpr.governance.investigations.results import Scene
from alpr.governance.investigations.searches import common_plates, convoy
from alpr.governance.permissions import Permission
from alpr.ui.approval import approval_fields, approver_from
from alpr.ui.context import runtime
from alpr.ui.counts import counted
from alpr.ui.guard import require_page
from alpr.ui.justification import justification_fields
from alpr.ui.maps import (
    RESULTS_HEIGHT,
    SCENES_HEIGHT,
    results_caption,
    results_deck,
    scenes_deck,
)
from alpr.ui.messages import show_refusal
from alpr.ui.places import address_finder
from alpr.ui.results import reads_summary, show_reads
from alpr.ui.session import kept_field
from alpr.ui.time_window import window_fields
from alpr.ui.vehicle_fields import vehicle_fields

INCIDENT, ADDRESS = "An incident", "An address or intersection"

principal = require_page(Permission.SEARCH_READS)
rt = runtime()
tz = rt.settings.tz
st.title("Common plates across scenes")
st.caption(
    "Serial crimes: the plates seen near several scenes, each a place, radius and time window."
)

# Scenes are gathered one at a time, each from an incident or a loaded address, with its own
# radius and window; none is typed as coordinates.
scenes: list[Scene] = st.session_state.setdefault("common_scenes", [])
incidents = list_incidents(rt, principal=principal)
with st.expander(f"Add scene {len(scenes) + 1}", expanded=len(scenes) < 2):
    origin = st.radio("From", [INCIDENT, ADDRESS], horizontal=True, key="common_from")
    picked: tuple[str, float, float, datetime] | None = None
    if origin == INCIDENT:
        incident = st.selectbox(
            "Incident",
            incidents,
            format_func=lambda i: (
                f"{i.case_number} · {i.title} · {i.occurred_at.astimezone(tz):%Y-%m-%d %H:%M}"
            ),
            key="common_incident",
        )
        if incident:
            where = incident.address or incident.title
            picked = (where, incident.lat, incident.lon, incident.occurred_at + timedelta(hours=1))
    else:
        place = address_finder(key="common")
        if place:
            picked = (place.name, place.lat, place.lon, rt.now())
    if picked:
        name, lat, lon, at = picked
        radius = st.number_input("Radius (m)", 10, 50_000, 300, step=50, key="common_radius")
        start, end = window_fields(
            key=f"common_window_{len(scenes)}_{name}",
            default_end=at,
            default_hours=2,
        )
        if st.button("Add this scene", key="common_add"):
            scenes.append(Scene(lat, lon, float(radius), start, end, name))
            if origin == INCIDENT and incident and not st.session_state.get("common_case"):
                # The first incident's number justifies the search, as on the Canvass page.
                st.session_state["common_case"] = incident.case_number
            st.rerun()
if scenes:
    st.dataframe(
        [
            {
                "Scene": n,
                "Place": s.address,
                "Radius (m)": int(s.radius_m),
                "From": f"{s.start.astimezone(tz):%Y-%m-%d %H:%M}",
                "To": f"{s.end.astimezone(tz):%Y-%m-%d %H:%M}",
            }
            for n, s in enumerate(scenes, start=1)
        ],
        hide_index=True,
        width="stretch",
    )
    st.pydeck_chart(scenes_deck(scenes), height=SCENES_HEIGHT)
    st.caption(
        "Each circle is a scene, numbered as in the table above; scenes too close to tell apart "
        "on the map share one label (“1, 3”)."
    )
    if st.button("Clear the scenes"):
        scenes.clear()
        st.session_state.pop("common_result", None)
        st.rerun()
with st.form("common"):
    min_scenes = st.number_input(
        "Seen at least at this many scenes",
        2,
        10,
        max(2, min(len(scenes), 10)),
        **kept_field(f"common_min_scenes_{len(scenes)}"),  # all of them, until changed
    )
    vehicle = vehicle_fields(key="common", keep=True)
    given = justification_fields(key="common", keep=True)
    submitted = st.form_submit_button("Find common plates", type="primary")

if submitted:
    try:
        st.session_state["common_result"] = common_plates(
            rt,
            principal=principal,
            justification=given,
            scenes=list(scenes),
            min_scenes=int(min_scenes),
            vehicle=vehicle,
        )
        st.session_state["common_asked"] = (int(min_scenes), len(scenes))
    except (Refusal, InvalidInput) as exc:
        st.session_state.pop("common_result", None)  # a refusal replaces the old result
        show_refusal(exc)

result = st.session_state.get("common_result")
if result:
    at_least, of = st.session_state["common_asked"]
    seen_at = (
        f"at {at_least} or more of the {of} scenes"
        if at_least < of
        else ("at both scenes" if of == 2 else f"at all {of} scenes")
    )
    if not result.result:
        st.info(
            f"Search #{result.search_id}: no plate was read {seen_at}. A wider radius or time "
            "window at a scene, fewer scenes in common, or no vehicle description may find "
            "one: change them above and search again."
        )
    else:
        reads = [r for c in result.result for r in c.reads]
        st.success(
            f"Search #{result.search_id}: {counted(len(result.result), 'plate')} read {seen_at}, "
            f"in {reads_summary(reads, tz, plates=False)}."
        )
        st.dataframe(
            [
                {
                    "Plate": c.plate,
                    "Scenes": ", ".join(str(i + 1) for i in c.scenes),
                    "Reads": len(c.reads),
                }
                for c in result.result
            ],
            hide_index=True,
            width="stretch",
        )
        st.subheader("Their reads", anchor=False)
        show_reads(
            key="common",
            principal=principal,
            search_id=result.search_id,
            rows=reads,
            # Which scene each read puts the plate at, numbered as in the scenes' table.
            extra={
                read_id: {"Scene": ", ".join(str(i + 1) for i in indexes)}
                for c in result.result
                for read_id, indexes in c.read_scenes.items()
            },
        )

st.divider()
st.header("Convoy")
st.caption("Plates repeatedly read by the same cameras within seconds of a target plate.")
with st.form("convoy"):
    target = st.text_input("Target plate", **kept_field("convoy_plate"))
    within = st.slider("Within seconds", 1, 60, 10, **kept_field("convoy_within"))
    convoy_start, convoy_end = window_fields(
        key="convoy_window", default_end=rt.now(), default_hours=24 * 30, keep=True
    )
    convoy_given = justification_fields(key="convoy", keep=True)
    convoy_approval = approval_fields(key="convoy")
    convoy_submitted = st.form_submit_button("Find travelling companions", type="primary")
if convoy_submitted:
    st.session_state.pop("convoy_result", None)
    try:
        convoy_approver, convoy_note = approver_from(convoy_approval)
        st.session_state["convoy_result"] = convoy(
            rt,
            principal=principal,
            justification=convoy_given,
            plate=target,
            within_s=within,
            start=convoy_start,
            end=convoy_end,
            approver=convoy_approver,
            approval_note=convoy_note,
        )
    except (Refusal, InvalidInput) as exc:
        show_refusal(exc)
companions = st.session_state.get("convoy_result")
if companions:
    together = {r.id: r for c in companions.result for r in c.passes}
    passes = sorted(together.values(), key=lambda r: r.captured_at)
    st.success(
        f"Search #{companions.search_id}: {counted(len(companions.result), 'plate')} seen "
        "together with the target at least twice"
        + (f": in {reads_summary(passes, tz, plates=False)}." if passes else ".")
    )
    st.dataframe(
        [
            {
                "Plate": c.plate,
                "Times together": c.times_together,
                "Last together": c.last_together.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            }
            for c in companions.result
        ],
        hide_index=True,
        width="stretch",
    )
    if passes:
        st.subheader("The target's passes with its companions")
        st.pydeck_chart(
            results_deck(reads=passes, tz=tz),
            height=RESULTS_HEIGHT,
        )
        st.caption(
            "The target's passes where a companion was read with it. "
            + results_caption(passes, scene=False, cameras=False)
        )
        seen_with = {
            r.id: ", ".join(c.plate for c in companions.result if r in c.passes) for r in passes
        }
        show_reads(
            key="convoy",
            principal=principal,
            search_id=companions.search_id,
            rows=passes,
            extra={rid: {"Seen with": plates} for rid, plates in seen_with.items()},
        )
