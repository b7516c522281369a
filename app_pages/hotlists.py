from datetime import timedelta

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.hotlist_entries import (
    EntryView,
    department_entries,
    may_take_off,
    take_off,
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

problems = webhook_problems(rt, principal=principal)
if problems:
    st.subheader("Notifications not delivered")
    st.error(
        f"{len(problems)} alert notifications to CAD / in-car systems are failing; the "
        "system keeps retrying."
    )
    st.dataframe(
        [
            {
                "Alert": p.alert_id,
                "Attempts": p.attempts,
                "Last error": p.last_error,
                "Next attempt": p.next_attempt_at.astimezone(tz).strftime("%H:%M")
                if p.next_attempt_at
                else "",
            }
            for p in problems
        ],
        hide_index=True,
        width="stretch",
    )
