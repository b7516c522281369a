"""The hot-list side of a plate's story: the entries that match it and the alerts its reads
raised, fetched once per history search (each fetch is a recorded view)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.investigations.follow_up import PlateWatch, plate_watch
from alpr.governance.principal import Principal
from alpr.ui.context import runtime
from alpr.ui.counts import counted
from alpr.ui.messages import show_refusal

_KEY = "plate_watch"


def _watch(*, principal: Principal, search_id: int) -> PlateWatch | None:
    kept = st.session_state.get(_KEY)
    if kept and kept[0] == search_id:
        return kept[1]
    try:
        watch = plate_watch(runtime(), principal=principal, search_id=search_id)
    except (Refusal, InvalidInput) as exc:
        show_refusal(exc)
        return None
    st.session_state[_KEY] = (search_id, watch)
    return watch


def show_watch(*, principal: Principal, search_id: int, tz: Any) -> None:
    watch = _watch(principal=principal, search_id=search_id)
    if watch is None:
        return
    st.subheader(f"Hot lists · {watch.plate}")
    active = [e for e in watch.entries if e.active]
    if active:
        st.error(
            f"On the hot list: {counted(len(active), 'active listing')}. Confirm "
            "through CLETS/NCIC before any action.",
            icon=":material/report:",
        )
    elif not watch.entries:
        st.caption("No hot-list entry matches this plate.")
    for entry in watch.entries:
        with st.container(border=True):
            status = "active" if entry.active else "no longer active"
            st.markdown(
                f"**{entry.list_name}** · `{entry.pattern}` · {entry.priority} priority · "
                f"{status}  \n{entry.reason}  \n"
                f"Case {entry.case_number or '-'} · vehicle {entry.vehicle or 'not recorded'}  \n"
                f"Entered {entry.entered_at.astimezone(tz):%Y-%m-%d %H:%M}"
                + (
                    f" · expires {entry.expires_at.astimezone(tz):%Y-%m-%d}"
                    if entry.expires_at
                    else ""
                )
            )
    st.markdown(f"**Alerts** ({len(watch.alerts)})")
    if not watch.alerts:
        st.caption("No alert was raised for this plate.")
        return
    st.dataframe(
        [
            {
                "Read at": f"{a.captured_at.astimezone(tz):%Y-%m-%d %H:%M}",
                "Camera": a.camera,
                "Priority": a.priority + (" (past read)" if a.is_retro else ""),
                "Review": a.disposition or "not reviewed",
            }
            for a in watch.alerts
        ],
        hide_index=True,
        width="stretch",
    )
