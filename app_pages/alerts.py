from datetime import timedelta

import streamlit as st

from alpr.governance.alerts import mute_alert, poll_alerts, review_alert
from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.permissions import Permission
from alpr.ui.context import runtime
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
    "characters in the image with the hot-list record and confirm the entry through CLETS/NCIC "
    "(R13). A misread 3/7 has led to a wrongful stop at gunpoint.",
    icon=":material/warning:",
)

if "alerts_monitoring" not in st.session_state:
    with st.form("alerts_justification"):
        st.caption("Why you are monitoring alerts this shift (recorded once for the session).")
        given = justification_fields(key="alerts")
        if st.form_submit_button("Start monitoring", type="primary"):
            try:
                poll_alerts(
                    rt,
                    principal=principal,
                    justification=given,
                    since=rt.now() - timedelta(minutes=1),
                )
                st.session_state["alerts_monitoring"] = given
                st.rerun()
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)
    st.stop()


def _review(alert_id: int) -> None:
    with st.form(f"review_{alert_id}"):
        compared = st.checkbox(
            "I compared the plate characters in the image with the hot-list entry"
        )
        confirmed = st.checkbox("The entry was confirmed active through CLETS/NCIC")
        c1, c2 = st.columns(2)
        by = c1.text_input("Confirmed by (dispatcher)")
        reference = c2.text_input("CLETS/NCIC reference")
        disposition = st.selectbox(
            "Disposition",
            [
                "confirmed",
                "misread",
                "wrong_state",
                "vehicle_mismatch",
                "entry_inactive",
                "dismissed",
            ],
        )
        note = st.text_input("Note")
        if st.form_submit_button("Record review"):
            try:
                review_alert(
                    rt,
                    principal=principal,
                    alert_id=alert_id,
                    disposition=disposition,
                    characters_compared=compared,
                    clets_confirmed=confirmed,
                    clets_confirmed_by=by or None,
                    clets_confirmed_at=rt.now() if confirmed else None,
                    clets_reference=reference or None,
                    note=note,
                )
                st.success("Review recorded in the access log.")
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)


@st.fragment(run_every=10)
def live_alerts() -> None:
    require_open_session()
    shown = st.session_state.setdefault("alerts_shown", [])
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
    st.caption(f"Updated {rt.now().astimezone(tz):%H:%M:%S}; new alerts appear by themselves.")
    if not shown:
        st.info("No alerts.")
    for alert in shown[:25]:
        label = (
            f"{alert.priority.upper()} · {alert.plate} · {alert.list_name} · "
            f"{alert.captured_at.astimezone(tz):%Y-%m-%d %H:%M} · {alert.camera}"
            + (" · retro-hit" if alert.is_retro else "")
            + (f" · {alert.disposition}" if alert.disposition else "")
        )
        with st.expander(label, expanded=alert.disposition is None and alert.priority == "high"):
            if alert.list_stale:
                st.error("This hot list was stale when the alert was raised (R14).")
            left, right = st.columns([1, 1])
            with left:
                if alert.crop_jpeg:
                    st.image(alert.crop_jpeg, caption="Plate as read", width="stretch")
                st.markdown(
                    f"**Read** `{alert.plate}` · confidence {alert.confidence:.2f} · "
                    f"match: {alert.match_kind}"
                )
                if alert.frame_jpeg:
                    st.image(alert.frame_jpeg, caption="Full image", width="stretch")
            with right:
                st.markdown(
                    f"**Hot-list record** `{alert.entry_pattern}` "
                    f"({alert.entry_state or 'state ?'})  \n"
                    f"**Vehicle** {alert.vehicle or 'not recorded'}  \n"
                    f"**Reason** {alert.reason}  \n**Case** {alert.case_number or '-'}  \n"
                    f"**List** {alert.list_name}"
                )
                if principal.can(Permission.REVIEW_ALERTS):
                    _review(alert.id)
                    if alert.priority != "high" and st.button("Mute", key=f"mute_{alert.id}"):
                        try:
                            mute_alert(rt, principal=principal, alert_id=alert.id)
                        except (Refusal, InvalidInput) as exc:
                            show_refusal(exc)


live_alerts()
