"""The hot-list side of a plate's story: the entries that match it and the alerts its reads
raised, fetched once per history search (each fetch is a recorded view)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from alpr.governance.alerts import Disposition
from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.investigations.follow_up import PlateWatch, plate_watch
from alpr.governance.principal import Principal
from alpr.ui.alert_cards import DISPOSITIONS
from alpr.ui.context import runtime
from alpr.ui.counts import counted
from alpr.ui.messages import show_refusal

_KEY = "plate_watch"


def plate_watch_of(*, principal: Principal, search_id: int) -> PlateWatch | None:
    """The hot-list record of the plate a history search asked for (fetched once per search)."""
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


def show_listing(watch: PlateWatch) -> None:
    """Whether the plate is on a hot list now, above the story: the first thing to know."""
    active = [e for e in watch.entries if e.active]
    if active:
        st.error(
            f"**{watch.plate} is on the hot list:** {counted(len(active), 'active listing')} "
            f"({', '.join(sorted({e.list_name for e in active}))}). Confirm through CLETS/NCIC "
            "before any action; the listing and its alerts are shown below.",
            icon=":material/report:",
        )
    elif watch.entries:
        st.info(
            f"{watch.plate} was on a hot list; no listing is active now (shown below).",
            icon=":material/history:",
        )
    else:
        st.caption(f"No hot-list entry matches {watch.plate}.")


def alert_rows(watch: PlateWatch, tz: Any) -> list[dict[str, str]]:
    """The plate's alerts as the table shows them: the camera by its place, as every result
    table names it, and the review and priority in words, not as stored; the hot list only
    when they come from more than one (the heading names a single one)."""
    several = len({a.list_name for a in watch.alerts}) > 1
    return [
        {
            "Read at": f"{a.captured_at.astimezone(tz):%Y-%m-%d %H:%M}",
            "Camera": a.where,
            **({"Hot list": a.list_name} if several else {}),
            "Priority": a.priority.capitalize() + (", read before listing" if a.is_retro else ""),
            "Review": DISPOSITIONS[Disposition(a.disposition)] if a.disposition else "not reviewed",
        }
        for a in watch.alerts
    ]


# Widths that add up to what a 1024-pixel screen leaves beside the sidebar, whatever the
# words: a long review ("Entry no longer active (CLETS/NCIC)") is cut, whole on hover, rather
# than pushing the last column off the screen. Wider screens stretch them.
ALERT_COLUMNS = {
    "Read at": st.column_config.TextColumn("Read at", width=125),
    "Camera": st.column_config.TextColumn(
        "Camera", width=245, help="The camera that took the read: its place and its code"
    ),
    "Priority": st.column_config.TextColumn(
        "Priority",
        width=170,
        help="The listing's priority; “read before listing”: the read was taken before the "
        "plate was listed, and the alert raised when it was",
    ),
    "Review": st.column_config.TextColumn(
        "Review", width=160, help="The first review's outcome, in the Alerts page's words"
    ),
}


def show_watch(watch: PlateWatch, *, tz: Any) -> None:
    """The hot-list entries that match the plate and the alerts its reads raised; nothing for
    a plate never listed (the line above the route says so)."""
    if not watch.entries and not watch.alerts:
        return
    st.subheader(f"Hot lists · {watch.plate}", anchor=False)
    if not watch.entries:
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
    lists = sorted({a.list_name for a in watch.alerts})
    st.markdown(f"**Alerts** ({len(watch.alerts)})" + (f" · {lists[0]}" if len(lists) == 1 else ""))
    if not watch.alerts:
        st.caption("No alert was raised for this plate.")
        return
    with st.container(key="plate_watch_alerts"):
        st.dataframe(
            alert_rows(watch, tz), hide_index=True, width="stretch", column_config=ALERT_COLUMNS
        )
