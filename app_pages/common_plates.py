import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.investigations.results import Scene
from alpr.governance.investigations.searches import common_plates, convoy
from alpr.governance.permissions import Permission
from alpr.ui.context import runtime
from alpr.ui.counts import counted
from alpr.ui.guard import require_page
from alpr.ui.justification import justification_fields
from alpr.ui.messages import show_refusal
from alpr.ui.results import show_reads
from alpr.ui.time_window import window_fields

principal = require_page(Permission.SEARCH_READS)
rt = runtime()
tz = rt.settings.tz
st.title("Common plates across scenes")
st.caption(
    "Serial crimes: the plates seen near several scenes, each a place, radius and time window."
)

count = st.number_input("Number of scenes", 2, 10, 3)
with st.form("common"):
    scenes = []
    for index in range(int(count)):
        st.markdown(f"**Scene {index + 1}**")
        c1, c2, c3 = st.columns(3)
        lat = c1.number_input("Latitude", value=37.6879, format="%.6f", key=f"s{index}_lat")
        lon = c2.number_input("Longitude", value=-122.4702, format="%.6f", key=f"s{index}_lon")
        radius = c3.number_input("Radius (m)", 10, 50_000, 300, key=f"s{index}_r")
        start, end = window_fields(key=f"s{index}", default_end=rt.now(), default_hours=2)
        scenes.append(Scene(lat, lon, radius, start, end))
    min_scenes = st.number_input("Seen at least at this many scenes", 2, 10, int(count))
    given = justification_fields(key="common")
    submitted = st.form_submit_button("Find common plates", type="primary")

if submitted:
    try:
        st.session_state["common_result"] = common_plates(
            rt,
            principal=principal,
            justification=given,
            scenes=scenes,
            min_scenes=int(min_scenes),
        )
    except (Refusal, InvalidInput) as exc:
        st.session_state.pop("common_result", None)  # a refusal replaces the old result
        show_refusal(exc)

result = st.session_state.get("common_result")
if result:
    st.success(
        f"Search #{result.search_id}: {counted(len(result.result), 'plate')} at {min_scenes}+ "
        "scenes."
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
    show_reads(
        key="common",
        principal=principal,
        search_id=result.search_id,
        rows=[r for c in result.result for r in c.reads],
    )

st.divider()
st.header("Convoy")
st.caption("Plates repeatedly read by the same cameras within seconds of a target plate.")
with st.form("convoy"):
    target = st.text_input("Target plate")
    within = st.slider("Within seconds", 1, 60, 10)
    convoy_given = justification_fields(key="convoy")
    convoy_submitted = st.form_submit_button("Find travelling companions", type="primary")
if convoy_submitted:
    try:
        found = convoy(
            rt, principal=principal, justification=convoy_given, plate=target, within_s=within
        )
        st.success(
            f"Search #{found.search_id}: {counted(len(found.result), 'plate')} seen together at "
            "least twice."
        )
        st.dataframe(
            [
                {
                    "Plate": c.plate,
                    "Times together": c.times_together,
                    "Last together": c.last_together.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                }
                for c in found.result
            ],
            hide_index=True,
            width="stretch",
        )
    except (Refusal, InvalidInput) as exc:
        show_refusal(exc)
