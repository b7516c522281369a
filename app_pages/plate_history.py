import streamlit as st

from alpr.governance.investigations.searches import plate_history
from alpr.governance.permissions import Permission
from alpr.plates import normalize_plate
from alpr.ui.context import runtime
from alpr.ui.guard import require_page
from alpr.ui.justification import justification_fields
from alpr.ui.maps import route_deck
from alpr.ui.results import alternatives_notice, reads_summary, run_search, show_reads
from alpr.ui.session import kept_field
from alpr.ui.timeline import timeline_chart
from alpr.ui.watch import plate_watch_of, show_listing, show_watch

ROUTE_HEIGHT = 420
ROUTE_FIT_WIDTH = 640  # the route fits the map as wide as a laptop's screen leaves it

principal = require_page(Permission.SEARCH_READS)
rt = runtime()
tz = rt.settings.tz
st.title("Plate history")

with st.form("history"):
    plate = st.text_input("Plate", placeholder="7KQM482", **kept_field("history_plate"))
    given = justification_fields(key="history", keep=True)
    submitted = st.form_submit_button("Show history", type="primary")

if submitted:
    st.session_state["history_asked"] = (plate, given)
    run_search(
        "history_result",
        lambda: plate_history(rt, principal=principal, justification=given, plate=plate),
    )

result = st.session_state.get("history_result")
if result:
    history = result.result
    reads, following = history.reads, history.older
    period = (
        f"from {history.start.astimezone(tz):%Y-%m-%d} to {history.end.astimezone(tz):%Y-%m-%d}"
    )
    if reads:
        st.success(
            f"Search #{result.search_id}: {reads_summary(reads, tz, plates=False)}; "
            f"searched {period}."
        )
    else:
        st.info(
            f"Search #{result.search_id}: no camera read "
            f"{normalize_plate(st.session_state['history_asked'][0])} {period}. Check the plate "
            "as typed; for a partial plate, or one a camera may have read with a character "
            "wrong, use Plate search."
        )
    if following:
        oldest = following[0].astimezone(tz)
        st.info(f"Older reads than {oldest:%Y-%m-%d %H:%M} remain: the next page is a new search.")
        if st.button("Older reads"):
            asked_plate, asked_why = st.session_state["history_asked"]
            if run_search(
                "history_result",
                lambda: plate_history(
                    rt,
                    principal=principal,
                    justification=asked_why,
                    plate=asked_plate,
                    start=history.start,
                    end=history.end,
                    before=following,
                ),
            ):
                st.rerun()
    watch = plate_watch_of(principal=principal, search_id=result.search_id)
    if watch:
        show_listing(watch)
    stops = {r.id: n for n, r in enumerate(sorted(reads, key=lambda r: (r.captured_at, r.id)), 1)}
    if reads:
        # The whole width: beside the hot-list record the map was too narrow to read a street.
        st.markdown(
            "**Route in time order** — one marker per place, numbered with the reads taken "
            "there (1 the earliest), or with their count where there are many; the line "
            "joins the places in the order they were visited."
        )
        with st.container(key="history_route"):
            st.pydeck_chart(
                route_deck(reads=reads, tz=tz, size_px=(ROUTE_FIT_WIDTH, ROUTE_HEIGHT)),
                height=ROUTE_HEIGHT,
            )
        st.altair_chart(timeline_chart(reads=reads, tz=tz), width="stretch")
    if watch:
        show_watch(watch, tz=tz)
    if reads:
        st.subheader("Reads", anchor=False)
        alternatives_notice(reads)
        show_reads(
            key="history",
            principal=principal,
            search_id=result.search_id,
            rows=reads,
            extra={read_id: {"Stop": number} for read_id, number in stops.items()},
        )
