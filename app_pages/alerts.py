from dataclasses import replace
from datetime import timedelta

import streamlit as st

from alpr.governance.alerts import (
    AlertView,
    Disposition,
    mute_alert,
    poll_alerts,
    review_alert,
    start_monitoring,
)
from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.permissions import Permission
from alpr.ui.alert_cards import Shown, ordered, sound_alarm, urgent
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


DISPOSITIONS = {
    Disposition.CONFIRMED: "Confirmed: same plate, entry active",
    Disposition.MISREAD: "Misread: the characters differ",
    Disposition.WRONG_STATE: "Wrong state",
    Disposition.VEHICLE_MISMATCH: "Vehicle does not match the record",
    Disposition.ENTRY_INACTIVE: "Entry no longer active (CLETS/NCIC)",
    Disposition.DISMISSED: "Dismissed",
}
SHOWN_MAX = 50


def _review(alert: AlertView) -> None:
    """The checks come first: no outcome can be chosen before the characters are compared,
    and "confirmed" only once CLETS/NCIC has confirmed the entry (R13)."""
    key = f"review_{alert.id}"
    compared = st.checkbox(
        "I compared the plate characters in the image with the hot-list entry",
        key=f"{key}_compared",
    )
    confirmed = st.checkbox("The entry was confirmed active through CLETS/NCIC", key=f"{key}_clets")
    c1, c2 = st.columns(2)
    by = c1.text_input("Confirmed by (dispatcher)", key=f"{key}_by", disabled=not confirmed)
    reference = c2.text_input("CLETS/NCIC reference", key=f"{key}_ref", disabled=not confirmed)
    choices = [d for d in DISPOSITIONS if d is not Disposition.CONFIRMED or confirmed]
    disposition = st.selectbox(
        "Disposition",
        choices,
        index=None,
        format_func=DISPOSITIONS.__getitem__,
        placeholder="Choose the outcome" if compared else "Compare the characters first",
        disabled=not compared,
        key=f"{key}_disposition",
    )
    note = st.text_input("Note", key=f"{key}_note")
    if st.button("Record review", key=f"{key}_record", disabled=disposition is None):
        try:
            review_alert(
                rt,
                principal=principal,
                alert_id=alert.id,
                disposition=str(disposition),
                characters_compared=compared,
                clets_confirmed=confirmed,
                clets_confirmed_by=by or None,
                clets_confirmed_at=rt.now() if confirmed else None,
                clets_reference=reference or None,
                note=note,
            )
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
            return
        shown = st.session_state["alerts_shown"]
        shown[:] = [
            replace(a, disposition=str(disposition)) if a.id == alert.id else a for a in shown
        ]
        st.toast(f"Review of the {alert.plate} alert recorded in the access log.")
        st.rerun(scope="fragment")


def _card(alert: AlertView) -> None:
    status = DISPOSITIONS[Disposition(alert.disposition)] if alert.disposition else "not reviewed"
    label = (
        f"**{alert.plate}** · {alert.list_name} · "
        f"{alert.captured_at.astimezone(tz):%a %b %-d %H:%M} · {alert.where} · {status}"
        + (" · read before the plate was listed" if alert.is_retro else "")
        + (f" · {alert.certainty}" if alert.alternative else "")
    )
    icon = {"high": ":material/e911_emergency:", "medium": ":material/warning:"}.get(
        alert.priority, ":material/info:"
    )
    with st.expander(label, icon=icon):
        if alert.list_stale:
            st.error("This hot list was stale when the alert was raised.")
        left, right = st.columns([1, 1])
        with left:
            if alert.crop_jpeg:
                st.image(alert.crop_jpeg, caption="Plate as read", width="stretch")
            st.markdown(
                f"**Read** `{alert.plate}` · confidence {alert.confidence:.0%} · "
                f"match: {alert.match_kind}"
                + (f" of `{alert.alternative}`, another reading" if alert.alternative else "")
                + f" · {alert.priority} priority"
            )
            if alert.alternative:
                st.warning(
                    f"**{alert.certainty.capitalize()}.** The hot-list record matches "
                    f"`{alert.alternative}`, the reader's other reading of this plate (score "
                    f"{alert.alternative_score or 0:.0%}), not `{alert.plate}` as read. "
                    "Compare the crop with both readings.",
                    icon=":material/help:",
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
            if principal.can(Permission.REVIEW_ALERTS) and alert.disposition is None:
                _review(alert)
                if alert.priority != "high" and st.button("Mute", key=f"mute_{alert.id}"):
                    try:
                        mute_alert(rt, principal=principal, alert_id=alert.id)
                    except (Refusal, InvalidInput) as exc:
                        show_refusal(exc)


@st.fragment(run_every=rt.settings.alerts_refresh_seconds)
def live_alerts() -> None:
    require_open_session()
    shown: list[AlertView] = st.session_state.setdefault("alerts_shown", [])
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
    # The cues sit in containers that are always there, so that the cards after them keep
    # their place (and an opened card stays open) when the list refreshes.
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
    left, right = st.columns([2, 3], vertical_alignment="center")
    choice = left.segmented_control(
        "Show", list(Shown), default=Shown.UNREVIEWED, key="alerts_filter"
    )
    listed = ordered(shown, Shown(choice or Shown.ALL))
    right.caption(
        f"{counted(len(listed), 'alert')} · unreviewed first, newest sighting first · updated "
        f"{rt.now().astimezone(tz):%H:%M:%S}; new alerts appear by themselves."
    )
    if not listed:
        st.info("No alerts.")
    for alert in listed[:SHOWN_MAX]:
        _card(alert)
    if len(listed) > SHOWN_MAX:
        st.caption(f"{len(listed) - SHOWN_MAX} older alerts are not shown.")


live_alerts()
