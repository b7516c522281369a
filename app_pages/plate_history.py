import pandas as pd
import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.investigations.searches import plate_history
from alpr.governance.permissions import Permission
from alpr.ui.context import runtime
from alpr.ui.counts import counted
from alpr.ui.guard import require_page
from alpr.ui.justification import justification_fields
from alpr.ui.maps import results_deck
from alpr.ui.messages import show_refusal
from alpr.ui.results import show_reads

principal = require_page(Permission.SEARCH_READS)
rt = runtime()
st.title("Plate history")

with st.form("history"):
    plate = st.text_input("Plate", placeholder="7KQM482")
    given = justification_fields(key="history")
    submitted = st.form_submit_button("Show history", type="primary")

if submitted:
    try:
        st.session_state["history_result"] = plate_history(
            rt, principal=principal, justification=given, plate=plate
        )
        st.session_state["history_asked"] = (plate, given)
    except (Refusal, InvalidInput) as exc:
        show_refusal(exc)

result = st.session_state.get("history_result")
if result:
    reads, following = result.result.reads, result.result.older
    st.success(f"Search #{result.search_id}: {counted(len(reads), 'read')}, newest first.")
    if following:
        oldest = following[0].astimezone(rt.settings.tz)
        st.info(f"Older reads than {oldest:%Y-%m-%d %H:%M} remain: the next page is a new search.")
        if st.button("Older reads"):
            asked_plate, asked_why = st.session_state["history_asked"]
            try:
                st.session_state["history_result"] = plate_history(
                    rt,
                    principal=principal,
                    justification=asked_why,
                    plate=asked_plate,
                    before=following,
                )
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)
            else:
                st.rerun()
    if reads:
        st.pydeck_chart(
            results_deck(
                reads=reads, tz=rt.settings.tz, centre=(reads[0].lat, reads[0].lon), zoom=12.5
            ),
            height=360,
        )
        timeline = pd.DataFrame(
            {
                "time": [r.captured_at.astimezone(rt.settings.tz) for r in reads],
                "camera": [r.camera_name for r in reads],
            }
        )
        st.scatter_chart(timeline, x="time", y="camera", height=240)
    show_reads(key="history", principal=principal, search_id=result.search_id, rows=reads)
