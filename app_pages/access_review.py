from dataclasses import replace
from datetime import datetime, time, timedelta

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.justification import PURPOSE_LABELS
from alpr.governance.oversight.chain import verify_access_log
from alpr.governance.oversight.describe import KIND_LABELS
from alpr.governance.oversight.review import LogFilter, LogView, breach_report
from alpr.governance.permissions import Permission
from alpr.ui.context import runtime
from alpr.ui.counts import counted
from alpr.ui.guard import require_page
from alpr.ui.log_review import forget, show_records, show_summary
from alpr.ui.messages import show_refusal
from alpr.ui.notices import show_pending

principal = require_page(Permission.REVIEW_ACCESS_LOG)
rt = runtime()
tz = rt.settings.tz
st.title("Access log review")
st.caption(
    "Who looked at what, when and why: each person's use for the period, their "
    "searches with the misuse flags on them, and the sign-ins and other acts apart. Your "
    "findings and the records you mark reviewed are kept; viewing the log is itself recorded."
)
show_pending()

today = rt.now().astimezone(tz).date()
SEARCH_KINDS = (
    "canvass",
    "vehicle",
    "plate",
    "history",
    "common",
    "convoy",
    "read_detail",
    "alerts",
    "export",
)
with st.form("filters"):
    c1, c2, c3 = st.columns(3)
    start = c1.date_input("From", value=today - timedelta(days=7), key="filter_from")
    end = c2.date_input("To", value=today, key="filter_to")
    username = c3.text_input("User", key="filter_user")
    c4, c5, c6, c7 = st.columns(4)
    purpose = c4.selectbox(
        "Purpose",
        list(PURPOSE_LABELS),
        index=None,
        format_func=PURPOSE_LABELS.__getitem__,
        placeholder="Any purpose",
        key="filter_purpose",
    )
    case = c5.text_input("Case number", key="filter_case")
    plate = c6.text_input("Plate", key="filter_plate")
    kind = c7.selectbox(
        "Search kind",
        SEARCH_KINDS,
        index=None,
        format_func=KIND_LABELS.__getitem__,
        placeholder="Any kind",
        key="filter_kind",
    )
    exported = st.checkbox("Exports only", key="filter_exports")
    submitted = st.form_submit_button("Review", type="primary")
if submitted or "review_filter" not in st.session_state:
    st.session_state["review_filter"] = LogFilter(
        datetime.combine(start, time(0), tzinfo=tz),
        datetime.combine(end, time(23, 59, 59), tzinfo=tz),
        username.strip() or None,
        purpose.value if purpose else None,
        case.strip() or None,
        plate.strip() or None,
        kind,
        exported,
    )
    for view in LogView:  # a new filter starts on its first page, nothing selected
        st.session_state.pop(f"page_{view}", None)
        st.session_state.pop(f"records_{view}", None)
    st.session_state.pop("summary_table", None)
    forget()
applied: LogFilter = st.session_state["review_filter"]

VIEWS = {
    "Per person": None,
    "Searches": LogView.SEARCHES,
    "Sign-ins and other acts": LogView.OTHER,
}
st.session_state.setdefault("review_view", "Per person")
shown = st.segmented_control("Show", list(VIEWS), key="review_view")
try:
    chosen = VIEWS[shown or "Per person"]
    if chosen is None:
        show_summary(principal, applied)
    else:
        show_records(principal, replace(applied, view=chosen))
except (Refusal, InvalidInput) as exc:
    show_refusal(exc)

st.header("Integrity of the log")
if st.button("Verify the hash chain now"):
    verified = verify_access_log(rt, actor=principal)
    report = verified.report
    stamp = rt.now().astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
    against = (
        f", and they match signed checkpoint {verified.checkpoint.seq} of "
        f"{datetime.fromisoformat(verified.checkpoint.at).astimezone(tz):%Y-%m-%d %H:%M}"
        if verified.checkpoint
        else ". No signed checkpoint yet: the system signs one each day"
    )
    if report.ok:
        st.success(f"Intact: {counted(report.checked, 'record')} verified at {stamp}{against}.")
    else:
        st.error(f"TAMPERED ({stamp}): {report.problem}")

st.header("Breach response")
with st.form("breach"):
    accounts = st.text_input("Accounts involved (comma separated)")
    if st.form_submit_button("List every record accessed"):
        try:
            found = breach_report(
                rt,
                principal=principal,
                start=applied.start,
                end=applied.end,
                usernames=accounts.split(","),
            )
            st.write(
                f"{counted(found.accesses, 'record')} accessed; "
                f"{counted(len(found.plates), 'plate')} "
                f"involved; {counted(len(found.read_ids), 'read')} seen."
            )
            if found.plates:
                st.dataframe([{"Plate": p} for p in found.plates], hide_index=True)
            if found.patterns:
                st.caption("Patterns searched (not plates): " + ", ".join(found.patterns))
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
