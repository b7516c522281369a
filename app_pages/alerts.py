from datetime import timedelta

import streamlit as st

from alpr.governance.alerts import AlertView, poll_alerts, start_monitoring
from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.permissions import Permission
from alpr.ui.alert_cards import (
    Shown,
    icon,
    list_rows,
    ordered,
    row_help,
    sound_alarm,
    summary,
    urgent,
)
from alpr.ui.alert_review import (
    PICKED,
    SHOWN,
    pick,
    picked,
    review_first_when_narrow,
    show_alert,
)
from alpr.ui.context import runtime
from alpr.ui.counts import counted
from alpr.ui.guard import require_page
from alpr.ui.justification import justification_fields
from alpr.ui.messages import show_refusal
from alpr.ui.session import require_open_session

principal = require_page(Permission.VIEW_ALERTS)
rt = runtime()
tz = rt.settings.tz
st.title("Hot-list alerts")
st.warning(
    "An alert is not probable cause. Before any enforcement action compare the plate "
    "characters in the image with the hot-list record and confirm the entry through "
    "CLETS/NCIC. A 3 misread as a 7 has led to a wrongful stop at gunpoint.",
    icon=":material/warning:",
)

if "alerts_monitoring" not in st.session_state:
    with st.form("alerts_justification"):
        st.caption(
            "Why you are watching alerts this shift, recorded once for your session (it stays "
            "through a refresh). Without a call number, say what you watch for, where and "
            "when, for example: *Stolen vehicles (10851 VC), Beat 3, day watch 7 Dec from "
            "07:00*."
        )
        given = justification_fields(key="alerts")
        started = st.form_submit_button("Start monitoring", type="primary")
    if started:
        try:
            start_monitoring(rt, principal=principal, justification=given)
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
        else:
            st.session_state["alerts_monitoring"] = given
            st.rerun()
    st.stop()


SHOWN_MAX = 50
QUEUE_HEIGHT = 560  # px: the list scrolls within it, beside the review or under it


@st.fragment(run_every=rt.settings.alerts_refresh_seconds)
def live_alerts() -> None:
    """The list, looking for new alerts by itself; picking one opens its review beside it."""
    require_open_session()
    shown: list[AlertView] = st.session_state.setdefault(SHOWN, [])
    last = max((a.id for a in shown), default=0)
    try:
        fresh = poll_alerts(
            rt,
            principal=principal,
            justification=st.session_state["alerts_monitoring"],
            after_id=last,
            since=None if last else rt.now() - timedelta(days=7),
        )
    except (Refusal, InvalidInput) as exc:
        show_refusal(exc)
        return
    shown[:0] = fresh
    # The cues sit in containers that are always there, so that what follows them keeps its
    # place when the list refreshes.
    arrived, waiting = urgent(fresh), urgent(shown)
    with st.container():
        if arrived:
            plates = ", ".join(sorted({a.plate for a in arrived}))
            st.toast(f"New high-priority alert: {plates}", icon=":material/e911_emergency:")
            sound_alarm()
    with st.container():
        if waiting:
            st.error(
                f"**{counted(len(waiting), 'high-priority alert')} not yet reviewed:** "
                + ", ".join(sorted({a.plate for a in waiting})),
                icon=":material/e911_emergency:",
            )
    choice = st.segmented_control(
        "Show", list(Shown), default=Shown.UNREVIEWED, key="alerts_filter"
    )
    listed = ordered(shown, Shown(choice or Shown.ALL))
    now = rt.now()
    st.caption(
        f"{counted(len(listed), 'alert')} · unreviewed first, newest sighting first · updated "
        f"{now.astimezone(tz):%H:%M:%S}; new alerts appear by themselves."
    )
    if not listed:
        st.info("No alerts.")
    open_id = st.session_state.get(PICKED)
    with st.container(key="alerts_queue", height=QUEUE_HEIGHT if listed else "content"):
        list_rows("alerts_queue")
        for alert in listed[:SHOWN_MAX]:
            if st.button(
                summary(alert, tz=tz, now=now),
                key=f"alert_{alert.id}",
                help=row_help(alert, tz),
                icon=icon(alert),
                type="primary" if alert.id == open_id else "secondary",
                width="stretch",
            ):
                pick(alert.id)
        if len(listed) > SHOWN_MAX:
            st.caption(f"{len(listed) - SHOWN_MAX} older alerts are not shown.")


with st.container(key="alerts_desk"):
    review_first_when_narrow("alerts_desk")
    queue, review = st.columns([5, 7], gap="large")
with queue:
    live_alerts()
with review:
    alert = picked()
    if alert is None:
        st.info(
            "Pick an alert in the list to compare the plate as read with the hot-list record "
            "and review it. The list keeps looking for new alerts while you review.",
            icon=":material/touch_app:",
        )
    else:
        show_alert(alert, principal=principal, tz=tz)
