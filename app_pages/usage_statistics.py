from datetime import timedelta

import altair as alt
import streamlit as st

from alpr.governance.oversight.audits import audit_status
from alpr.governance.oversight.usage import Figure
from alpr.governance.permissions import Permission
from alpr.ui.charts import Figures, day_axis, period_statistics
from alpr.ui.context import runtime
from alpr.ui.counts import minutes_spoken
from alpr.ui.guard import require_page

COUNTS = alt.Axis(tickMinStep=1, format="d")
principal = require_page(Permission.VIEW_STATISTICS)
rt = runtime()
st.title("Usage statistics")
st.caption("Counts for command staff; no plate is ever shown here.")
days = st.select_slider(
    "Period (days)",
    [7, 30, 90, 365],
    value=30,
    help=f"Calendar days in the agency's time zone ({rt.settings.tz}), today the last; "
    "each day runs from midnight to midnight there.",
)
stats = period_statistics(principal, days)
figures = Figures(principal, stats, days)

today = rt.now().astimezone(rt.settings.tz).date()
first = today - timedelta(days=days - 1)
# The period as dates, its first day's year said only when it is another: every figure below
# is of these days.
since = f"{first:%a %b %-d}" + (f", {first.year}" if first.year != today.year else "")
st.markdown(
    f"**{since} to {today:%a %b %-d, %Y}** — {days} days, today up to now, in the agency's "
    "time zone."
)
DAY = day_axis(first, today)
# The legend under the chart, each name whole (purposes are long).
BELOW = alt.Legend(orient="bottom", columns=2, labelLimit=0, title=None)
period = f"in the last {days} days"
c1, c2, c3, c4 = st.columns(4)
c1.metric(
    "Plates read",
    f"{stats.reads:,}",
    help=f"About {stats.reads / days:,.0f} a day, by every camera and unit.",
)
c2.metric("Hot-list hits", f"{stats.hits:,}")
c3.metric(
    "Hits per 10,000 reads",
    f"{stats.hit_ratio * 10_000:,.1f}",
    help="How many reads of 10,000 matched a hot list: the share of plates read that were "
    "wanted, stolen or otherwise listed.",
)
c4.metric(
    "Median review time",
    minutes_spoken(stats.median_minutes_to_review)
    if stats.median_minutes_to_review is not None
    else "None yet",
    help="From an alert to its first review, over the alerts of the period that were reviewed "
    "(alerts still waiting are not in it: the Alerts tab shows them day by day).",
)


def _reads_and_hits(chart: alt.Chart) -> alt.HConcatChart:
    """Reads and hits side by side, each on its own scale: hits are a few per thousand reads.
    Names, reads and hits fit a laptop's 1024-pixel screen beside the sidebar (about 700
    pixels): a concatenated chart cannot take the container's width."""
    order = alt.EncodingSortField("Reads", order="descending")
    bars = chart.mark_bar().encode(tooltip=["Camera:N", "Reads:Q", "Hits:Q"])
    return alt.hconcat(
        bars.encode(
            x=alt.X("Reads:Q"),
            y=alt.Y("Camera:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
        ).properties(width=260),
        # The same rows in the same order: the places are named once, on the left.
        bars.encode(
            x=alt.X("Hits:Q", axis=COUNTS),
            y=alt.Y("Camera:N", sort=order, title=None, axis=None),
            color=alt.value("#b3261e"),
        ).properties(width=130),
    )


cameras_tab, lists_tab, alerts_tab, searches_tab, others_tab = st.tabs(
    ["Cameras and units", "Hot lists", "Alerts", "Searches", "Releases and audits"]
)
with cameras_tab:
    figures.show(
        "Camera uptime",
        Figure.CAMERA_UPTIME,
        lambda chart: chart.mark_bar().encode(
            x=alt.X("Uptime (%):Q", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("Camera:N", sort="x", title=None, axis=alt.Axis(labelLimit=340)),
            color=alt.Color("Kind:N", title=None),
            tooltip=["Camera:N", "Kind:N", "Uptime (%):Q", "Health reports:Q"],
        ),
        empty=f"No health report from the plate-reading service {period}: uptime is measured "
        "from its reports, every 30 seconds per camera.",
        caption="The share of the period each camera reported itself up; silence counts as down.",
    )
    figures.show(
        "Reads and hits per fixed camera",
        Figure.READS_AND_HITS_PER_CAMERA,
        _reads_and_hits,
        empty=f"No fixed camera read a plate {period}.",
    )
    figures.show(
        "Reads and hits per unit",
        Figure.READS_AND_HITS_PER_UNIT,
        _reads_and_hits,
        empty=f"No in-car unit read a plate {period}.",
        caption="In-car cameras, one per patrol unit.",
    )
    figures.show(
        "Reads per day",
        Figure.READS_PER_DAY,
        lambda chart: chart.mark_bar().encode(x=DAY, y="Reads:Q", tooltip=["Day:N", "Reads:Q"]),
        empty=f"No plate read {period}.",
    )
with lists_tab:
    figures.show(
        "Hits per hot list",
        Figure.HITS_PER_LIST,
        lambda chart: (
            chart.transform_fold(["Hits", "Confirmed"], as_=["Count", "Number"])
            .mark_bar()
            .encode(
                x=alt.X("Number:Q", title=None, axis=COUNTS),
                y=alt.Y("List:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
                color=alt.Color("Count:N", title=None),
                yOffset="Count:N",
                tooltip=["List:N", "Hits:Q", "Confirmed:Q"],
            )
        ),
        empty=f"No hot-list hit {period}.",
        caption="Confirmed: the officer compared the plate and confirmed the hit through CLETS.",
    )
with alerts_tab:
    figures.show(
        "Alert dispositions per day",
        Figure.DISPOSITIONS_PER_DAY,
        lambda chart: chart.mark_bar().encode(
            x=DAY,
            y=alt.Y("Alerts:Q", axis=COUNTS),
            color=alt.Color("Disposition:N", legend=BELOW),
            tooltip=["Day:N", "Disposition:N", "Alerts:Q"],
        ),
        empty=f"No alert reviewed {period}.",
    )
    figures.show(
        "Median minutes to review an alert, per day",
        Figure.MINUTES_TO_REVIEW_PER_DAY,
        lambda chart: chart.mark_line(point=True).encode(
            x=DAY,
            # Whole minutes on the axis, from zero (a day of quick reviews is not 0.000000).
            y=alt.Y(
                "Median minutes:Q",
                axis=alt.Axis(format="~f", tickMinStep=1),
                scale=alt.Scale(zero=True),
            ),
            tooltip=["Day:N", "Median minutes:Q"],
        ),
        empty=f"No alert raised {period} has been reviewed yet.",
        caption="From the alert to its first review, by the day the alert was raised.",
    )
with searches_tab:
    figures.show(
        "Searches per day by purpose",
        Figure.SEARCHES_PER_DAY,
        lambda chart: chart.mark_bar().encode(
            x=DAY,
            y=alt.Y("Searches:Q", axis=COUNTS),
            color=alt.Color("Purpose:N", legend=BELOW),
            tooltip=["Day:N", "Purpose:N", "Searches:Q"],
        ),
        empty=f"No search of ALPR data {period}.",
    )
    st.subheader("Searches by person")
    if stats.searches_by_person:
        # By name and role, with the purposes each stated: the person behind an account, and
        # whether their searches fit their job. A table that wraps: the purposes read whole.
        st.table(
            [
                {
                    "Person": p.name,
                    "Role": p.role,
                    "Searches": p.searches,
                    "Purposes stated": "; ".join(f"{what} ({n:,})" for what, n in p.purposes),
                }
                for p in stats.searches_by_person
            ],
            hide_index=True,
        )
    else:
        st.info(f"Nobody searched ALPR data {period}.")
with others_tab:
    st.subheader("Requests for data, by requester and the law's decision")
    st.caption("Every request on file, whatever the period chosen above.")
    if stats.releases:
        st.dataframe(
            [
                {"Requester": kind, "The law": decision, "Requests": n}
                for kind, decision, n in stats.releases
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.info("No request for data on file.")
    st.subheader("Audits")
    overdue = [a for a in audit_status(rt, principal=principal) if a.overdue]
    if overdue:
        st.error(f"{len(overdue)} audits are overdue for sign-off.")
    a1, a2, _ = st.columns(3)
    a1.metric("Audits signed off", stats.audits_signed_off, help="Since the system was set up.")
    a2.metric(
        "Audits open",
        stats.audits_open,
        help="Planned or under way, waiting for command staff's sign-off: see the Audits page.",
    )
