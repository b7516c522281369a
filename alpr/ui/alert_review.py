"""The alert an officer picked from the list, and its review before any action (R13): the plate
as read beside the hot-list record, the checks, then the outcome, recorded in the access log.

The review is drawn outside the list's fragment, which runs again by itself to look for new
alerts: run inside it, each refresh closed the disposition an officer had open and wiped the
note they were typing. Out here it changes only when the officer acts on it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import tzinfo
from typing import Any

import streamlit as st

from alpr.governance.alerts import AlertView, Disposition, mute_alert, review_alert
from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.ui.alert_cards import DISPOSITIONS, MATCHES, details, icon
from alpr.ui.context import runtime
from alpr.ui.layout import NARROW_PX, stacked_when_narrow
from alpr.ui.messages import show_refusal
from alpr.ui.plate_compare import compare_plates

PICKED = "alerts_picked"
SHOWN = "alerts_shown"


def pick(alert_id: int) -> None:
    """Open the review of this alert (the page runs again to draw it)."""
    st.session_state[PICKED] = alert_id
    st.rerun()


def picked() -> AlertView | None:
    wanted = st.session_state.get(PICKED)
    shown: Sequence[AlertView] = st.session_state.get(SHOWN, [])
    return next((a for a in shown if a.id == wanted), None)


def _close() -> None:
    st.session_state.pop(PICKED, None)


def _done(alert: AlertView, message: str, **changes: Any) -> None:
    """The list shows the alert as it now is, and the review closes."""
    shown = st.session_state[SHOWN]
    shown[:] = [replace(a, **changes) if a.id == alert.id else a for a in shown]
    _close()
    st.toast(message)
    st.rerun()


def _review(alert: AlertView, *, principal: Principal) -> None:
    """The checks come first: no outcome can be chosen before the characters are compared,
    and "confirmed" only once CLETS/NCIC has confirmed the entry (R13)."""
    rt = runtime()
    key = f"review_{alert.id}"
    compared = st.checkbox(
        "I compared the plate characters in the image with the hot-list entry",
        key=f"{key}_compared",
        wrap=True,
    )
    confirmed = st.checkbox(
        "The entry was confirmed active through CLETS/NCIC", key=f"{key}_clets", wrap=True
    )
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
    actions = st.container(horizontal=True)
    if actions.button(
        "Record review", key=f"{key}_record", type="primary", disabled=disposition is None
    ):
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
        else:
            _done(
                alert,
                f"Review of the {alert.plate} alert recorded in the access log.",
                disposition=str(disposition),
            )
    if (
        alert.priority != "high"
        and not alert.muted
        and actions.button("Mute", key=f"mute_{alert.id}")
    ):
        try:
            mute_alert(rt, principal=principal, alert_id=alert.id)
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
        else:
            _done(alert, f"The {alert.plate} alert is muted.", muted=True)


def review_first_when_narrow(key: str) -> None:
    """The list and the review in the container ``key`` stand one under the other on a
    laptop's screen, where beside the review the list was 270 pixels wide and every row's
    reason and place ended in "…"; the review, once an alert is open, above the list, where
    the officer's eyes are."""
    stacked_when_narrow(key)
    st.html(
        f"<style>@media (max-width: {NARROW_PX - 1}px) {{"
        f".st-key-{key} [data-testid='stColumn']:has(.st-key-alert_review) {{order: -1;}}"
        "}</style>"
    )


def show_alert(alert: AlertView, *, principal: Principal, tz: tzinfo) -> None:
    """The picked alert: what was read beside what is listed, and its review."""
    with st.container(border=True, key="alert_review"):
        # On a laptop's screen the crop, then the hot-list record and the checks, one under
        # the other, each as wide as the review.
        stacked_when_narrow("alert_review")
        top = st.container(horizontal=True, vertical_alignment="center")
        top.subheader(f"{icon(alert)} {alert.plate}", anchor=False)
        top.button("Close", key="alert_review_close", type="tertiary", on_click=_close)
        st.markdown(details(alert, tz))
        if alert.list_stale:
            st.error("This hot list was stale when the alert was raised.")
        compare_plates(
            read_label="Read by the camera",
            read=alert.plate,
            read_vehicle=alert.read_vehicle,
            listed=alert.entry_pattern,
            listed_state=alert.entry_state,
            listed_vehicle=alert.vehicle,
        )
        # The record and the checks take the wider share: beside the list on a 1280-pixel screen
        # the outcome's words and the dispatcher's fields were cut at half of the review.
        left, right = st.columns([2, 3])
        with left:
            if alert.crop_jpeg:
                st.image(alert.crop_jpeg, caption="Plate as read", width="stretch")
            st.markdown(
                f"**Read** `{alert.plate}` · confidence {alert.confidence:.0%} · "
                f"matches {MATCHES.get(alert.match_kind, alert.match_kind)}"
                + (f" through `{alert.alternative}`, another reading" if alert.alternative else "")
                + f" · {alert.priority} priority"
            )
            if alert.alternative:
                st.warning(
                    f"**{alert.certainty.capitalize()}.** The hot-list record matches "
                    f"**{alert.alternative}**, the reader's other reading of this plate (score "
                    f"{alert.alternative_score or 0:.0%}), not **{alert.plate}** as read. "
                    "Compare the crop with both readings.",
                    icon=":material/help:",
                )
            if alert.frame_jpeg:
                st.image(alert.frame_jpeg, caption="Full image", width="stretch")
        with right:
            # The record's plate, state and vehicle stand large above, beside the read.
            st.markdown(
                f"**Reason** {alert.reason}  \n**Case** {alert.case_number or '-'}  \n"
                f"**List** {alert.list_name}"
            )
            if principal.can(Permission.REVIEW_ALERTS) and alert.disposition is None:
                _review(alert, principal=principal)
