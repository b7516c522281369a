from datetime import timedelta

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.hotlist_entries import (
    EntryView,
    department_entries,
    may_take_off,
    take_off,
)
from alpr.governance.hotlist_webhooks import (
    clear_webhook,
    destinations,
    eligible_agencies,
    set_webhook,
)
from alpr.governance.hotlists import (
    CSV_COLUMNS,
    add_entry,
    import_csv,
    list_status,
    preview_import,
    webhook_problems,
)
from alpr.governance.permissions import Permission
from alpr.governance.policy import policy_in_force
from alpr.governance.releases.receiving_hosts import list_hosts
from alpr.textinput import InputRefused, utf8_text
from alpr.ui.context import runtime
from alpr.ui.counts import counted
from alpr.ui.guard import require_page
from alpr.ui.messages import show_refusal
from alpr.ui.notices import boxed, finish, form_version, show_pending

PENDING_IMPORT = "hotlist_import_pending"

principal = require_page(Permission.VIEW_HOTLISTS)
rt = runtime()
tz = rt.settings.tz
st.title("Hot lists")
show_pending()
forms = form_version("hotlist_forms")
lists = list_status(rt, principal=principal)
for item in lists:
    if item.stale:
        st.error(
            f"**{item.name}** is stale: last refreshed "
            f"{item.refreshed_at.astimezone(tz):%Y-%m-%d %H:%M}"
            if item.refreshed_at
            else f"**{item.name}** has never been refreshed",
            icon=":material/update:",
        )
st.table(
    [
        {
            "List": i.name,
            "Kind": i.kind,
            "Source": i.source or "",
            "Refreshed": i.refreshed_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            if i.refreshed_at
            else "never",
            "Freshness": "Stale: refresh before relying on its alerts" if i.stale else "Current",
            "Active entries": i.active_entries,
            "Partial plates": i.partial_entries,
        }
        for i in lists
    ]
)
names = [i.name for i in lists]

ENTRIES = "hotlist_department_entries"
st.subheader("Entries the department made")
st.caption(
    "A custom list's entries and plates entered by hand, with who entered each and for which "
    "case. A wrong entry can lead to a stop: take it off as soon as it is known to be wrong or "
    "no longer wanted. Looking at them is recorded in the access log."
)
if st.button("Show the department's entries", icon=":material/list:"):
    st.session_state[ENTRIES] = department_entries(rt, principal=principal)
shown_entries: list[EntryView] | None = st.session_state.get(ENTRIES)
if shown_entries is not None:
    if not shown_entries:
        st.info("The department has no entry of its own on any list.")
    else:
        st.dataframe(
            [
                {
                    "Plate": e.pattern,
                    "List": e.list_name,
                    "Reason": e.reason,
                    "Case": e.case_number or "",
                    "Priority": e.priority.capitalize(),
                    "Entered by": e.entered_by,
                    "Entered": e.entered_at.astimezone(tz).strftime("%Y-%m-%d"),
                    "Expires": e.expires_at.astimezone(tz).strftime("%Y-%m-%d")
                    if e.expires_at
                    else "no expiry",
                }
                for e in shown_entries
            ],
            hide_index=True,
            width="stretch",
        )
        mine = [e for e in shown_entries if may_take_off(principal, entered_by_id=e.entered_by_id)]
        if mine:
            with st.form(f"take_off_{forms}"):
                chosen = st.selectbox(
                    "Entry to take off",
                    mine,
                    index=None,
                    format_func=lambda e: f"{e.pattern} · {e.list_name} · {e.reason}",
                    placeholder="Choose an entry you entered"
                    if not principal.can(Permission.MANAGE_HOTLISTS)
                    else "Choose an entry",
                )
                why = st.text_input(
                    "Why it comes off", placeholder="Recovered 7 Dec, entered in error, ..."
                )
                if st.form_submit_button("Take it off the list"):
                    try:
                        if chosen is None:
                            raise InvalidInput("choose the entry to take off")
                        take_off(rt, principal=principal, entry_id=chosen.id, reason=why)
                    except (Refusal, InvalidInput) as exc:
                        show_refusal(exc)
                    else:
                        st.session_state.pop(ENTRIES, None)
                        finish(
                            "success",
                            f"{chosen.pattern} is off {chosen.list_name}: it raises no alert "
                            "from now on.",
                            forms="hotlist_forms",
                        )

if principal.can(Permission.ADD_HOTLIST_ENTRY) and names:
    with st.form(f"add_entry_{forms}"):
        st.subheader("Enter a plate or a partial plate")
        c1, c2, c3 = st.columns(3)
        list_name = c1.selectbox("List", names)
        pattern = c2.text_input("Plate or pattern (? one character, * any run)")
        priority = c3.selectbox("Priority", ["high", "medium", "low"])
        reason = st.text_input("Reason")
        c4, c5 = st.columns(2)
        case = c4.text_input(
            "Case, call or warrant number",
            help="The case the plate is wanted for: its alerts show where it was read.",
        )
        expires = c5.date_input(
            "Expires",
            value=rt.now().date() + timedelta(days=policy_in_force(rt).hotlist_entry_default_days),
        )
        if st.form_submit_button("Add entry", type="primary"):
            try:
                _, retro = add_entry(
                    rt,
                    actor=principal,
                    list_name=list_name,
                    pattern=pattern,
                    reason=reason,
                    case_number=case or None,
                    expires=expires,
                    priority=priority,
                )
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)
            else:
                st.session_state.pop(ENTRIES, None)
                finish(
                    "success",
                    f"{pattern.strip().upper()} added to {list_name}; "
                    f"past reads that match: {retro} (each raised as an alert on a past read).",
                    forms="hotlist_forms",
                )


def _import(list_name: str, data: str, source: str | None, *, confirmed: bool = False) -> None:
    try:
        result = import_csv(
            rt,
            actor=principal,
            list_name=list_name,
            data=data,
            source=source,
            confirm_retire=confirmed,
        )
    except (Refusal, InvalidInput) as exc:
        show_refusal(exc)
    else:
        st.session_state.pop(PENDING_IMPORT, None)
        finish(
            "success",
            f"{list_name}: {counted(result.imported, 'entry', plural='entries')} imported, "
            f"{result.retired} retired, {counted(result.retro_alerts, 'alert')} on past reads.",
            forms="hotlist_forms",
        )


if principal.can(Permission.MANAGE_HOTLISTS) and names:
    with st.form(f"import_{forms}"):
        st.subheader("Refresh a list from a file")
        st.caption(
            "CSV columns: " + ", ".join(CSV_COLUMNS) + ". A file with any bad row is refused "
            "whole. A list of the department's own needs the case, call or warrant number on "
            "every row; a state list takes only the state's download, every row with its record "
            "number and entry date. The file replaces the list: its active entries are retired, "
            "after you confirm how many."
        )
        list_name = st.selectbox("List to refresh", names)
        upload = st.file_uploader("CSV file", type=["csv"])
        source = st.text_input("Source", placeholder="CA DOJ SVS download")
        checked = st.form_submit_button("Import")
    if checked and upload is not None:
        try:
            data = utf8_text(upload.getvalue(), what=upload.name)
            preview = preview_import(rt, actor=principal, list_name=list_name, data=data)
        except (Refusal, InvalidInput, InputRefused) as exc:
            show_refusal(exc)
        else:
            if preview.retired:
                st.session_state[PENDING_IMPORT] = (list_name, data, source or None, preview)
            else:
                _import(list_name, data, source or None)
    pending = st.session_state.get(PENDING_IMPORT)
    if pending:
        pending_list, pending_data, pending_source, preview = pending
        boxed(
            "warning",
            f"**{pending_list}**: this file replaces the list. "
            f"{counted(preview.retired, 'active entry', plural='active entries')} will be "
            f"retired and {counted(preview.imported, 'entry', plural='entries')} imported from "
            "the file."
            + (
                f" **{preview.dropped} of them are not in the file**: a partial download or a "
                "file made by hand takes them off the list."
                if preview.leaves_out_most
                else ""
            ),
        )
        confirm_col, cancel_col = st.columns([1, 3])
        if confirm_col.button(
            f"Retire {preview.retired} and import {preview.imported}", type="primary"
        ):
            _import(pending_list, pending_data, pending_source, confirmed=True)
        if cancel_col.button("Cancel the import"):
            st.session_state.pop(PENDING_IMPORT, None)
            finish("info", f"Nothing imported: {pending_list} is unchanged.")

st.subheader("Where alerts are sent")
st.caption(
    "An alert sent to a dispatch (CAD) or in-car system carries the plate, the place, the time "
    "and why the plate is wanted: it leaves the department as a release of data does. It goes "
    "only to the department's own systems or to a California law enforcement agency with a "
    "sharing agreement in force, and only at a host the register names for that agency "
    "(Agencies and agreements, kept by the records desk), checked again before every alert is "
    "sent; each one sent or tried is recorded in the access log."
)
hooks = destinations(rt, principal=principal)
if hooks:
    st.dataframe(
        [
            {
                "List": d.list_name,
                "Address": d.url,
                "Received by": d.agency or "no agency named",
                "Priority": f"{d.min_priority} and above" if d.min_priority else "every alert",
                "Sends now": "Yes" if d.problem is None else f"No: {d.problem}",
            }
            for d in hooks
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.info("No list sends its alerts anywhere.")

if principal.can(Permission.MANAGE_HOTLISTS) and names:
    receivers = eligible_agencies(rt, principal=principal)
    with st.form(f"webhook_{forms}"):
        st.markdown("**Send a list's alerts to a system**")
        c1, c2 = st.columns(2)
        hook_list = c1.selectbox("List", names, key="webhook_list")
        receiver = c2.selectbox(
            "Agency that receives them",
            receivers,
            index=None,
            placeholder="The department, or an agency with an agreement in force",
        )
        c3, c4 = st.columns([3, 1])
        address = c3.text_input("Address (https)", placeholder="https://cad.example.org/alerts")
        minimum = c4.selectbox("Lowest priority sent", ["every alert", "high", "medium", "low"])
        registered = [h for h in list_hosts(rt, actor=principal) if h.agency in receivers]
        st.caption(
            "Hosts in the register: "
            + ("; ".join(f"{h.agency}: {h.host}" for h in registered) or "none yet")
            + ". The address's host must be one of its agency's."
        )
        if st.form_submit_button("Send alerts there"):
            try:
                if receiver is None:
                    raise InvalidInput("choose the agency that receives the alerts")
                done = set_webhook(
                    rt,
                    actor=principal,
                    list_name=hook_list,
                    url=address,
                    agency_name=receiver,
                    min_priority=None if minimum == "every alert" else minimum,
                )
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)
            else:
                finish(
                    "success",
                    f"{done.list_name}'s alerts go to {done.url}, received by {done.agency}.",
                    forms="hotlist_forms",
                )
    hooked = [d.list_name for d in hooks]
    if hooked:
        with st.form(f"unhook_{forms}"):
            unhook = st.selectbox("List whose alerts stop being sent", hooked)
            if st.form_submit_button("Stop sending its alerts"):
                try:
                    clear_webhook(rt, actor=principal, list_name=unhook)
                except (Refusal, InvalidInput) as exc:
                    show_refusal(exc)
                else:
                    finish("success", f"{unhook}'s alerts are sent nowhere.", forms="hotlist_forms")

problems = webhook_problems(rt, principal=principal)
refused = [p for p in problems if p.refused]
failing = [p for p in problems if not p.refused]
if refused:
    st.subheader("Notifications refused")
    st.error(
        f"{len(refused)} alert notifications were not sent: the agency they were for may no "
        "longer receive them (an agreement that lapsed or ended, a host removed from the register, "
        "a destination changed), or the alert should no longer go out (its list disabled, its "
        "entry taken off or expired, reviewed as not a hit, below the priority sent). They "
        "are not sent later."
    )
    st.dataframe(
        [{"Alert": p.alert_id, "Why": p.last_error} for p in refused],
        hide_index=True,
        width="stretch",
    )
if failing:
    st.subheader("Notifications not delivered")
    st.error(
        f"{len(failing)} alert notifications to CAD / in-car systems are failing; each is "
        "tried again with growing waits, and every attempt is recorded in the access log, as the "
        "alert may have reached them."
    )
    st.dataframe(
        [
            {
                "Alert": p.alert_id,
                "Attempts": p.attempts,
                "Last error": p.last_error,
                "Next attempt": p.next_attempt_at.astimezone(tz).strftime("%H:%M")
                if p.next_attempt_at
                else "none: every attempt failed",
            }
            for p in failing
        ],
        hide_index=True,
        width="stretch",
    )
