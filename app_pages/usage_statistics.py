import pandas as pd
import streamlit as st

from alpr.governance.oversight.audits import audit_status
from alpr.governance.oversight.usage import command_statistics
from alpr.governance.permissions import Permission
from alpr.ui.context import runtime
from alpr.ui.guard import require_page

principal = require_page(Permission.VIEW_STATISTICS)
rt = runtime()
st.title("Usage statistics")
days = st.select_slider("Period (days)", [7, 30, 90, 365], value=30)
stats = command_statistics(rt, principal=principal, days=days)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Reads", f"{sum(n for _, n in stats.reads_per_day):,}")
c2.metric("Hot-list hits", stats.hits)
c3.metric("Hit ratio", f"{stats.hit_ratio:.4%}")
c4.metric("Median minutes to review", stats.median_minutes_to_review or "-")
if stats.reads_per_day:
    st.subheader("Reads per day")
    st.bar_chart(pd.DataFrame(stats.reads_per_day, columns=["day", "reads"]), x="day", y="reads")
c5, c6 = st.columns(2)
with c5:
    st.subheader("Searches by purpose")
    st.dataframe(
        [{"Purpose": k, "Searches": v} for k, v in stats.searches_by_purpose.items()],
        hide_index=True,
        width="stretch",
    )
    st.subheader("Alert dispositions")
    st.dataframe(
        [{"Disposition": k, "Alerts": v} for k, v in stats.dispositions.items()],
        hide_index=True,
        width="stretch",
    )
with c6:
    st.subheader("Searches by user")
    st.dataframe(
        [{"User": k, "Searches": v} for k, v in stats.searches_by_user.items()],
        hide_index=True,
        width="stretch",
    )
    st.subheader("Releases by requester and decision")
    st.dataframe(
        [{"Requester / decision": k, "Requests": v} for k, v in stats.releases.items()],
        hide_index=True,
        width="stretch",
    )
st.subheader("Reads per camera")
st.dataframe(
    [{"Camera": c, "Reads": n} for c, n in stats.reads_per_camera], hide_index=True, width="stretch"
)
st.subheader("Audits")
audits = audit_status(rt, principal=principal)
overdue = [a for a in audits if a.overdue]
if overdue:
    st.error(f"{len(overdue)} audits are overdue for sign-off.")
st.write(f"Signed off: {stats.audits_signed_off}; open: {stats.audits_open}")
csv = pd.DataFrame(stats.reads_per_day, columns=["day", "reads"]).to_csv(index=False)
st.download_button("Download reads per day (CSV)", csv, "reads-per-day.csv", "text/csv")
