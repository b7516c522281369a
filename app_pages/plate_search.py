from datetime import timedelta

import streamlit as st

from alpr.governance.gateway import Governed
from alpr.governance.investigations.results import PlateHit
from alpr.governance.investigations.searches import plate_search
from alpr.governance.permissions import Permission
from alpr.ui.approval import approval_fields, approver_from
from alpr.ui.context import runtime
from alpr.ui.guard import require_page
from alpr.ui.justification import justification_fields
from alpr.ui.results import reads_summary, run_search, show_plate_groups
from alpr.ui.session import kept_field
from alpr.ui.time_window import window_fields
from alpr.ui.vehicle_fields import vehicle_fields

principal = require_page(Permission.SEARCH_READS)
rt = runtime()
st.title("Partial plate search")
st.caption(
    "`?` stands for one character, `*` for any run: `7AB*12`, `?XYZ??`. Partial plates "
    "from witnesses of major crimes."
)

with st.form("plate_search"):
    pattern = st.text_input(
        "Plate or pattern", placeholder="7KQ?48?", **kept_field("plate_pattern")
    )
    left, right = st.columns(2)
    fuzzy = left.checkbox(
        "Also OCR confusions",
        help="Characters the reader mistakes for one another: O/0/D/Q, 1/I/L/T, 8/B, 5/S, "
        "2/Z, 6/G.",
        **kept_field("plate_fuzzy"),
    )
    substitution = left.checkbox(
        "Also one character different",
        help="Any one character of the plate may differ; the pattern then needs one more "
        "known character.",
        **kept_field("plate_substitution"),
    )
    min_percent = right.slider(
        "Minimum read confidence", 0, 100, 0, 5, format="%d%%", **kept_field("plate_minimum")
    )
    start, end = window_fields(
        key="plate_window", default_end=rt.now(), default_hours=24 * 30, keep=True
    )
    vehicle = vehicle_fields(key="plate", keep=True)
    st.caption("Reads of a vehicle so described come first (the others follow).")
    given = justification_fields(key="plate", keep=True)
    approval = approval_fields(key="plate")
    submitted = st.form_submit_button("Search", type="primary")

if submitted:

    def search() -> Governed[list[PlateHit]]:
        approver, note = approver_from(approval)
        return plate_search(
            rt,
            principal=principal,
            justification=given,
            pattern=pattern,
            fuzzy=fuzzy,
            substitution=substitution,
            start=start,
            end=end + timedelta(seconds=59),
            min_confidence=min_percent / 100,
            vehicle=vehicle,
            approver=approver,
            approval_note=note,
        )

    run_search("plate_result", search)

result = st.session_state.get("plate_result")
if result:
    hits = result.result
    st.success(
        f"Search #{result.search_id}: {reads_summary([h.read for h in hits], rt.settings.tz)}."
    )
    show_plate_groups(key="plate", principal=principal, search_id=result.search_id, hits=hits)
